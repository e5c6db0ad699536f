package simdvae.cli;

import picocli.CommandLine.Option;
import simdvae.vae.decide.Decision;

/** {@code --contamination F}, declared once for {@code train}, {@code score} and their Spark forms. */
public final class ContaminationOption {
    @Option(names = "--contamination", paramLabel = "F", description = "The expected share of outliers, in (0, 0.5]:"
            + " a row is an outlier when its score is above the threshold that leaves this share of the model's"
            + " reference rows (its validation rows, else its training rows) above it. train keeps it in the model as"
            + " its default; score writes the 0/1 column outlier (default: the model's).")
    Double contamination;

    /** Options are filled in by picocli. */
    public ContaminationOption() {
    }

    /**
     * The contamination given, checked, or null.
     *
     * @return the share, or null when the option was not given
     */
    public Double value() {
        if (contamination != null) {
            Decision.checkContamination(contamination);
        }
        return contamination;
    }
}
