package simdvae.vae.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.kernels.SeededCases;

/** χ² of two samples over the same cells: the statistic, its p-value, and the pooling of thin cells. */
class ChiSquareTest {
    private static long[][] table(SplittableRandom r, int k, int scale) {
        long[][] t = new long[2][k];
        for (int j = 0; j < k; j++) {
            t[0][j] = r.nextInt(1 + r.nextInt(scale));
            t[1][j] = r.nextInt(1 + r.nextInt(scale));
        }
        return t;
    }

    @Test
    void homogeneityMatchesScipy() {
        // scipy.stats.chi2_contingency(table, correction=False): (statistic, p, dof)
        TestResult a = ChiSquare.homogeneity(new long[] {10, 20, 30}, new long[] {15, 5, 25});
        assertEquals(8.484848484848484, a.statistic(), 1e-12);
        assertEquals(2, a.degreesOfFreedom());
        assertEquals(0.014372706649902672, a.p(), 1e-13);
        TestResult b = ChiSquare.homogeneity(new long[] {100, 200, 300, 400}, new long[] {12, 25, 29, 50});
        assertEquals(1.2661880306047604, b.statistic(), 1e-12);
        assertEquals(3, b.degreesOfFreedom());
        assertEquals(0.7371772865702078, b.p(), 1e-12);
    }

    @Test
    void homogeneityIsPearsonsSumOverExpectedCounts() {
        qt().withExamples(500).forAll(integers().between(1, 30), longs().all()).checkAssert((k, seed) -> {
            long[][] t = table(new SplittableRandom(seed), k, 200);
            double n = 0;
            double m = 0;
            for (int j = 0; j < k; j++) {
                n += t[0][j];
                m += t[1][j];
            }
            double x2 = 0;
            int cells = 0;
            for (int j = 0; j < k; j++) {
                double c = t[0][j] + t[1][j];
                if (c == 0) {
                    continue;
                }
                cells++;
                double e0 = n * c / (n + m);
                double e1 = m * c / (n + m);
                x2 += (t[0][j] - e0) * (t[0][j] - e0) / e0 + (t[1][j] - e1) * (t[1][j] - e1) / e1;
            }
            TestResult r = ChiSquare.homogeneity(t[0], t[1]);
            if (n == 0 || m == 0 || cells < 2) {
                assertFalse(r.ran());
                return;
            }
            assertEquals(x2, r.statistic(), 1e-9 * Math.max(1, x2));
            assertEquals(cells - 1, r.degreesOfFreedom());
        });
    }

    @Test
    void poolingKeepsTotalsAndReachesTheExpectedCounts() {
        SeededCases.check(500, integers().between(1, 40), (k, r) -> {
            long[][] t = table(r, k, r.nextBoolean() ? 20 : 2000);
            long n = ChiSquare.sum(t[0]);
            long m = ChiSquare.sum(t[1]);
            if (n == 0 || m == 0) {
                return;
            }
            double least = ChiSquare.smallestTotal(n, m);
            for (long[][] g : new long[][][] {ChiSquare.poolAdjacent(t[0], t[1], least),
                ChiSquare.poolSmall(t[0], t[1], least)}) {
                assertEquals(n, ChiSquare.sum(g[0]));
                assertEquals(m, ChiSquare.sum(g[1]));
                for (int j = 0; j < g[0].length; j++) {
                    double c = g[0][j] + g[1][j];
                    // every group's expected count in both samples reaches 5, unless everything is one group
                    assertTrue(g[0].length == 1 || (n * c / (n + m) >= 5 - 1e-9 && m * c / (n + m) >= 5 - 1e-9),
                            "group " + j + " of " + g[0].length);
                }
            }
            // adjacent pooling merges runs of neighbours: every group boundary is a boundary between cells, so the
            // running totals at the groups' ends are running totals at some cells' ends
            long[][] g = ChiSquare.poolAdjacent(t[0], t[1], least);
            Set<List<Long>> ends = new HashSet<>();
            long a = 0;
            long b = 0;
            for (int j = 0; j < k; j++) {
                a += t[0][j];
                b += t[1][j];
                ends.add(List.of(a, b));
            }
            long ga = 0;
            long gb = 0;
            for (int j = 0; j < g[0].length; j++) {
                ga += g[0][j];
                gb += g[1][j];
                assertTrue(ends.contains(List.of(ga, gb)), "group " + j + " ends between cells");
            }
        });
    }

    @Test
    void aCellTheReferenceNeverSawDoesNotDecideAlone() {
        // 5,000 reference values over ten even bins and an eleventh empty one; a batch of 50 alike, one of them in
        // the eleventh: unpooled, that one cell adds n/m = 100 to X²; pooled, the batch is not called different
        long[] reference = {500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 0};
        long[] batch = {5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 1};
        assertTrue(ChiSquare.homogeneity(reference, batch).p() < 1e-15);
        assertTrue(ChiSquare.ordered(reference, batch).p() > 0.5);
        assertTrue(ChiSquare.unordered(reference, batch).p() > 0.5);
        // but a batch that piles into one end is
        long[] piled = {0, 0, 0, 0, 0, 0, 0, 0, 10, 20, 20};
        assertTrue(ChiSquare.ordered(reference, piled).p() < 1e-10);
    }

    @Test
    void nothingToTestGivesNone() {
        assertFalse(ChiSquare.ordered(new long[] {3, 4}, new long[] {0, 0}).ran());
        assertFalse(ChiSquare.unordered(new long[] {3, 0}, new long[] {7, 0}).ran());
        assertEquals(1.0, ChiSquare.ordered(new long[] {3, 4}, new long[] {0, 0}).p());
        // a batch of 3 rows can never have expected counts of 5 in two groups
        assertFalse(ChiSquare.ordered(new long[] {500, 500}, new long[] {0, 3}).ran());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChiSquare.homogeneity(new long[2], new long[3]));
        assertThrows(IllegalArgumentException.class, () -> ChiSquare.ordered(new long[] {1, -1}, new long[2]));
    }
}
