package simdvae.vae.model;

import static simdvae.vae.model.ModelConfig.require;

/**
 * How a model is trained: the seed, Adam's settings, minibatches and epochs, the KL weight and its warm-up, the
 * validation rows held out and early stopping. The defaults are the Keras tutorial's (seed 42, Adam with learning
 * rate 1e-3, β1 0.9, β2 0.999, ε 1e-7, batch 50, 10 epochs, β 1), with no validation split and no early stopping.
 *
 * @param seed            seed of the first parameters, the epochs' orders, the training draws of ε and the scores'
 *                        draws of z (a model file keeps it, so a loaded model scores as the saved one did)
 * @param learningRate    Adam's learning rate
 * @param beta1           Adam's first-moment decay
 * @param beta2           Adam's second-moment decay
 * @param epsilon         Adam's ε
 * @param batch           rows a step
 * @param epochs          passes over the training rows (at most, under early stopping)
 * @param beta            the KL term's weight in the objective (a β-VAE when ≠ 1); reported losses are the plain ELBO
 * @param klWarmup        epochs over which the KL weight rises linearly from 0 to β (0: none)
 * @param validationSplit the seeded share of the training rows held out for validation (0: none)
 * @param patience        epochs without a lower validation loss before training stops, keeping the best epoch's
 *                        parameters (0: no early stopping)
 * @param ensemble        models trained on the same rows whose scores are averaged (1: one model): member 0 has
 *                        {@code seed}, member i &gt; 0 the seed {@link RngStreams#memberSeed} derives; training costs
 *                        {@code ensemble} times one model's
 */
public record TrainingConfig(long seed, double learningRate, double beta1, double beta2, double epsilon, int batch,
                             int epochs, double beta, int klWarmup, double validationSplit, int patience,
                             int ensemble)
        implements java.io.Serializable {
    /** Checks every value. */
    public TrainingConfig {
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be a positive number, got "
                + learningRate);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        require(epsilon > 0 && Double.isFinite(epsilon), "epsilon must be positive, got " + epsilon);
        require(batch >= 1, "batch size must be at least 1, got " + batch);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(beta >= 0 && Double.isFinite(beta), "beta (the KL weight) must be a number >= 0, got " + beta);
        require(klWarmup >= 0, "KL warm-up must be at least 0 epochs, got " + klWarmup);
        require(validationSplit == 0 || validationSplit > 0 && validationSplit < 1,
                "a validation split must be between 0 and 1 (exclusive), got " + validationSplit);
        require(patience >= 0, "early stopping's patience must be at least 1 epoch (0: none), got " + patience);
        require(ensemble >= 1 && ensemble <= MAX_ENSEMBLE, "an ensemble must have 1 to " + MAX_ENSEMBLE
                + " members, got " + ensemble);
    }

    /** Members of an ensemble at most. */
    public static final int MAX_ENSEMBLE = 1000;

    /**
     * The tutorial's training run.
     *
     * @return the configuration
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(42, 1e-3, 0.9, 0.999, 1e-7, 50, 10, 1, 0, 0, 0, 1);
    }

    /**
     * The KL weight at {@code progress} epochs into training (a fraction within an epoch): β after the warm-up,
     * rising linearly from 0 during it.
     *
     * @param progress epochs done, fractional
     * @return the weight
     */
    public double betaAt(double progress) {
        return klWarmup == 0 ? beta : beta * Math.min(1.0, progress / klWarmup);
    }

    /**
     * This run with another seed.
     *
     * @param v the seed
     * @return the configuration
     */
    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(v, learningRate, beta1, beta2, epsilon, batch, epochs, beta, klWarmup,
                validationSplit, patience, ensemble);
    }

    /**
     * This run with another learning rate.
     *
     * @param v Adam's learning rate
     * @return the configuration
     */
    public TrainingConfig withLearningRate(double v) {
        return new TrainingConfig(seed, v, beta1, beta2, epsilon, batch, epochs, beta, klWarmup, validationSplit,
                patience, ensemble);
    }

    /**
     * This run with another batch size.
     *
     * @param v rows a step
     * @return the configuration
     */
    public TrainingConfig withBatch(int v) {
        return new TrainingConfig(seed, learningRate, beta1, beta2, epsilon, v, epochs, beta, klWarmup,
                validationSplit, patience, ensemble);
    }

    /**
     * This run with another number of epochs.
     *
     * @param v epochs
     * @return the configuration
     */
    public TrainingConfig withEpochs(int v) {
        return new TrainingConfig(seed, learningRate, beta1, beta2, epsilon, batch, v, beta, klWarmup,
                validationSplit, patience, ensemble);
    }

    /**
     * This run with another KL weight and warm-up.
     *
     * @param weight the KL weight β
     * @param warmup epochs of warm-up (0: none)
     * @return the configuration
     */
    public TrainingConfig withKl(double weight, int warmup) {
        return new TrainingConfig(seed, learningRate, beta1, beta2, epsilon, batch, epochs, weight, warmup,
                validationSplit, patience, ensemble);
    }

    /**
     * This run with another validation split and early stopping.
     *
     * @param split    the share of the training rows held out (0: none)
     * @param patience epochs without improvement before stopping (0: no early stopping)
     * @return the configuration
     */
    public TrainingConfig withValidation(double split, int patience) {
        return new TrainingConfig(seed, learningRate, beta1, beta2, epsilon, batch, epochs, beta, klWarmup, split,
                patience, ensemble);
    }

    /**
     * This run with another ensemble size.
     *
     * @param v members, at least 1
     * @return the configuration
     */
    public TrainingConfig withEnsemble(int v) {
        return new TrainingConfig(seed, learningRate, beta1, beta2, epsilon, batch, epochs, beta, klWarmup,
                validationSplit, patience, v);
    }
}
