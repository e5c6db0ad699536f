package simdvae.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.decide.Decision;

/** {@code --contamination F} or {@code --threshold X}: when a row is an outlier, over the model's default. */
public final class DecisionOptions {
    @Mixin
    ContaminationOption contamination;

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
        Double share = contamination.value();
        if (share != null && threshold != null) {
            throw new SimdvaeException("give --contamination or --threshold, not both");
        }
        if (share != null) {
            if (vae.reference() == null) {
                throw Decision.noReference();
            }
            return vae.withDecision(Decision.contamination(share));
        }
        return threshold != null ? vae.withDecision(Decision.threshold(threshold)) : vae;
    }

    /**
     * How a model decided, for a message: ", contamination 0.05 of its 900 validation rows", or nothing for a
     * threshold given in nats.
     *
     * @param vae the model
     * @return the text
     */
    static String describe(Vae vae) {
        Decision d = vae.decision();
        return d.kind() != Decision.Kind.CONTAMINATION ? "" : ", contamination " + d.value() + " of the model's "
                + vae.reference().rows() + " " + vae.reference().source() + " rows";
    }
}
