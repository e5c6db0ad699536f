package simdvae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import simdvae.vae.Vae;
import simdvae.vae.table.UnseenLevels;

/** {@code --model FILE}: a model written by {@code train}. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A model file written by 'simdvae train' (model.svae in its --out directory).")
    Path model;

    @Option(names = "--unseen-levels", paramLabel = "POLICY", description = "A categorical level the training rows"
            + " did not have: error (refuse the row; the default) or other (count it as the column's level"
            + " '(other)', which the model finds unlikely).")
    String unseenLevels = UnseenLevels.ERROR.spelling();

    Vae load() {
        UnseenLevels policy = UnseenLevels.parse(unseenLevels);
        return Vae.load(model).withUnseenLevels(policy);
    }
}
