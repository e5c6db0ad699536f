package simdvae.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.vae.VaeConfig;
import simdvae.vae.model.TrainingConfig;

/**
 * The model and training options of {@code train} and {@code spark train}, with the library's defaults: the network
 * ({@link NetworkOptions}) and the run, and the one place that turns them into a {@link VaeConfig}.
 */
public final class ModelOptions {
    /** Every default below is the library's, stated once there. */
    private static final TrainingConfig DEFAULTS = TrainingConfig.defaults();

    @Mixin
    NetworkOptions network;

    @Option(names = "--beta", paramLabel = "X", description = "Weight of the KL term in the objective (default"
            + " ${DEFAULT-VALUE}: the ELBO; other values train a beta-VAE). Reported losses are always the plain"
            + " negative ELBO.")
    double beta = DEFAULTS.beta();

    @Option(names = "--kl-warmup", paramLabel = "N", description = "Raise the KL weight linearly from 0 to --beta"
            + " over the first N epochs (default ${DEFAULT-VALUE}: no warm-up).")
    int klWarmup = DEFAULTS.klWarmup();

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default ${DEFAULT-VALUE}; for a CSV table,"
            + " enough for 20000 steps, from 10 to 200, with early stopping).")
    int epochs = DEFAULTS.epochs();

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default ${DEFAULT-VALUE}).")
    int batch = DEFAULTS.batch();

    @Option(names = "--lr", paramLabel = "X", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr = DEFAULTS.learningRate();

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed();

    @Option(names = "--ensemble", paramLabel = "N", description = "Train N models of different seeds on the same"
            + " rows and average their scores (default ${DEFAULT-VALUE}: one model): a remedy for a VAE's"
            + " seed-to-seed spread. The members share the fitted scaling; member 0 has --seed and alone encodes,"
            + " reconstructs, samples and exports. Costs N times the training, and N times the scoring.")
    int ensemble = DEFAULTS.ensemble();

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
        return VaeConfig.defaults().with(network.model(input, images)).with(training());
    }

    /**
     * The configuration of a run that goes on training a model of configuration {@code model}: its network and
     * ensemble size, with these options' run settings.
     *
     * @param model the trained model's configuration
     * @return the run's configuration
     */
    public VaeConfig continuing(VaeConfig model) {
        return model.with(training().withEnsemble(model.training().ensemble()));
    }

    /** The run settings given. */
    private TrainingConfig training() {
        return DEFAULTS.withSeed(seed).withLearningRate(lr).withBatch(batch).withEpochs(epochs).withKl(beta, klWarmup)
                .withEnsemble(ensemble);
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
