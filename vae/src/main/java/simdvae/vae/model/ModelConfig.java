package simdvae.vae.model;

import java.util.List;
import simdvae.core.SimdvaeException;

/**
 * What a model is: the encoder's input width, its hidden layer sizes (the decoder mirrors them), the latent size, the
 * decoder's likelihood, the scaling of the inputs and the draw of the first parameters. The defaults are the Keras
 * tutorial's: 784 → 512 → (μ, log σ²) of size 2 → 512 → 784, Bernoulli, no scaling, Glorot-uniform weights.
 * Checked when made: a value out of range is a one-line {@link SimdvaeException}.
 *
 * @param input      values the encoder takes a row: an image's pixels, or a table's encoded columns
 * @param hidden     the encoder's hidden layer sizes, in order
 * @param latent     the size of z
 * @param likelihood the decoder's distribution (of a table's numeric columns)
 * @param scaling    how raw values are scaled before the model sees them (fitted on the training rows); {@code AUTO}
 *                   resolves by likelihood ({@link #effectiveScaling()})
 * @param init       how the first parameters are drawn
 */
public record ModelConfig(int input, List<Integer> hidden, int latent, Likelihood likelihood, Scaling scaling,
                          Init init) implements java.io.Serializable {
    /** Checks every value; the hidden sizes are copied. */
    public ModelConfig {
        require(input >= 1, "input size must be at least 1, got " + input);
        require(hidden != null && !hidden.isEmpty(), "at least one hidden layer is needed");
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            require(h >= 1, "hidden layer sizes must be at least 1, got " + h);
        }
        require(latent >= 1, "latent size must be at least 1, got " + latent);
        require(likelihood != null, "likelihood must be given");
        require(scaling != null, "scaling must be given");
        require(init != null, "init must be given");
        require(parameterCount(input, hidden, latent, likelihood) < Integer.MAX_VALUE / 4,
                "model too large: over half a billion parameters");
    }

    /**
     * The tutorial's model.
     *
     * @return the configuration
     */
    public static ModelConfig defaults() {
        return new ModelConfig(784, List.of(512), 2, Likelihood.BERNOULLI, Scaling.AUTO, Init.KERAS);
    }

    /**
     * The scaling applied: {@link #scaling()} with {@code AUTO} resolved (standardize for Gaussian, none for
     * Bernoulli).
     *
     * @return the scaling
     */
    public Scaling effectiveScaling() {
        return scaling.resolve(likelihood);
    }

    /**
     * Whether {@code other} describes the same network (sizes, likelihood, effective scaling): what a warm start or a
     * resumed run must keep. The draw of the first parameters does not count, since the parameters exist already.
     *
     * @param other another model
     * @return whether the two are the same network
     */
    public boolean sameNetwork(ModelConfig other) {
        return withScaling(effectiveScaling()).withInit(Init.KERAS)
                .equals(other.withScaling(other.effectiveScaling()).withInit(Init.KERAS));
    }

    /**
     * This model with another input width.
     *
     * @param v values a row
     * @return the configuration
     */
    public ModelConfig withInput(int v) {
        return new ModelConfig(v, hidden, latent, likelihood, scaling, init);
    }

    /**
     * This model with other hidden layers.
     *
     * @param v the sizes
     * @return the configuration
     */
    public ModelConfig withHidden(List<Integer> v) {
        return new ModelConfig(input, v, latent, likelihood, scaling, init);
    }

    /**
     * This model with another latent size.
     *
     * @param v the size of z
     * @return the configuration
     */
    public ModelConfig withLatent(int v) {
        return new ModelConfig(input, hidden, v, likelihood, scaling, init);
    }

    /**
     * This model with another likelihood.
     *
     * @param v the decoder's distribution
     * @return the configuration
     */
    public ModelConfig withLikelihood(Likelihood v) {
        return new ModelConfig(input, hidden, latent, v, scaling, init);
    }

    /**
     * This model with another scaling.
     *
     * @param v the scaling
     * @return the configuration
     */
    public ModelConfig withScaling(Scaling v) {
        return new ModelConfig(input, hidden, latent, likelihood, v, init);
    }

    /**
     * This model with another draw of its first parameters.
     *
     * @param v the initialisation
     * @return the configuration
     */
    public ModelConfig withInit(Init v) {
        return new ModelConfig(input, hidden, latent, likelihood, scaling, v);
    }

    /** Every parameter of encoder, head, decoder and output layer, in long (the check before any int offset). */
    private static long parameterCount(long input, List<Integer> hidden, int latent, Likelihood likelihood) {
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

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new SimdvaeException(message);
        }
    }
}
