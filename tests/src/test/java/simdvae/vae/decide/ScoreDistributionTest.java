package simdvae.vae.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.kernels.SeededCases;

/** Conformal p-values and the Kolmogorov–Smirnov statistic from a reference's kept scores, whole or sketched. */
class ScoreDistributionTest {
    /** Scores with ties (rounded to a grid) or without, as floats like a model's. */
    static double[] scores(SplittableRandom r, int n, boolean ties) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double x = Math.exp(r.nextGaussian()) * 10;
            s[i] = ties ? Math.rint(x) : (float) x;
        }
        return s;
    }

    /** (1 + #reference ≥ s) / (n + 1), counted. */
    static double bruteP(double[] reference, double s) {
        long atLeast = Arrays.stream(reference).filter(v -> v >= s).count();
        return (1.0 + atLeast) / (reference.length + 1);
    }

    @Test
    void exactPValuesAreTheConformalFormula() {
        SeededCases.check(300, integers().between(1, 300), (n, r) -> {
            boolean ties = r.nextBoolean();
            double[] ref = scores(r, n, ties);
            ScoreDistribution k = ScoreDistribution.of(ref);
            assertTrue(k.exact());
            double[] queries = scores(r, 50, ties);
            for (int i = 0; i < 10; i++) {
                queries[i] = ref[r.nextInt(n)];
            }
            queries[10] = Double.NEGATIVE_INFINITY;
            queries[11] = Double.POSITIVE_INFINITY;
            for (double s : queries) {
                assertEquals(bruteP(ref, s), k.pValue(s), 1e-15, "score " + s);
            }
        });
    }

    @Test
    void pValuesAreInTheUnitIntervalAndNeverRiseWithTheScore() {
        SeededCases.check(200, integers().between(1, 400), integers().between(1, 200), (n, limit, r) -> {
            boolean ties = r.nextBoolean();
            ScoreDistribution k = ScoreDistribution.of(scores(r, n, ties), limit);
            double[] q = scores(r, 300, ties);
            Arrays.sort(q);
            double previous = 1;
            for (int i = 0; i < q.length; i++) {
                double p = k.pValue(q[i]);
                assertTrue(p > 0 && p <= 1, "p = " + p);
                assertTrue(p >= 1.0 / (n + 1) - 1e-15, "p = " + p);
                assertTrue(p <= previous, "p rose from " + previous + " to " + p + " at " + q[i]);
                if (i > 0 && q[i] == q[i - 1]) {
                    assertEquals(previous, p, 0.0, "equal scores, equal p-values");
                }
                previous = p;
            }
            assertEquals(1.0, k.pValue(k.knot(0)));
            assertEquals(1.0 / (n + 1), k.pValue(Math.nextUp(k.knot(k.size() - 1))), 1e-15);
        });
    }

    @Test
    void aReferenceRowsOwnPValuesAreEvenlySpread() {
        // distinct scores: the i-th largest has i reference scores at least as large, itself included
        SplittableRandom r = new SplittableRandom(11);
        double[] ref = scores(r, 999, false);
        ScoreDistribution k = ScoreDistribution.of(ref);
        double[] p = k.pValues(ref);
        Arrays.sort(p);
        for (int i = 0; i < p.length; i++) {
            assertEquals((i + 2.0) / 1000, p[i], 1e-15, "rank " + i);
        }
    }

    @Test
    void pValuesOfNewRowsDrawnLikeTheReferenceAreUniform() {
        // a reference of 19 rows and one new row, 20,000 times: p is k/20 with probability 1/20 for each k, so
        // P(p ≤ α) = α at every multiple of 1/20
        SplittableRandom r = new SplittableRandom(3);
        int trials = 20_000;
        int[] hits = new int[21];
        for (int t = 0; t < trials; t++) {
            double[] ref = scores(r, 19, false);
            double p = ScoreDistribution.of(ref).pValue(scores(r, 1, false)[0]);
            hits[(int) Math.round(p * 20)]++;
        }
        assertEquals(0, hits[0]);
        int below = 0;
        for (int k = 1; k <= 20; k++) {
            below += hits[k];
            double alpha = k / 20.0;
            double sd = Math.sqrt(trials * alpha * (1 - alpha));
            // 4.5 standard deviations: a false failure once in 150,000 runs per point
            assertEquals(alpha * trials, below, 4.5 * sd + 1e-9, "P(p ≤ " + alpha + ")");
        }
    }

    @Test
    void aSketchAnswersWithinOneKnotSpacing() {
        SeededCases.check(40, integers().between(500, 20_000), integers().between(10, 300), (n, limit, r) -> {
            boolean ties = r.nextInt(4) == 0;
            double[] ref = scores(r, n, ties);
            ScoreDistribution k = ScoreDistribution.of(ref, limit);
            double[] sorted = ref.clone();
            Arrays.sort(sorted);
            assertEquals(n > limit ? limit + 1 : n, k.size());
            assertEquals(sorted[0], k.knot(0));
            assertEquals(sorted[n - 1], k.knot(k.size() - 1));
            double bound = (n - 1.0) / (k.size() - 1) + 1;
            for (int q = 0; q < 200; q++) {
                double s = q < 100 ? sorted[r.nextInt(n)] * (1 + 1e-3 * r.nextGaussian())
                        : (float) sorted[r.nextInt(n)];
                long exact = Arrays.stream(sorted).filter(v -> v >= (float) s).count();
                assertTrue(Math.abs(k.countAtLeast(s) - exact) <= bound + 1e-9,
                        "#≥ " + s + ": " + k.countAtLeast(s) + " against " + exact + ", bound " + bound);
                assertTrue(Math.abs(k.pValue(s) - bruteP(sorted, (float) s)) <= bound / (n + 1) + 1e-12);
            }
        });
    }

    @Test
    void knotsAtWholePositionsAreTheOrderStatistics() {
        // 5,001 scores, 101 knots: knot i stands at position 50 i, a whole rank, so it is that order statistic
        double[] ref = scores(new SplittableRandom(5), 5001, false);
        ScoreDistribution k = ScoreDistribution.of(ref, 100);
        double[] sorted = ref.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < k.size(); i++) {
            assertEquals((float) sorted[50 * i], k.knot(i), "knot " + i);
            assertEquals(50.0 * i, k.position(i));
        }
    }

    /** The two-sample KS statistic, from its definition: the largest gap at any point of either sample. */
    static double bruteKs(double[] a, double[] b) {
        double[] sa = a.clone();
        double[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        double d = 0;
        for (double[] pts : new double[][] {sa, sb}) {
            for (double x : pts) {
                double fa = atMost(sa, x) / (double) sa.length;
                double fb = atMost(sb, x) / (double) sb.length;
                d = Math.max(d, Math.abs(fa - fb));
            }
        }
        return d;
    }

    /** How many of the sorted values are at most x. */
    static int atMost(double[] sorted, double x) {
        int i = Arrays.binarySearch(sorted, x);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == x) {
            i++;
        }
        return i;
    }

    static long[] bucketCounts(ScoreDistribution k, double[] batch) {
        long[] counts = new long[k.buckets()];
        for (double s : batch) {
            counts[k.bucket(s)]++;
        }
        return counts;
    }

    @Test
    void ksFromBucketCountsIsTheExactStatisticWhenEveryScoreIsKept() {
        SeededCases.check(200, integers().between(1, 200), integers().between(1, 200), (n, m, r) -> {
            boolean ties = r.nextBoolean();
            double[] ref = scores(r, n, ties);
            double[] batch = scores(r, m, ties);
            double shift = r.nextInt(3) * 3.0;
            for (int i = 0; i < m; i++) {
                batch[i] += shift;
            }
            ScoreDistribution k = ScoreDistribution.of(ref);
            TestResult t = k.ksTest(bucketCounts(k, batch));
            assertEquals(bruteKs(ref, batch), t.statistic(), 1e-12);
            assertEquals("ks", t.test());
        });
    }

    @Test
    void ksFromASketchIsWithinItsBound() {
        SeededCases.check(20, integers().between(2_000, 20_000), integers().between(1, 300), (n, m, r) -> {
            double[] ref = scores(r, n, r.nextInt(4) == 0);
            double[] batch = scores(r, m, false);
            ScoreDistribution k = ScoreDistribution.of(ref, 200);
            double d = k.ksTest(bucketCounts(k, batch)).statistic();
            double bound = (n - 1.0) / (200.0 * n);
            assertEquals(bruteKs(ref, batch), d, bound + 1e-12);
        });
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ScoreDistribution.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> ScoreDistribution.of(new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> ScoreDistribution.ofKept(new float[] {2, 1}, 2));
        assertThrows(IllegalArgumentException.class, () -> ScoreDistribution.ofKept(new float[] {1}, 5));
        assertThrows(IllegalArgumentException.class, () -> ScoreDistribution.ofKept(new float[] {1, 2, 3}, 2));
        ScoreDistribution k = ScoreDistribution.of(new double[] {1, 2, 3});
        assertThrows(IllegalArgumentException.class, () -> k.ksTest(new long[3]));
        assertTrue(Double.isNaN(k.pValue(Double.NaN)));
        assertEquals(-1, k.bucket(Double.NaN));
    }
}
