package simdvae.cli;

import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;

/** {@code --contamination F} or {@code --threshold X}: when a row is an outlier, over the model's default. */
public final class DecisionOptions {
    @Option(names = "--contamination", paramLabel = "F", description = "Flag the rows that score above the"
            + " threshold leaving a share F of the model's reference rows above it (F in (0, 0.5]); writes the 0/1"
            + " column outlier. Default: the model's, from train --contamination.")
    Double contamination;

    @Option(names = "--threshold", paramLabel = "NATS", description = "Flag the rows whose score is above NATS"
            + " instead (column outlier).")
    Double threshold;

    /** Options are filled in by picocli. */
    public DecisionOptions() {
    }

    /**
     * {@code vae} deciding as asked: by these options, else by its own default (which may be none).
     *
     * @param vae the model
     * @return the model deciding so
     */
    public Vae apply(Vae vae) {
        if (contamination != null && threshold != null) {
            throw new SimdvaeException("give --contamination or --threshold, not both");
        }
        if (contamination != null) {
            Vae decided = vae.withContamination(contamination);
            decided.threshold(contamination); // a model without reference scores says so now, in one line
            return decided;
        }
        return threshold != null ? vae.withThreshold(threshold) : vae;
    }
}
