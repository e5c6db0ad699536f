package simdvae.vae;

import java.util.List;
import java.util.Objects;
import simdvae.core.Width;
import simdvae.vae.model.Init;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.model.RuntimeConfig;
import simdvae.vae.model.Scaling;
import simdvae.vae.model.TrainingConfig;

/**
 * Everything that defines a model and its training run, in three parts: the {@link ModelConfig model} (sizes,
 * likelihood, scaling, first draw), the {@link TrainingConfig training} (seed, Adam, batches, epochs, KL weight,
 * validation and early stopping) and the {@link RuntimeConfig runtime} (threads and width, which change only the
 * speed, never a result, and are kept by no file). Each part checks its values when made. The defaults are the
 * classic Keras VAE tutorial's ({@link #defaults()}).
 *
 * <p>The {@code with…} methods change one setting by name, so that a configuration reads as what it changes:
 * {@code VaeConfig.defaults().withLatent(8).withEpochs(20)}.
 *
 * @param model    what the model is
 * @param training how it is trained
 * @param runtime  where it runs
 */
public record VaeConfig(ModelConfig model, TrainingConfig training, RuntimeConfig runtime)
        implements java.io.Serializable {
    /** Requires all three parts. */
    public VaeConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(runtime, "runtime");
    }

    /**
     * The tutorial's model and training run, on every processor at the CPU's widest vectors.
     *
     * @return the configuration
     */
    public static VaeConfig defaults() {
        return new VaeConfig(ModelConfig.defaults(), TrainingConfig.defaults(), RuntimeConfig.defaults());
    }

    /**
     * This configuration with another model.
     *
     * @param m the model
     * @return the configuration
     */
    public VaeConfig with(ModelConfig m) {
        return new VaeConfig(m, training, runtime);
    }

    /**
     * This configuration with another training run.
     *
     * @param t the training run
     * @return the configuration
     */
    public VaeConfig with(TrainingConfig t) {
        return new VaeConfig(model, t, runtime);
    }

    /**
     * This configuration with another runtime.
     *
     * @param r the runtime
     * @return the configuration
     */
    public VaeConfig with(RuntimeConfig r) {
        return new VaeConfig(model, training, r);
    }

    /**
     * See {@link ModelConfig#input()}.
     *
     * @param v values a row
     * @return the configuration
     */
    public VaeConfig withInput(int v) {
        return with(model.withInput(v));
    }

    /**
     * See {@link ModelConfig#hidden()}.
     *
     * @param v the hidden sizes
     * @return the configuration
     */
    public VaeConfig withHidden(List<Integer> v) {
        return with(model.withHidden(v));
    }

    /**
     * See {@link ModelConfig#latent()}.
     *
     * @param v the latent size
     * @return the configuration
     */
    public VaeConfig withLatent(int v) {
        return with(model.withLatent(v));
    }

    /**
     * See {@link ModelConfig#likelihood()}.
     *
     * @param v the likelihood
     * @return the configuration
     */
    public VaeConfig withLikelihood(Likelihood v) {
        return with(model.withLikelihood(v));
    }

    /**
     * See {@link ModelConfig#scaling()}.
     *
     * @param v the scaling
     * @return the configuration
     */
    public VaeConfig withScaling(Scaling v) {
        return with(model.withScaling(v));
    }

    /**
     * See {@link ModelConfig#init()}.
     *
     * @param v the initialisation
     * @return the configuration
     */
    public VaeConfig withInit(Init v) {
        return with(model.withInit(v));
    }

    /**
     * See {@link TrainingConfig#seed()}.
     *
     * @param v the seed
     * @return the configuration
     */
    public VaeConfig withSeed(long v) {
        return with(training.withSeed(v));
    }

    /**
     * See {@link TrainingConfig#learningRate()}.
     *
     * @param v the learning rate
     * @return the configuration
     */
    public VaeConfig withLearningRate(double v) {
        return with(training.withLearningRate(v));
    }

    /**
     * See {@link TrainingConfig#batch()}.
     *
     * @param v rows a step
     * @return the configuration
     */
    public VaeConfig withBatch(int v) {
        return with(training.withBatch(v));
    }

    /**
     * See {@link TrainingConfig#epochs()}.
     *
     * @param v epochs
     * @return the configuration
     */
    public VaeConfig withEpochs(int v) {
        return with(training.withEpochs(v));
    }

    /**
     * See {@link TrainingConfig#beta()} and {@link TrainingConfig#klWarmup()}.
     *
     * @param weight the KL weight
     * @param warmup epochs of warm-up (0: none)
     * @return the configuration
     */
    public VaeConfig withKl(double weight, int warmup) {
        return with(training.withKl(weight, warmup));
    }

    /**
     * See {@link TrainingConfig#validationSplit()} and {@link TrainingConfig#patience()}.
     *
     * @param split    the share of the training rows held out (0: none)
     * @param patience epochs without improvement before stopping (0: no early stopping)
     * @return the configuration
     */
    public VaeConfig withValidation(double split, int patience) {
        return with(training.withValidation(split, patience));
    }

    /**
     * See {@link TrainingConfig#ensemble()}.
     *
     * @param v members, at least 1
     * @return the configuration
     */
    public VaeConfig withEnsemble(int v) {
        return with(training.withEnsemble(v));
    }

    /**
     * See {@link RuntimeConfig#threads()}.
     *
     * @param v threads (0: every processor)
     * @return the configuration
     */
    public VaeConfig withThreads(int v) {
        return with(new RuntimeConfig(v, runtime.width()));
    }

    /**
     * See {@link RuntimeConfig#width()}.
     *
     * @param v the SIMD width
     * @return the configuration
     */
    public VaeConfig withWidth(Width v) {
        return with(new RuntimeConfig(runtime.threads(), v));
    }
}
