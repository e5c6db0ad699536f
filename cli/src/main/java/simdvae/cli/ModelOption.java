package simdvae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import simdvae.vae.Vae;

/** {@code --model FILE}: a model written by {@code train}. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A model file written by 'simdvae train' (model.svae in its --out directory).")
    Path model;

    Vae load() {
        return Vae.load(model);
    }
}
