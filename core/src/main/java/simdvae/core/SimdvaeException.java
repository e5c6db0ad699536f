package simdvae.core;

/**
 * The one exception type the library throws for bad input: a data file that is not what it claims, a model file
 * that is damaged or of another architecture, a configuration out of range, a training run that diverged. The
 * message is one line that names the problem and, where there is one, what to do; the command line prints exactly
 * that message.
 */
public class SimdvaeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A refusal.
     *
     * @param message one line a user can act on
     */
    public SimdvaeException(String message) {
        super(message);
    }

    /**
     * A refusal with its cause.
     *
     * @param message one line a user can act on
     * @param cause   what failed underneath
     */
    public SimdvaeException(String message, Throwable cause) {
        super(message, cause);
    }
}
