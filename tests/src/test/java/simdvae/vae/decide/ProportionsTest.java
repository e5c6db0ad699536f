package simdvae.vae.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The missing-rate test: Fisher's exact p-value against SciPy and against exact hypergeometric sums. */
class ProportionsTest {
    @Test
    void fisherMatchesScipy() {
        // scipy.stats.fisher_exact([[hitsA, rowsA − hitsA], [hitsB, rowsB − hitsB]])[1] (R's fisher.test agrees)
        long[][] tables = {{0, 500, 4, 50}, {3, 500, 5, 50}, {10, 30, 30, 70}, {1, 10, 11, 14}, {50, 5000, 20, 1000}};
        double[] p = {6.106639195540573e-05, 0.0002326640678272392, 0.5044757698516285, 0.0027594561852200836,
            0.014118818927626824};
        for (int t = 0; t < tables.length; t++) {
            long[] x = tables[t];
            TestResult r = Proportions.test(x[0], x[1], x[2], x[3]);
            assertEquals("fisher", r.test());
            assertEquals(p[t], r.p(), 1e-10 * p[t], "table " + t);
        }
    }

    /** The two-sided p-value summed from exact hypergeometric probabilities in big numbers. */
    private static double exactFisher(int a, int r1, int b, int r2) {
        int hits = a + b;
        int all = r1 + r2;
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal denominator = new BigDecimal(binomial(all, r1));
        int lo = Math.max(0, hits - r2);
        int hi = Math.min(hits, r1);
        BigDecimal[] prob = new BigDecimal[hi + 1];
        for (int x = lo; x <= hi; x++) {
            prob[x] = new BigDecimal(binomial(hits, x).multiply(binomial(all - hits, r1 - x))).divide(denominator, mc);
        }
        BigDecimal bound = prob[a].multiply(new BigDecimal("1.0000001"));
        BigDecimal sum = BigDecimal.ZERO;
        for (int x = lo; x <= hi; x++) {
            if (prob[x].compareTo(bound) <= 0) {
                sum = sum.add(prob[x]);
            }
        }
        return Math.min(1, sum.doubleValue());
    }

    private static BigInteger binomial(int n, int k) {
        BigInteger c = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            c = c.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return c;
    }

    @Test
    void fisherEqualsExactHypergeometricSums() {
        qt().withExamples(400).forAll(integers().between(1, 150), integers().between(1, 150), integers().all(),
                integers().all()).checkAssert((r1, r2, u, v) -> {
                    int a = Math.floorMod(u, r1 + 1);
                    int b = Math.floorMod(v, r2 + 1);
                    TestResult t = Proportions.test(a, r1, b, r2);
                    if (a + b == 0 || a + b == r1 + r2) {
                        assertFalse(t.ran(), "nothing to test when no row or every row has it");
                        return;
                    }
                    double expected = exactFisher(a, r1, b, r2);
                    assertEquals(expected, t.p(), 1e-9 * expected, a + "/" + r1 + " vs " + b + "/" + r2);
                });
    }

    @Test
    void statisticIsPearsonsOfTheTwoByTwoTable() {
        // X² = N (ad − bc)² / (r1 r2 c1 c2)
        long a = 37;
        long b = 963;
        long c = 21;
        long d = 179;
        TestResult t = Proportions.test(a, a + b, c, c + d);
        double n = a + b + c + d;
        double x2 = n * Math.pow(a * d - b * c, 2) / ((double) (a + b) * (c + d) * (a + c) * (b + d));
        assertEquals(x2, t.statistic(), 1e-12 * x2);
        assertEquals(1, t.degreesOfFreedom());
    }

    @Test
    void farTailsStayFiniteInLogs() {
        // 0 of 100,000 against 5,000 of 10,000: p is far below the smallest double, ln p is not
        TestResult t = Proportions.test(0, 100_000, 5_000, 10_000);
        assertEquals(0.0, t.p());
        assertTrue(Double.isFinite(t.logP()) && t.logP() < -1000, "ln p = " + t.logP());
        // more extreme tables give smaller log p-values
        assertTrue(Proportions.test(0, 100_000, 6_000, 10_000).logP() < t.logP());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Proportions.test(5, 4, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> Proportions.test(-1, 4, 0, 10));
    }
}
