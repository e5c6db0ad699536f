package simdvae.vae.decide;

import java.util.Arrays;

/**
 * Pearson's χ² test of homogeneity for two samples counted in the same k cells (a 2 × k table): are the reference
 * and the batch distributed alike over bins or levels? Cells so thin that an expected count would fall below
 * {@value #MIN_EXPECTED} are pooled first (Cochran's rule), because the χ² approximation fails there, worst for a
 * reference of thousands of rows against a small batch: a cell the reference never saw but a batch row lands in
 * would otherwise weigh n / m on its own. Pooling depends on the summed counts only, so it is the same for any split
 * of the batch.
 */
public final class ChiSquare {
    /** The smallest expected count a cell may have after pooling. */
    public static final double MIN_EXPECTED = 5;

    private ChiSquare() {
    }

    /**
     * The test over ordered cells (bins of a number): neighbouring bins are merged, left to right, until every
     * group's expected counts reach {@value #MIN_EXPECTED}; a thin last group joins the one before it.
     *
     * @param reference the reference's count per bin
     * @param batch     the batch's count per bin, as many
     * @return the test (df = groups − 1), or {@link TestResult#NONE} with fewer than two groups or an empty sample
     * @throws IllegalArgumentException when the lengths differ or a count is negative
     */
    public static TestResult ordered(long[] reference, long[] batch) {
        return pooled(reference, batch, true);
    }

    /**
     * The test over unordered cells (levels of a categorical column): the levels too thin for expected counts of
     * {@value #MIN_EXPECTED} are pooled into one group; if that group is still too thin it joins the smallest other
     * group (the first such on ties).
     *
     * @param reference the reference's count per level
     * @param batch     the batch's count per level, as many
     * @return the test (df = groups − 1), or {@link TestResult#NONE} with fewer than two groups or an empty sample
     * @throws IllegalArgumentException when the lengths differ or a count is negative
     */
    public static TestResult unordered(long[] reference, long[] batch) {
        return pooled(reference, batch, false);
    }

    /** {@link #homogeneity} after pooling the thin cells: ordered cells with their neighbours, others together. */
    private static TestResult pooled(long[] reference, long[] batch, boolean ordered) {
        check(reference, batch);
        long n = sum(reference);
        long m = sum(batch);
        if (n == 0 || m == 0) {
            return TestResult.NONE;
        }
        double least = smallestTotal(n, m);
        long[][] g = ordered ? poolAdjacent(reference, batch, least) : poolSmall(reference, batch, least);
        return homogeneity(g[0], g[1]);
    }

    /**
     * The test of a 2 × k table as it is, without pooling: X² = Σ_j (m a_j − n b_j)² / (n m (a_j + b_j)) over the
     * cells with a count (the usual Σ (O − E)² / E written for two rows), df = those cells − 1.
     *
     * @param reference the reference's count per cell (n in all)
     * @param batch     the batch's count per cell (m in all)
     * @return the test, or {@link TestResult#NONE} with fewer than two non-empty cells or an empty sample
     * @throws IllegalArgumentException when the lengths differ or a count is negative
     */
    public static TestResult homogeneity(long[] reference, long[] batch) {
        check(reference, batch);
        double n = sum(reference);
        double m = sum(batch);
        if (n == 0 || m == 0) {
            return TestResult.NONE;
        }
        double x2 = 0;
        int cells = 0;
        for (int j = 0; j < reference.length; j++) {
            long c = reference[j] + batch[j];
            if (c > 0) {
                double diff = m * reference[j] - n * batch[j];
                x2 += diff / (n * m) * (diff / c);
                cells++;
            }
        }
        if (cells < 2) {
            return TestResult.NONE;
        }
        return new TestResult("chi2", x2, cells - 1, Gamma.logChiSquareSurvival(x2, cells - 1));
    }

    /** The smallest cell total whose expected counts in both rows reach the minimum: 5 (n + m) / min(n, m). */
    static double smallestTotal(long n, long m) {
        return MIN_EXPECTED * ((double) n + m) / Math.min(n, m);
    }

    /** Neighbouring cells merged left to right into groups of at least {@code least} in total (empty cells dropped). */
    static long[][] poolAdjacent(long[] a, long[] b, double least) {
        long[] ga = new long[a.length];
        long[] gb = new long[a.length];
        int groups = 0;
        long openA = 0;
        long openB = 0;
        for (int j = 0; j < a.length; j++) {
            openA += a[j];
            openB += b[j];
            if (openA + openB >= least) {
                ga[groups] = openA;
                gb[groups] = openB;
                groups++;
                openA = 0;
                openB = 0;
            }
        }
        if (openA + openB > 0) {
            if (groups == 0) {
                ga[0] = openA;
                gb[0] = openB;
                groups = 1;
            } else {
                ga[groups - 1] += openA;
                gb[groups - 1] += openB;
            }
        }
        return new long[][] {Arrays.copyOf(ga, groups), Arrays.copyOf(gb, groups)};
    }

    /**
     * The cells of at least {@code least} in total kept in order, the thinner ones pooled into one group at the end
     * (empty cells dropped); a pooled group still below {@code least} joins the smallest kept group.
     */
    static long[][] poolSmall(long[] a, long[] b, double least) {
        long[] ga = new long[a.length + 1];
        long[] gb = new long[a.length + 1];
        int groups = 0;
        long restA = 0;
        long restB = 0;
        for (int j = 0; j < a.length; j++) {
            if (a[j] + b[j] >= least) {
                ga[groups] = a[j];
                gb[groups] = b[j];
                groups++;
            } else {
                restA += a[j];
                restB += b[j];
            }
        }
        if (restA + restB > 0) {
            if (restA + restB >= least || groups == 0) {
                ga[groups] = restA;
                gb[groups] = restB;
                groups++;
            } else {
                int smallest = 0;
                for (int g = 1; g < groups; g++) {
                    if (ga[g] + gb[g] < ga[smallest] + gb[smallest]) {
                        smallest = g;
                    }
                }
                ga[smallest] += restA;
                gb[smallest] += restB;
            }
        }
        return new long[][] {Arrays.copyOf(ga, groups), Arrays.copyOf(gb, groups)};
    }

    private static void check(long[] a, long[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("two samples counted in " + a.length + " and " + b.length + " cells");
        }
        for (int j = 0; j < a.length; j++) {
            if (a[j] < 0 || b[j] < 0) {
                throw new IllegalArgumentException("a negative count in cell " + j);
            }
        }
    }

    static long sum(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s = Math.addExact(s, c);
        }
        return s;
    }
}
