package simdvae.core;

/**
 * A counter-based random number generator: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC'11). Each draw is a pure function of (seed, stream, index), so the numbers a sample gets do not depend
 * on the thread that draws them or on the order of draws. Normal draws use {@link StrictMath}, so they are the same
 * bits on every JVM.
 */
public final class CounterRng {
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double ULP53 = 0x1.0p-53;

    private final long seed;

    /**
     * A generator for one seed.
     *
     * @param seed the key of every draw
     */
    public CounterRng(long seed) {
        this.seed = seed;
    }

    /**
     * The seed.
     *
     * @return the key of every draw
     */
    public long seed() {
        return seed;
    }

    /**
     * 64 random bits for (stream, index): the first two words of the Philox block.
     *
     * @param stream which sequence (callers give each use its own)
     * @param index  the position in it
     * @return the bits
     */
    public long bits(long stream, long index) {
        return block(stream, index, 0);
    }

    /**
     * A uniform double in [0, 1) for (stream, index).
     *
     * @param stream which sequence
     * @param index  the position in it
     * @return a multiple of 2⁻⁵³ in [0, 1)
     */
    public double uniform(long stream, long index) {
        return (bits(stream, index) >>> 11) * ULP53;
    }

    /**
     * A uniform int in [0, bound) for (stream, index).
     *
     * @param stream which sequence
     * @param index  the position in it
     * @param bound  the exclusive upper bound, positive
     * @return the draw
     */
    public int nextInt(long stream, long index, int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) (((bits(stream, index) >>> 32) * bound) >>> 32);
    }

    /**
     * Fills {@code order} with a seeded permutation of 0 … {@code order.length − 1}: Fisher–Yates from the last
     * position down, position i swapping with a draw of (stream, i) in [0, i]. Epoch orders, data splits and the
     * default data's split all draw their permutations here, so each is a function of (seed, stream) alone.
     *
     * @param order  filled with the permutation
     * @param stream which sequence
     */
    public void permutation(int[] order, long stream) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = nextInt(stream, i, i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /**
     * A standard normal draw for (stream, index): Marsaglia's polar method on the two halves of a Philox block,
     * redrawn from the block of (stream + attempt·2⁵⁶, index) when the point falls outside the unit disc (21% of
     * draws). Not Box–Muller: {@link StrictMath#cos} allocates for most arguments, and this runs every step.
     *
     * @param stream which sequence
     * @param index  the position in it
     * @return the draw
     */
    public double normal(long stream, long index) {
        for (long attempt = 0; ; attempt++) {
            long s = stream + (attempt << 56);
            double u = 2 * ((block(s, index, 0) >>> 11) * ULP53) - 1;
            double v = 2 * ((block(s, index, 1) >>> 11) * ULP53) - 1;
            double r = u * u + v * v;
            if (r < 1 && r > 0) {
                return u * StrictMath.sqrt(-2 * StrictMath.log(r) / r);
            }
        }
    }

    /** Words {@code 2*half} and {@code 2*half+1} of the Philox4x32-10 block for counter (index, stream). */
    private long block(long stream, long index, int half) {
        int c0 = (int) index;
        int c1 = (int) (index >>> 32);
        int c2 = (int) stream;
        int c3 = (int) (stream >>> 32);
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = M0 * (c0 & 0xFFFFFFFFL);
            long p1 = M1 * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        return half == 0
                ? (c0 & 0xFFFFFFFFL) | ((long) c1 << 32)
                : (c2 & 0xFFFFFFFFL) | ((long) c3 << 32);
    }
}
