package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.util.List;
import java.util.Objects;
import simdvae.core.Width;

/**
 * Everything that defines a model and its training run, built by name ({@link #builder()}, {@link #toBuilder()} or
 * a {@code with…} method), never by position, so no two settings of one type can be swapped by accident. The
 * defaults are the classic Keras VAE tutorial's: 784 → 512 → (μ, log σ²) of size 2 → 512 → 784, Bernoulli, Adam (lr
 * 1e-3, β1 0.9, β2 0.999, ε 1e-7), batch 50, 10 epochs, seed 42.
 *
 * <p>Three kinds of setting: the <em>model</em> (input, hidden, latent, likelihood, scaling, init, seed), the
 * <em>training</em> run (learning rate, β1, β2, ε, batch, epochs, β, KL warm-up) and the <em>runtime</em> (threads,
 * width), which changes only the speed, never a result, and is not stored in model files or checkpoints.
 *
 * <p>Long only in its documentation: each setting has an accessor, a {@code with…} method and a builder setter, and
 * the one piece of logic is the check of every value when a configuration is built.
 *
 * @serial exclude
 */
public final class VaeConfig implements java.io.Serializable {
    private static final long serialVersionUID = 2L;

    /** How {@link Vae#create} draws the first parameters. */
    public enum Init {
        /** Keras's defaults, as in the tutorial: Glorot-uniform weights, U(±√(6/(in+out))), and zero biases. */
        KERAS,
        /** PyTorch's {@code nn.Linear} defaults: weights and biases U(±1/√in). */
        PYTORCH;

        /**
         * The name used on the command line and in metrics.
         *
         * @return {@code keras} or {@code pytorch}
         */
        public String label() {
            return Labels.of(this);
        }

        /**
         * Parses a {@link #label()}.
         *
         * @param text the label (case and spaces ignored)
         * @return the initialisation
         */
        public static Init parse(String text) {
            return Labels.parse(values(), text, "init");
        }
    }

    private final int input;
    @SuppressWarnings("serial") // always List.copyOf's list, which is serializable
    private final List<Integer> hidden;
    private final int latent;
    private final Likelihood likelihood;
    private final Scaling scaling;
    private final Init init;
    private final long seed;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final int batch;
    private final int epochs;
    private final double beta;
    private final int klWarmup;
    private final int threads;
    private final Width width;

    private VaeConfig(Builder b) {
        input = b.input;
        hidden = List.copyOf(b.hidden);
        latent = b.latent;
        likelihood = b.likelihood;
        scaling = b.scaling;
        init = b.init;
        seed = b.seed;
        learningRate = b.learningRate;
        beta1 = b.beta1;
        beta2 = b.beta2;
        epsilon = b.epsilon;
        batch = b.batch;
        epochs = b.epochs;
        beta = b.beta;
        klWarmup = b.klWarmup;
        threads = b.threads;
        width = b.width;
        check();
    }

    private void check() {
        require(input >= 1, "input size must be at least 1, got " + input);
        require(!hidden.isEmpty(), "at least one hidden layer is needed");
        for (int h : hidden) {
            require(h >= 1, "hidden layer sizes must be at least 1, got " + h);
        }
        require(latent >= 1, "latent size must be at least 1, got " + latent);
        require(likelihood != null, "likelihood must be given");
        require(scaling != null, "scaling must be given");
        require(init != null, "init must be given");
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be a positive number, got "
                + learningRate);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        require(epsilon > 0 && Double.isFinite(epsilon), "epsilon must be positive, got " + epsilon);
        require(batch >= 1, "batch size must be at least 1, got " + batch);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(beta >= 0 && Double.isFinite(beta), "beta (the KL weight) must be a number >= 0, got " + beta);
        require(klWarmup >= 0, "KL warm-up must be at least 0 epochs, got " + klWarmup);
        require(threads >= 0, "threads must be at least 1 (or 0 for all processors), got " + threads);
        require(width != null, "width must be given");
        require(parameterCount() < Integer.MAX_VALUE / 4, "model too large: over half a billion parameters");
    }

    /** Every parameter of encoder, head, decoder and output layer, in long (the check before any int offset). */
    private long parameterCount() {
        long count = 0;
        long in = input;
        for (int h : hidden) {
            count += in * h + h;
            in = h;
        }
        count += in * 2L * latent + 2L * latent;
        in = latent;
        for (int i = hidden.size() - 1; i >= 0; i--) {
            count += in * hidden.get(i) + hidden.get(i);
            in = hidden.get(i);
        }
        long outputs = (long) likelihood.outputsPerFeature() * input;
        return count + in * outputs + outputs;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new SimdvaeException(message);
        }
    }

    /**
     * The tutorial's model and training run.
     *
     * @return the configuration
     */
    public static VaeConfig defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults ({@link #defaults()}).
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration's settings.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Values the encoder takes a row: an image's pixels, or a table's encoded columns.
     *
     * @return the input size
     */
    public int input() {
        return input;
    }

    /**
     * The encoder's hidden layer sizes, in order; the decoder mirrors them.
     *
     * @return the sizes
     */
    public List<Integer> hidden() {
        return hidden;
    }

    /**
     * The size of z.
     *
     * @return the latent size
     */
    public int latent() {
        return latent;
    }

    /**
     * The decoder's distribution (Bernoulli for values in [0, 1], Gaussian for real values).
     *
     * @return the likelihood
     */
    public Likelihood likelihood() {
        return likelihood;
    }

    /**
     * How raw values are scaled before the model sees them (fitted on the training data).
     *
     * @return the scaling requested (possibly AUTO; see {@link #effectiveScaling()})
     */
    public Scaling scaling() {
        return scaling;
    }

    /**
     * How the first parameters are drawn.
     *
     * @return the initialisation
     */
    public Init init() {
        return init;
    }

    /**
     * Seed of initialisation, shuffles and ε.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Adam's learning rate.
     *
     * @return the rate
     */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Adam's first-moment decay.
     *
     * @return β1
     */
    public double beta1() {
        return beta1;
    }

    /**
     * Adam's second-moment decay.
     *
     * @return β2
     */
    public double beta2() {
        return beta2;
    }

    /**
     * Adam's ε (added to √v).
     *
     * @return ε
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Rows a step.
     *
     * @return the batch size
     */
    public int batch() {
        return batch;
    }

    /**
     * Passes over the training data.
     *
     * @return the epochs
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Weight of the KL term in the training objective (1: the ELBO; a β-VAE otherwise).
     *
     * @return β
     */
    public double beta() {
        return beta;
    }

    /**
     * Epochs over which the KL weight rises linearly from 0 to {@link #beta()} (0: none).
     *
     * @return the warm-up epochs
     */
    public int klWarmup() {
        return klWarmup;
    }

    /**
     * Worker threads, the caller included (0: all processors). A runtime setting: results do not depend on it.
     *
     * @return the thread count requested
     */
    public int threads() {
        return threads;
    }

    /**
     * The SIMD width requested. A runtime setting: results do not depend on it.
     *
     * @return the width
     */
    public Width width() {
        return width;
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
     *
     * @param progress epochs done so far, fractional (epoch + batches done / batches per epoch)
     * @return the KL weight
     */
    public double betaAt(double progress) {
        return klWarmup == 0 ? beta : beta * Math.min(1.0, progress / klWarmup);
    }

    /**
     * This configuration with another input size.
     *
     * @param v values a row
     * @return the changed configuration
     */
    public VaeConfig withInput(int v) {
        return toBuilder().input(v).build();
    }

    /**
     * This configuration with other hidden sizes.
     *
     * @param v the encoder's hidden sizes
     * @return the changed configuration
     */
    public VaeConfig withHidden(List<Integer> v) {
        return toBuilder().hidden(v).build();
    }

    /**
     * This configuration with another latent size.
     *
     * @param v the latent size
     * @return the changed configuration
     */
    public VaeConfig withLatent(int v) {
        return toBuilder().latent(v).build();
    }

    /**
     * This configuration with another likelihood.
     *
     * @param v the decoder's distribution
     * @return the changed configuration
     */
    public VaeConfig withLikelihood(Likelihood v) {
        return toBuilder().likelihood(v).build();
    }

    /**
     * This configuration with another scaling.
     *
     * @param v the feature scaling
     * @return the changed configuration
     */
    public VaeConfig withScaling(Scaling v) {
        return toBuilder().scaling(v).build();
    }

    /**
     * This configuration with another initialisation.
     *
     * @param v the initialisation
     * @return the changed configuration
     */
    public VaeConfig withInit(Init v) {
        return toBuilder().init(v).build();
    }

    /**
     * This configuration with another seed.
     *
     * @param v the seed
     * @return the changed configuration
     */
    public VaeConfig withSeed(long v) {
        return toBuilder().seed(v).build();
    }

    /**
     * This configuration with another learning rate.
     *
     * @param v Adam's learning rate
     * @return the changed configuration
     */
    public VaeConfig withLearningRate(double v) {
        return toBuilder().learningRate(v).build();
    }

    /**
     * This configuration with another batch size.
     *
     * @param v rows a step
     * @return the changed configuration
     */
    public VaeConfig withBatch(int v) {
        return toBuilder().batch(v).build();
    }

    /**
     * This configuration with another number of epochs.
     *
     * @param v passes over the data
     * @return the changed configuration
     */
    public VaeConfig withEpochs(int v) {
        return toBuilder().epochs(v).build();
    }

    /**
     * This configuration with another KL weight.
     *
     * @param v the KL weight
     * @return the changed configuration
     */
    public VaeConfig withBeta(double v) {
        return toBuilder().beta(v).build();
    }

    /**
     * This configuration with another KL warm-up.
     *
     * @param v warm-up epochs
     * @return the changed configuration
     */
    public VaeConfig withKlWarmup(int v) {
        return toBuilder().klWarmup(v).build();
    }

    /**
     * This configuration with another thread count.
     *
     * @param v threads (0: every processor)
     * @return the changed configuration
     */
    public VaeConfig withThreads(int v) {
        return toBuilder().threads(v).build();
    }

    /**
     * This configuration with another SIMD width.
     *
     * @param v the SIMD width
     * @return the changed configuration
     */
    public VaeConfig withWidth(Width v) {
        return toBuilder().width(v).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig c && input == c.input && hidden.equals(c.hidden) && latent == c.latent
                && likelihood == c.likelihood && scaling == c.scaling && init == c.init && seed == c.seed
                && Double.compare(learningRate, c.learningRate) == 0 && Double.compare(beta1, c.beta1) == 0
                && Double.compare(beta2, c.beta2) == 0 && Double.compare(epsilon, c.epsilon) == 0
                && batch == c.batch && epochs == c.epochs && Double.compare(beta, c.beta) == 0
                && klWarmup == c.klWarmup && threads == c.threads && width == c.width;
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, hidden, latent, likelihood, scaling, init, seed, learningRate, beta1, beta2,
                epsilon, batch, epochs, beta, klWarmup, threads, width);
    }

    @Override
    public String toString() {
        return "VaeConfig[input=" + input + ", hidden=" + hidden + ", latent=" + latent + ", likelihood="
                + likelihood.label() + ", scaling=" + scaling.label() + ", init=" + init.label() + ", seed=" + seed
                + ", learningRate=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon="
                + epsilon + ", batch=" + batch + ", epochs=" + epochs + ", beta=" + beta + ", klWarmup=" + klWarmup
                + ", threads=" + threads + ", width=" + width.label() + "]";
    }

    /**
     * Sets a configuration's values by name; {@link #build()} checks them all. Starts from the defaults (see
     * {@link VaeConfig#defaults()}) or from a configuration ({@link VaeConfig#toBuilder()}).
     */
    public static final class Builder {
        private int input = 784;
        private List<Integer> hidden = List.of(512);
        private int latent = 2;
        private Likelihood likelihood = Likelihood.BERNOULLI;
        private Scaling scaling = Scaling.AUTO;
        private Init init = Init.KERAS;
        private long seed = 42;
        private double learningRate = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-7;
        private int batch = 50;
        private int epochs = 10;
        private double beta = 1;
        private int klWarmup;
        private int threads;
        private Width width = Width.AUTO;

        private Builder() {
        }

        private Builder(VaeConfig c) {
            input = c.input;
            hidden = c.hidden;
            latent = c.latent;
            likelihood = c.likelihood;
            scaling = c.scaling;
            init = c.init;
            seed = c.seed;
            learningRate = c.learningRate;
            beta1 = c.beta1;
            beta2 = c.beta2;
            epsilon = c.epsilon;
            batch = c.batch;
            epochs = c.epochs;
            beta = c.beta;
            klWarmup = c.klWarmup;
            threads = c.threads;
            width = c.width;
        }

        /**
         * Checks every value.
         *
         * @return the configuration
         * @throws SimdvaeException naming the first value out of range
         */
        public VaeConfig build() {
            require(hidden != null, "hidden sizes must be given");
            return new VaeConfig(this);
        }

        /**
         * Sets {@link VaeConfig#input()}.
         *
         * @param v values a row
         * @return this builder
         */
        public Builder input(int v) {
            input = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#hidden()}.
         *
         * @param v the encoder's hidden sizes
         * @return this builder
         */
        public Builder hidden(List<Integer> v) {
            hidden = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#latent()}.
         *
         * @param v the latent size
         * @return this builder
         */
        public Builder latent(int v) {
            latent = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#likelihood()}.
         *
         * @param v the decoder's distribution
         * @return this builder
         */
        public Builder likelihood(Likelihood v) {
            likelihood = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#scaling()}.
         *
         * @param v the feature scaling
         * @return this builder
         */
        public Builder scaling(Scaling v) {
            scaling = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#init()}.
         *
         * @param v the initialisation
         * @return this builder
         */
        public Builder init(Init v) {
            init = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#seed()}.
         *
         * @param v the seed
         * @return this builder
         */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#learningRate()}.
         *
         * @param v Adam's learning rate
         * @return this builder
         */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#beta1()}.
         *
         * @param v Adam's first-moment decay
         * @return this builder
         */
        public Builder beta1(double v) {
            beta1 = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#beta2()}.
         *
         * @param v Adam's second-moment decay
         * @return this builder
         */
        public Builder beta2(double v) {
            beta2 = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#epsilon()}.
         *
         * @param v Adam's ε
         * @return this builder
         */
        public Builder epsilon(double v) {
            epsilon = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#batch()}.
         *
         * @param v rows a step
         * @return this builder
         */
        public Builder batch(int v) {
            batch = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#epochs()}.
         *
         * @param v passes over the data
         * @return this builder
         */
        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#beta()}.
         *
         * @param v the KL weight
         * @return this builder
         */
        public Builder beta(double v) {
            beta = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#klWarmup()}.
         *
         * @param v warm-up epochs
         * @return this builder
         */
        public Builder klWarmup(int v) {
            klWarmup = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#threads()}.
         *
         * @param v threads (0: every processor)
         * @return this builder
         */
        public Builder threads(int v) {
            threads = v;
            return this;
        }

        /**
         * Sets {@link VaeConfig#width()}.
         *
         * @param v the SIMD width
         * @return this builder
         */
        public Builder width(Width v) {
            width = v;
            return this;
        }
    }
}
