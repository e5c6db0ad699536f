package simdvae.vae.model;

import simdvae.core.CounterRng;

/**
 * The streams of the counter-based RNG ({@link simdvae.core.CounterRng}) and the seeds of data-parallel shards, all
 * in one place: each use draws from its own stream, so no two uses ever see the same numbers, and a draw depends only
 * on (seed, stream, counter) — not on threads, widths or the order of calls. Streams sit 2⁴⁰ apart, and some add an
 * index to their base (a layer, a step, an epoch), well short of the next. Changing a value changes every result
 * drawn from it (and so {@code params_sha256}).
 */
public final class RngStreams {
    /** Initial weights (plus the layer's index). */
    public static final long INIT = 1L << 40;
    /** The reparameterization noise ε of training steps (plus the step's number). */
    public static final long EPS = 2L << 40;
    /** The noise of a sampled evaluation ({@code Vae.evaluate}, {@code Vae.score}). */
    public static final long EVAL = 3L << 40;
    /** The epoch shuffles (plus the epoch). */
    public static final long SHUFFLE = 4L << 40;
    /** Initial biases (plus the layer's index), for initialisations that draw them. */
    public static final long BIAS = 5L << 40;
    /** The importance samples of {@code Vae.logLikelihood}. */
    public static final long IW = 6L << 40;
    /** The seeded test split of a table with no test file ({@code Dataset.split}). */
    public static final long TEST_SPLIT = 7L << 40;
    /** The seeded validation split of the training rows ({@code Dataset.split}). */
    public static final long VALIDATION_SPLIT = 8L << 40;
    /** The sample of rows a reference keeps (of the model's seed). */
    public static final long REFERENCE_SAMPLE = 9L << 40;
    /** The seeds of an ensemble's members after the first (plus the member's index). */
    public static final long ENSEMBLE = 10L << 40;

    private RngStreams() {
    }

    /**
     * The seed of shard {@code shard} of a data-parallel run: the run's seed for shard 0 (so one shard is the
     * single-machine run), a SplitMix64 mix of seed and shard for the others (so their ε and shuffles differ).
     *
     * @param seed  the run's seed
     * @param shard the shard, from 0
     * @return the shard's seed
     */
    public static long shardSeed(long seed, int shard) {
        if (shard == 0) {
            return seed;
        }
        long z = seed + shard * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The seed of member {@code member} of an ensemble trained with {@code seed}: the run's seed for member 0 (so a
     * one-member ensemble is the single model), for the others a draw of the counter-based RNG of (seed, member) on
     * the stream {@link #ENSEMBLE} (so each member has its own first parameters, shuffles and ε, and no member's seed
     * is a shard's of another).
     *
     * @param seed   the run's seed
     * @param member the member, from 0
     * @return the member's seed
     */
    public static long memberSeed(long seed, int member) {
        if (member < 0) {
            throw new IllegalArgumentException("member must be at least 0, got " + member);
        }
        return member == 0 ? seed : new CounterRng(seed).bits(ENSEMBLE, member);
    }
}
