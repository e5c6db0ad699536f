package simdvae.core;

/** A SIMD width was requested that this JVM or CPU cannot run as real vector code. */
public final class UnsupportedWidthException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * The refusal.
     *
     * @param message what cannot run and what can
     */
    public UnsupportedWidthException(String message) {
        super(message);
    }
}
