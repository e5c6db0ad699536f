package simdvae.vae.model;

/** How a new model draws its first parameters. */
public enum Init implements Spelled {
    /** Keras's defaults, as in the tutorial: Glorot-uniform weights, U(±√(6/(in+out))), and zero biases. */
    KERAS,
    /** PyTorch's {@code nn.Linear} defaults: weights and biases U(±1/√in). */
    PYTORCH;

    /**
     * Parses a {@link #spelling()}.
     *
     * @param text the label (case and spaces ignored)
     * @return the initialisation
     */
    public static Init parse(String text) {
        return Spelling.parse(values(), text, "init");
    }
}
