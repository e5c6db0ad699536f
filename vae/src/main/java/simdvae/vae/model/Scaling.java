package simdvae.vae.model;

/** How raw feature values are mapped before the model sees them; fitted on the training data, stored in the model. */
public enum Scaling implements Spelled {
    /** {@link #STANDARDIZE} for a Gaussian model, {@link #NONE} for a Bernoulli one. */
    AUTO,
    /** Values are used as they are (a Bernoulli model then needs them in [0, 1]). */
    NONE,
    /** (x − mean) / standard deviation of each feature; a constant feature is centred only. */
    STANDARDIZE,
    /** (x − min) / (max − min) of each feature, clamped to [0, 1] (for a Bernoulli model of real values). */
    MINMAX;

    /**
     * What AUTO means for {@code likelihood}; other values stand for themselves.
     *
     * @param likelihood the model's likelihood
     * @return a scaling other than AUTO
     */
    public Scaling resolve(Likelihood likelihood) {
        if (this != AUTO) {
            return this;
        }
        return likelihood.hasVariance() ? STANDARDIZE : NONE;
    }

    /**
     * Parses a {@link #spelling()}.
     *
     * @param text the label (case and spaces ignored)
     * @return the scaling
     */
    public static Scaling parse(String text) {
        return Spelling.parse(values(), text, "scaling");
    }
}
