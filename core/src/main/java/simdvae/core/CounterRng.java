package simdvae.core;

/**
 * A counter-based random number generator: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC'11). Each draw is a pure function of (seed, stream, index), so the numbers a sample gets do not depend
 * on the thread that draws them or on the order of draws. Normal draws use Box-Muller on {@link StrictMath}, so they
 * are the same bits on every JVM.
 */
public final class CounterRng {
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double ULP53 = 0x1.0p-53;

    private final long seed;

    public CounterRng(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** 64 random bits for (stream, index): the first two words of the Philox block. */
    public long bits(long stream, long index) {
        return block(stream, index, 0);
    }

    /** A uniform double in [0, 1) for (stream, index). */
    public double uniform(long stream, long index) {
        return (bits(stream, index) >>> 11) * ULP53;
    }

    /** A uniform int in [0, bound) for (stream, index); bound must be positive. */
    public int nextInt(long stream, long index, int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) (((bits(stream, index) >>> 32) * bound) >>> 32);
    }

    /** A standard normal draw for (stream, index): Box-Muller on the two halves of one Philox block. */
    public double normal(long stream, long index) {
        double u1 = 1.0 - (block(stream, index, 0) >>> 11) * ULP53; // (0, 1]: log is finite
        double u2 = (block(stream, index, 1) >>> 11) * ULP53;
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(TWO_PI * u2);
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
