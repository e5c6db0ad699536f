package simdvae.cli;

import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.model.TrainingConfig;

/** {@code --validation-split F} and {@code --early-stopping P}: the rows held out to watch, and when to stop. */
final class ValidationOptions {
    @Option(names = "--validation-split", paramLabel = "F", description = "Hold out a seeded fraction F of the"
            + " training rows (never the test rows) and report the validation loss after every epoch (default: none;"
            + " for a CSV table of 50 training rows or more, 0.2; 0 holds none out).")
    Double split;

    @Option(names = "--early-stopping", paramLabel = "P", description = "With validation rows: stop after P"
            + " epochs without a lower validation loss, and keep the best epoch's parameters (default: none; for a"
            + " CSV table whose validation split was chosen, not given, 10).")
    Integer patience;

    /**
     * {@code training} with these settings, checked; for a CSV table ({@code table}) a patience without a split is
     * left for {@link TableChoices}, whose split may hold rows out.
     */
    TrainingConfig into(TrainingConfig training, boolean table) {
        if (patience != null && patience < 1) {
            throw new SimdvaeException("--early-stopping must be at least 1 epoch, got " + patience);
        }
        if (split != null && split < 0) {
            throw new SimdvaeException("--validation-split must be in [0, 1), got " + split);
        }
        if (table && split == null) {
            return training;
        }
        if (patience != null && (split == null || split == 0)) {
            throw new SimdvaeException("--early-stopping needs --validation-split (it watches the validation loss)");
        }
        return training.withValidation(split == null ? 0 : split, patience == null ? 0 : patience);
    }
}
