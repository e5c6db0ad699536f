package simdvae.cli;

import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.model.TrainingConfig;

/** {@code --validation-split F} and {@code --early-stopping P}: the rows held out to watch, and when to stop. */
final class ValidationOptions {
    @Option(names = "--validation-split", paramLabel = "F", description = "Hold out a seeded fraction F of the"
            + " training rows (never the test rows) and report the validation loss after every epoch.")
    Double split;

    @Option(names = "--early-stopping", paramLabel = "P", description = "With --validation-split: stop after P"
            + " epochs without a lower validation loss, and keep the best epoch's parameters.")
    Integer patience;

    /** {@code training} with these settings, checked. */
    TrainingConfig into(TrainingConfig training) {
        if (patience != null && patience < 1) {
            throw new SimdvaeException("--early-stopping must be at least 1 epoch, got " + patience);
        }
        if (patience != null && split == null) {
            throw new SimdvaeException("--early-stopping needs --validation-split (it watches the validation loss)");
        }
        return training.withValidation(split == null ? 0 : split, patience == null ? 0 : patience);
    }
}
