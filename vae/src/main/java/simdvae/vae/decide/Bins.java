package simdvae.vae.decide;

import java.util.Arrays;

/**
 * Bins of a number cut at a reference's quantiles, with the reference's count in each: the summary a drift test of
 * that number needs. Cut points are reference values themselves (the ⌈k n / B⌉-th smallest, k = 1 … B − 1, for B
 * {@value #BINS} bins), so they are floats exactly and repeated values (an integer column) merge bins rather than
 * split a value; bin b holds the values in (cut[b − 1], cut[b]] (the first from −∞, the last to +∞). The counts are
 * exact, so bins need not hold equal shares.
 */
public final class Bins {
    /** How many equiprobable bins {@link #of} aims for: deciles. */
    public static final int BINS = 10;

    private final float[] cuts;
    private final long[] counts;

    private Bins(float[] cuts, long[] counts) {
        this.cuts = cuts;
        this.counts = counts;
    }

    /**
     * The bins of the reference's values (NaN skipped: a missing cell has no bin).
     *
     * @param values the reference rows' values
     * @return the bins (one bin, no cut, when fewer than two distinct values)
     */
    public static Bins of(float[] values) {
        float[] v = new float[values.length];
        int n = 0;
        for (float x : values) {
            if (!Float.isNaN(x)) {
                v[n++] = x;
            }
        }
        v = Arrays.copyOf(v, n);
        Arrays.sort(v);
        float[] cuts = new float[BINS - 1];
        int c = 0;
        for (int k = 1; k < BINS && n > 0; k++) {
            float cut = v[(int) Math.ceilDiv((long) k * n, BINS) - 1];
            // a cut at the largest value would leave the reference an empty last bin
            if (Float.isFinite(cut) && cut < v[n - 1] && (c == 0 || cut > cuts[c - 1])) {
                cuts[c++] = cut;
            }
        }
        Bins shape = new Bins(Arrays.copyOf(cuts, c), new long[c + 1]);
        long[] counts = new long[c + 1];
        for (float x : v) {
            counts[shape.bin(x)]++;
        }
        return new Bins(shape.cuts, counts);
    }

    /**
     * Bins kept elsewhere (a model file).
     *
     * @param cuts   the cut points, ascending, distinct, finite
     * @param counts the reference's count per bin, one more than the cuts, none negative
     * @return the bins (copies of the arrays)
     * @throws IllegalArgumentException when the cuts are not distinct ascending finite floats or the counts do not
     *                                  match
     */
    public static Bins of(float[] cuts, long[] counts) {
        if (counts.length != cuts.length + 1) {
            throw new IllegalArgumentException(cuts.length + " cut points need " + (cuts.length + 1) + " counts, got "
                    + counts.length);
        }
        for (int i = 0; i < cuts.length; i++) {
            if (!Float.isFinite(cuts[i]) || (i > 0 && !(cuts[i] > cuts[i - 1]))) {
                throw new IllegalArgumentException("cut points must be distinct, ascending and finite, not at " + i);
            }
        }
        ChiSquare.sum(counts);
        for (long x : counts) {
            if (x < 0) {
                throw new IllegalArgumentException("a negative reference count");
            }
        }
        return new Bins(cuts.clone(), counts.clone());
    }

    /**
     * The bin of a value: how many cut points are below it.
     *
     * @param value a value (not NaN)
     * @return its bin, 0 to {@link #size()} − 1
     */
    public int bin(float value) {
        return countBelow(cuts, value, false);
    }

    /**
     * How many of {@code sorted} are below {@code value} (or at most {@code value}), by binary search: a value's bin
     * here, and a score's rank among {@link ScoreDistribution}'s knots.
     *
     * @param sorted  ascending values
     * @param value   a value (not NaN)
     * @param orEqual true to count the values equal to {@code value} too
     * @return the count, 0 to {@code sorted.length}
     */
    static int countBelow(float[] sorted, float value, boolean orEqual) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value || orEqual && sorted[mid] == value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * How many bins there are.
     *
     * @return the count
     */
    public int size() {
        return counts.length;
    }

    /**
     * The cut points (a copy).
     *
     * @return the cuts, ascending
     */
    public float[] cuts() {
        return cuts.clone();
    }

    /**
     * The reference's count per bin (a copy).
     *
     * @return the counts
     */
    public long[] counts() {
        return counts.clone();
    }

    /**
     * How many reference values the bins hold.
     *
     * @return the count
     */
    public long total() {
        return ChiSquare.sum(counts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bins b && Arrays.equals(cuts, b.cuts) && Arrays.equals(counts, b.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(cuts) + Arrays.hashCode(counts);
    }
}
