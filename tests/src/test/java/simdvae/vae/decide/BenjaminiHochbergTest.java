package simdvae.vae.decide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import simdvae.kernels.SeededCases;

/** Benjamini–Hochberg: against a direct implementation of its definition, its properties, and counts. */
class BenjaminiHochbergTest {
    /**
     * p-values: continuous, or on a coarse lattice (many ties, and many exactly at a line k q / m), or conformal
     * ones with a share of outliers.
     */
    static double[] pValues(SplittableRandom r, int m) {
        double[] p = new double[m];
        int kind = r.nextInt(3);
        int lattice = 1 + r.nextInt(40);
        for (int i = 0; i < m; i++) {
            double u = r.nextDouble();
            p[i] = switch (kind) {
                case 0 -> u * u;
                case 1 -> Math.ceil(u * lattice) / lattice;
                default -> r.nextInt(10) == 0 ? 1.0 / 1001 : (1 + r.nextInt(1000)) / 1001.0;
            };
        }
        return p;
    }

    /**
     * The definition, counted directly: k* is the largest k with at least k p-values at most the line k q / m
     * (compared as p m ≤ q k); the discoveries are the p-values at most the line there.
     */
    static boolean[] byDefinition(double[] p, double q) {
        int m = p.length;
        int best = 0;
        for (int k = m; k >= 1; k--) {
            int under = 0;
            for (double x : p) {
                if (x * m <= q * k) {
                    under++;
                }
            }
            if (under >= k) {
                best = k;
                break;
            }
        }
        boolean[] out = new boolean[m];
        for (int i = 0; i < m; i++) {
            out[i] = best > 0 && p[i] * m <= q * best;
        }
        return out;
    }

    @Test
    void discoveriesMatchTheDefinition() {
        qt().withExamples(1000).forAll(integers().between(1, 120), doubles().between(0.001, 1), longs().all())
                .checkAssert((m, q, seed) -> {
                    double[] p = pValues(new SplittableRandom(seed), m);
                    assertArrayEquals(byDefinition(p, q), BenjaminiHochberg.discoveries(p, q),
                            "q = " + q + ", p = " + Arrays.toString(p));
                });
    }

    @Test
    void discoveriesAreTheSmallestPValuesUnderTheLine() {
        SeededCases.check(1000, integers().between(1, 300), doubles().between(0.001, 1), (m, q, r) -> {
            double[] p = pValues(r, m);
            boolean[] d = BenjaminiHochberg.discoveries(p, q);
            int found = 0;
            for (boolean x : d) {
                found += x ? 1 : 0;
            }
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < m; i++) {
                // closed downwards: every p-value below a discovery's is one
                for (int j = 0; j < m; j++) {
                    if (d[i] && p[j] <= p[i]) {
                        assertTrue(d[j]);
                    }
                }
                // each discovery is under the line at the number of discoveries
                if (d[i]) {
                    assertTrue(p[i] * m <= q * found);
                }
            }
            // no larger count of smallest p-values would be under the line
            for (int k = found + 1; k <= m; k++) {
                assertTrue(sorted[k - 1] * m > q * k, "step-up stopped early at " + found + " < " + k);
            }
            // the order of the p-values does not matter
            int[] perm = r.ints(m).toArray();
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(perm[a], perm[b]));
            double[] shuffled = new double[m];
            for (int i = 0; i < m; i++) {
                shuffled[i] = p[order[i]];
            }
            boolean[] ds = BenjaminiHochberg.discoveries(shuffled, q);
            for (int i = 0; i < m; i++) {
                assertEquals(d[order[i]], ds[i]);
            }
        });
    }

    @Test
    void theCutFromCountsEqualsTheCutFromTheRows() {
        qt().withExamples(1000).forAll(integers().between(1, 300), doubles().between(0.001, 1), longs().all())
                .checkAssert((m, q, seed) -> {
                    double[] p = pValues(new SplittableRandom(seed), m);
                    // what a distributed job sends: how many rows per distinct p-value, for the p-values ≤ q only
                    TreeMap<Double, Long> counts = new TreeMap<>();
                    for (double x : p) {
                        if (x <= q) {
                            counts.merge(x, 1L, Long::sum);
                        }
                    }
                    double[] values = counts.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                    long[] n = counts.values().stream().mapToLong(Long::longValue).toArray();
                    assertEquals(BenjaminiHochberg.threshold(p, q), BenjaminiHochberg.threshold(values, n, m, q));
                });
    }

    @Test
    void adjustedPValuesDecideAsTheProcedure() {
        SeededCases.check(500, integers().between(1, 200), doubles().between(0.001, 1), (m, q, r) -> {
            double[] p = new double[m];
            for (int i = 0; i < m; i++) {
                p[i] = Math.pow(r.nextDouble(), 3);
            }
            double[] adj = BenjaminiHochberg.adjusted(p);
            boolean[] d = BenjaminiHochberg.discoveries(p, q);
            for (int i = 0; i < m; i++) {
                // at least p (to the rounding of p m / m), at most 1
                assertTrue(adj[i] >= p[i] * (1 - 1e-15) && adj[i] <= 1, "p = " + p[i] + ", adjusted " + adj[i]);
                // away from the rounding of one division, adjusted ≤ q exactly when a discovery
                if (Math.abs(adj[i] - q) > 1e-12) {
                    assertEquals(d[i], adj[i] <= q, "p = " + p[i] + ", adjusted " + adj[i]);
                }
            }
        });
    }

    @Test
    void aKnownExampleMatchesR() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.2), "BH") = 0.03 0.06 0.06 0.03 0.50 0.24
        double[] p = {0.01, 0.04, 0.03, 0.005, 0.5, 0.2};
        double[] adj = BenjaminiHochberg.adjusted(p);
        double[] r = {0.03, 0.06, 0.06, 0.03, 0.5, 0.24};
        assertArrayEquals(r, adj, 1e-15);
        assertArrayEquals(new boolean[] {true, false, false, true, false, false},
                BenjaminiHochberg.discoveries(p, 0.05));
        assertEquals(0.01, BenjaminiHochberg.threshold(p, 0.05));
        assertEquals(Double.NEGATIVE_INFINITY, BenjaminiHochberg.threshold(p, 0.01));
        assertArrayEquals(new boolean[6], BenjaminiHochberg.discoveries(p, 0.01));
    }

    @Test
    void conformalPValuesKeepTheFalseDiscoveryRate() {
        // rows scored against a reference of 500: 90% drawn like it, 10% shifted far up. The realised share of
        // false discoveries, averaged over 300 batches, stays at or below q · (share of nulls) = 0.09 (BH under
        // positive dependence, which conformal p-values sharing a reference have: Bates et al., 2023)
        SplittableRandom r = new SplittableRandom(17);
        double q = 0.1;
        double fdp = 0;
        int batches = 300;
        int found = 0;
        for (int b = 0; b < batches; b++) {
            ScoreDistribution k = ScoreDistribution.of(ScoreDistributionTest.scores(r, 500, false));
            int m = 200;
            double[] s = ScoreDistributionTest.scores(r, m, false);
            boolean[] outlier = new boolean[m];
            for (int i = 0; i < m; i++) {
                outlier[i] = r.nextInt(10) == 0;
                if (outlier[i]) {
                    s[i] *= 20;
                }
            }
            boolean[] d = BenjaminiHochberg.discoveries(k.pValues(s), q);
            int discoveries = 0;
            int falses = 0;
            for (int i = 0; i < m; i++) {
                if (d[i]) {
                    discoveries++;
                    falses += outlier[i] ? 0 : 1;
                }
            }
            found += discoveries;
            fdp += discoveries == 0 ? 0 : (double) falses / discoveries;
        }
        double fdr = fdp / batches;
        // the average of 300 shares, each in [0, 1] and mostly near 0.09: its standard error is about 0.003
        assertTrue(fdr <= 0.09 + 0.015, "false discovery rate " + fdr);
        assertTrue(found > batches * 10, "the outliers are found: " + found);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenjaminiHochberg.discoveries(new double[] {0.5}, 0));
        assertThrows(IllegalArgumentException.class, () -> BenjaminiHochberg.discoveries(new double[] {1.5}, 0.1));
        assertThrows(IllegalArgumentException.class,
                () -> BenjaminiHochberg.discoveries(new double[] {Double.NaN}, 0.1));
        assertThrows(IllegalArgumentException.class,
                () -> BenjaminiHochberg.threshold(new double[] {0.2, 0.1}, new long[] {1, 1}, 5, 0.1));
        assertThrows(IllegalArgumentException.class,
                () -> BenjaminiHochberg.threshold(new double[] {0.1}, new long[] {6}, 5, 0.1));
        assertThrows(IllegalArgumentException.class,
                () -> BenjaminiHochberg.threshold(new double[] {0.1}, new long[] {0}, 5, 0.1));
        assertEquals(0, BenjaminiHochberg.discoveries(new double[0], 0.1).length);
    }
}
