package simdvae.vae;

import java.util.List;
import simdvae.core.Width;

/**
 * Everything that defines a model and its training run. The defaults are the classic Keras VAE tutorial's:
 * 784 → 512 → (μ, log σ²) of size 2 → 512 → 784, Adam (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7), batch 50, 10 epochs.
 *
 * @param input    pixels per image
 * @param hidden   hidden layer widths of the encoder, in order; the decoder mirrors them
 * @param latent   size of z
 * @param learningRate Adam's learning rate
 * @param beta1    Adam's first-moment decay
 * @param beta2    Adam's second-moment decay
 * @param epsilon  Adam's ε (added to √v)
 * @param batch    rows a step
 * @param epochs   passes over the training data
 * @param seed     seed of initialization, shuffles and ε
 * @param threads  worker threads, the caller included (0 = all available processors)
 * @param width    the SIMD width requested
 * @param init     how the first parameters are drawn
 * @param likelihood the decoder's distribution (Bernoulli for values in [0, 1], Gaussian for real values)
 * @param scaling  how raw features are scaled before the model sees them (fitted on the training data)
 * @param beta     weight of the KL term in the training objective (1: the ELBO; a β-VAE otherwise)
 * @param klWarmup epochs over which the KL weight rises linearly from 0 to {@code beta} (0: none)
 */
public record VaeConfig(int input, List<Integer> hidden, int latent, double learningRate, double beta1,
                        double beta2, double epsilon, int batch, int epochs, long seed, int threads, Width width,
                        Init init, Likelihood likelihood, Scaling scaling, double beta, int klWarmup)
        implements java.io.Serializable {
    /** How {@link Vae#create} draws the first parameters. */
    public enum Init {
        /** Keras's defaults, as in the tutorial: Glorot-uniform weights, U(±√(6/(in+out))), and zero biases. */
        KERAS,
        /** PyTorch's {@code nn.Linear} defaults: weights and biases U(±1/√in). */
        PYTORCH
    }

    /**
     * Checks every value and copies the hidden sizes.
     */
    public VaeConfig {
        hidden = List.copyOf(hidden);
        require(input >= 1, "input size must be at least 1, got " + input);
        require(!hidden.isEmpty(), "at least one hidden layer is needed");
        for (int h : hidden) {
            require(h >= 1, "hidden layer sizes must be at least 1, got " + h);
        }
        require(latent >= 1, "latent size must be at least 1, got " + latent);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be a positive number, got "
                + learningRate);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        require(epsilon > 0 && Double.isFinite(epsilon), "epsilon must be positive, got " + epsilon);
        require(batch >= 1, "batch size must be at least 1, got " + batch);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(threads >= 0, "threads must be at least 1 (or 0 for all processors), got " + threads);
        require(width != null, "width must be given");
        require(init != null, "init must be given");
        require(likelihood != null, "likelihood must be given");
        require(scaling != null, "scaling must be given");
        require(beta >= 0 && Double.isFinite(beta), "beta (the KL weight) must be a number >= 0, got " + beta);
        require(klWarmup >= 0, "KL warm-up must be at least 0 epochs, got " + klWarmup);
        long params = 0;
        int in = input;
        for (int h : hidden) {
            params += (long) in * h + h;
            in = h;
        }
        require(params < Integer.MAX_VALUE / 4, "model too large: over half a billion parameters");
    }

    /**
     * The tutorial's model and training run.
     *
     * @return the configuration
     */
    public static VaeConfig defaults() {
        return new VaeConfig(784, List.of(512), 2, 1e-3, 0.9, 0.999, 1e-7, 50, 10, 42, 0, Width.AUTO, Init.KERAS,
                Likelihood.BERNOULLI, Scaling.AUTO, 1.0, 0);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new SimdvaeException(message);
        }
    }

    /**
     * Threads actually used: {@link #threads}, or all processors for 0.
     *
     * @return at least 1
     */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /**
     * The scaling this configuration stands for, AUTO resolved by the likelihood.
     *
     * @return NONE, STANDARDIZE or MINMAX
     */
    public Scaling effectiveScaling() {
        return scaling.resolve(likelihood);
    }

    /**
     * The KL weight at a point of training: {@code beta}, times {@code min(1, progress / klWarmup)} during warm-up. 
     * @param progress epochs done so far, fractional (epoch + batches done / batches per epoch)
     *
     * @return the KL weight
     */
    public double betaAt(double progress) {
        return klWarmup == 0 ? beta : beta * Math.min(1.0, progress / klWarmup);
    }

    /**
     * This configuration with other features a row.
     *
     * @param v features a row
     * @return this configuration with it changed
     */
    public VaeConfig withInput(int v) {
        return new VaeConfig(v, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                width, init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other the encoder's hidden sizes.
     *
     * @param v the encoder's hidden sizes
     * @return this configuration with it changed
     */
    public VaeConfig withHidden(List<Integer> v) {
        return new VaeConfig(input, v, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                width, init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other the latent size.
     *
     * @param v the latent size
     * @return this configuration with it changed
     */
    public VaeConfig withLatent(int v) {
        return new VaeConfig(input, hidden, v, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                width, init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other Adam's learning rate.
     *
     * @param v Adam's learning rate
     * @return this configuration with it changed
     */
    public VaeConfig withLearningRate(double v) {
        return new VaeConfig(input, hidden, latent, v, beta1, beta2, epsilon, batch, epochs, seed, threads, width,
                init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other rows a step.
     *
     * @param v rows a step
     * @return this configuration with it changed
     */
    public VaeConfig withBatch(int v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, v, epochs, seed, threads,
                width, init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other passes over the data.
     *
     * @param v passes over the data
     * @return this configuration with it changed
     */
    public VaeConfig withEpochs(int v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, v, seed, threads,
                width, init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other the seed.
     *
     * @param v the seed
     * @return this configuration with it changed
     */
    public VaeConfig withSeed(long v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, v, threads,
                width, init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other threads (0: every processor).
     *
     * @param v threads (0: every processor)
     * @return this configuration with it changed
     */
    public VaeConfig withThreads(int v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, v,
                width, init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other the SIMD width.
     *
     * @param v the SIMD width
     * @return this configuration with it changed
     */
    public VaeConfig withWidth(Width v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                v, init, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other the initialization.
     *
     * @param v the initialization
     * @return this configuration with it changed
     */
    public VaeConfig withInit(Init v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                width, v, likelihood, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other the decoder's distribution.
     *
     * @param v the decoder's distribution
     * @return this configuration with it changed
     */
    public VaeConfig withLikelihood(Likelihood v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                width, init, v, scaling, beta, klWarmup);
    }

    /**
     * This configuration with other the feature scaling.
     *
     * @param v the feature scaling
     * @return this configuration with it changed
     */
    public VaeConfig withScaling(Scaling v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                width, init, likelihood, v, beta, klWarmup);
    }

    /**
     * This configuration with other the KL weight.
     *
     * @param v the KL weight
     * @return this configuration with it changed
     */
    public VaeConfig withBeta(double v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                width, init, likelihood, scaling, v, klWarmup);
    }

    /**
     * This configuration with other warm-up epochs.
     *
     * @param v warm-up epochs
     * @return this configuration with it changed
     */
    public VaeConfig withKlWarmup(int v) {
        return new VaeConfig(input, hidden, latent, learningRate, beta1, beta2, epsilon, batch, epochs, seed, threads,
                width, init, likelihood, scaling, beta, v);
    }
}
