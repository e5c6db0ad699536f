package simdvae.vae.model;

/** How a new model draws its first parameters. */
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
        return Spelling.of(this);
    }

    /**
     * Parses a {@link #label()}.
     *
     * @param text the label (case and spaces ignored)
     * @return the initialisation
     */
    public static Init parse(String text) {
        return Spelling.parse(values(), text, "init");
    }
}
