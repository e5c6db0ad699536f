package simdvae.vae;

/**
 * The streams of the counter-based RNG ({@link simdvae.core.CounterRng}), all in one place: each use draws from its
 * own stream, so no two uses ever see the same numbers, and a draw depends only on (seed, stream, counter) — not on
 * threads, widths or the order of calls. Streams sit 2⁴⁰ apart, and some add an index to their base (a layer,
 * a step, an epoch), well short of the next.
 * Changing a value changes every result drawn from it (and so {@code params_sha256}).
 */
final class RngStreams {
    /** Initial weights (plus the layer's index). */
    static final long INIT = 1L << 40;
    /** The reparameterization noise ε of training steps (plus the step's number). */
    static final long EPS = 2L << 40;
    /** The noise of a sampled evaluation ({@link Vae#evaluate}, {@link Vae#score}). */
    static final long EVAL = 3L << 40;
    /** The epoch shuffles (plus the epoch). */
    static final long SHUFFLE = 4L << 40;
    /** Initial biases (plus the layer's index), for initialisations that draw them. */
    static final long BIAS = 5L << 40;
    /** The importance samples of {@link Vae#logLikelihood}. */
    static final long IW = 6L << 40;

    private RngStreams() {
    }
}
