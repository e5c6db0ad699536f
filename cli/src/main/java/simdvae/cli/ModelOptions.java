package simdvae.cli;

import java.util.List;
import picocli.CommandLine.Option;
import simdvae.vae.Likelihood;
import simdvae.vae.Scaling;
import simdvae.vae.VaeConfig;

/**
 * The model and training options of {@code train} and {@code spark train}, with the library's defaults
 * ({@link VaeConfig#defaults()}), and the one place that turns them into a {@link VaeConfig}.
 */
public final class ModelOptions {
    /** Every default below is the library's, stated once there. */
    private static final VaeConfig DEFAULTS = VaeConfig.defaults();

    @Option(names = "--likelihood", paramLabel = "KIND", description = "The decoder's distribution of numeric"
            + " values: auto (the default: bernoulli for images, gaussian for tables), bernoulli (values in [0, 1])"
            + " or gaussian (real values: a mean and a log-variance per feature). A table's categorical columns are"
            + " always categorical (a softmax over their levels).")
    String likelihood = "auto";

    @Option(names = "--scale", paramLabel = "KIND", description = "Scaling of the features, fitted on the training"
            + " rows and stored in the model: auto (standardize for gaussian, none for bernoulli), none, standardize"
            + " or minmax (default ${DEFAULT-VALUE}).")
    String scale = DEFAULTS.scaling().label();

    @Option(names = "--beta", paramLabel = "X", description = "Weight of the KL term in the objective (default"
            + " ${DEFAULT-VALUE}: the ELBO; other values train a beta-VAE). Reported losses are always the plain"
            + " negative ELBO.")
    double beta = DEFAULTS.beta();

    @Option(names = "--kl-warmup", paramLabel = "N", description = "Raise the KL weight linearly from 0 to --beta"
            + " over the first N epochs (default ${DEFAULT-VALUE}: no warm-up).")
    int klWarmup = DEFAULTS.klWarmup();

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs = DEFAULTS.epochs();

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default ${DEFAULT-VALUE}).")
    int batch = DEFAULTS.batch();

    @Option(names = "--hidden", paramLabel = "H[,H...]", split = ",",
            description = "Hidden layer sizes of the encoder; the decoder mirrors them (default ${DEFAULT-VALUE}).")
    List<Integer> hidden = DEFAULTS.hidden();

    @Option(names = "--latent", paramLabel = "K", description = "Latent size (default ${DEFAULT-VALUE}).")
    int latent = DEFAULTS.latent();

    @Option(names = "--lr", paramLabel = "X", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr = DEFAULTS.learningRate();

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed();

    @Option(names = "--init", paramLabel = "KIND", description = "First parameters: keras (Glorot-uniform weights,"
            + " zero biases, as the tutorial) or pytorch (nn.Linear's U(±1/√in) weights and biases); default"
            + " ${DEFAULT-VALUE}.")
    String init = DEFAULTS.init().label();

    /** Options are filled in by picocli. */
    public ModelOptions() {
    }

    /**
     * The configuration these options give for {@code input} values a row; {@code images} picks the likelihood when
     * none was given (Bernoulli for images, Gaussian for tables).
     *
     * @param input  values a row
     * @param images whether the data are images
     * @return the configuration (default runtime: every processor, auto width)
     */
    public VaeConfig config(int input, boolean images) {
        Likelihood lik = !likelihood.trim().equalsIgnoreCase("auto") ? Likelihood.parse(likelihood)
                : images ? Likelihood.BERNOULLI : Likelihood.GAUSSIAN;
        return VaeConfig.builder().input(input).hidden(hidden).latent(latent).likelihood(lik)
                .scaling(Scaling.parse(scale)).init(VaeConfig.Init.parse(init)).seed(seed).learningRate(lr)
                .batch(batch).epochs(epochs).beta(beta).klWarmup(klWarmup).build();
    }

    /**
     * The configuration of a run that goes on training a model of configuration {@code model}: its network,
     * likelihood and scaling, with these options' run settings (seed, learning rate, batch, epochs, β, warm-up).
     *
     * @param model the trained model's configuration
     * @return the run's configuration
     */
    public VaeConfig continuing(VaeConfig model) {
        return model.toBuilder().seed(seed).learningRate(lr).batch(batch).epochs(epochs).beta(beta)
                .klWarmup(klWarmup).build();
    }

    /**
     * The seed given (data splits draw from it before a configuration exists).
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }
}
