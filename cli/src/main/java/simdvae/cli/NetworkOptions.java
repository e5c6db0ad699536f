package simdvae.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import simdvae.vae.model.Init;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.model.Scaling;

/**
 * The options that say what the model is (its {@link ModelConfig}), with the library's defaults: a run that goes on
 * training a saved model takes none of them, since the model has them already.
 */
public final class NetworkOptions {
    /** Every default below is the library's, stated once there. */
    private static final ModelConfig DEFAULTS = ModelConfig.defaults();

    @Option(names = "--hidden", paramLabel = "H[,H...]", split = ",",
            description = "Hidden layer sizes of the encoder; the decoder mirrors them (default ${DEFAULT-VALUE}).")
    List<Integer> hidden = DEFAULTS.hidden();

    @Option(names = "--latent", paramLabel = "K", description = "Latent size (default ${DEFAULT-VALUE}).")
    int latent = DEFAULTS.latent();

    @Option(names = "--likelihood", paramLabel = "KIND", description = "The decoder's distribution of numeric"
            + " values: auto (the default: bernoulli for images, gaussian for tables), bernoulli (values in [0, 1])"
            + " or gaussian (real values: a mean and a log-variance per feature). A table's categorical columns are"
            + " always categorical (a softmax over their levels).")
    String likelihood = "auto";

    @Option(names = "--scale", paramLabel = "KIND", description = "Scaling of the features, fitted on the training"
            + " rows and stored in the model: auto (standardize for gaussian, none for bernoulli), none, standardize"
            + " or minmax (default ${DEFAULT-VALUE}).")
    String scale = DEFAULTS.scaling().spelling();

    @Option(names = "--init", paramLabel = "KIND", description = "First parameters: keras (Glorot-uniform weights,"
            + " zero biases, as the tutorial) or pytorch (nn.Linear's U(±1/√in) weights and biases); default"
            + " ${DEFAULT-VALUE}.")
    String init = DEFAULTS.init().spelling();

    /** Options are filled in by picocli. */
    public NetworkOptions() {
    }

    /**
     * The model these options describe for {@code input} values a row; {@code images} picks the likelihood when none
     * was given (Bernoulli for images, Gaussian for tables).
     *
     * @param input  values a row
     * @param images whether the data are images
     * @return the model
     */
    public ModelConfig model(int input, boolean images) {
        Likelihood lik = !likelihood.trim().equalsIgnoreCase("auto") ? Likelihood.parse(likelihood)
                : images ? Likelihood.BERNOULLI : Likelihood.GAUSSIAN;
        return new ModelConfig(input, hidden, latent, lik, Scaling.parse(scale), Init.parse(init));
    }

    /**
     * The names of these options: what a warm start refuses.
     *
     * @return every name of every option here
     */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Field f : NetworkOptions.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                names.addAll(List.of(o.names()));
            }
        }
        return names;
    }
}
