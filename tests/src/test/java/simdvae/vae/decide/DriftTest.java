package simdvae.vae.decide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Drift reports on a synthetic mixed table whose "model" is written out: per column a reconstruction cost in nats
 * (a numeric column's squared residual given the others, a level's −log probability given x, a missing cell's
 * expected cost), the score their sum. Batches drawn like the reference are rarely called drifted; shifted ones are,
 * and the shifted column comes first; every number is the same for any split of the batch.
 */
class DriftTest {
    /** x, y ≈ 2x, colour (3 levels) following x, count (small integers: ties), flag (2 levels, 10% missing), z. */
    static final int COLUMNS = 6;
    static final boolean[] CATEGORICAL = {false, false, true, false, true, false};
    static final int[] LEVELS = {0, 0, 3, 0, 2, 0};

    /** One table row: values, per-column nats, score. */
    record Row(float[] values, float[] nats, double score) {
    }

    /** A raw row drawn like the reference rows. */
    static float[] draw(SplittableRandom r) {
        double x = 40 + 12 * r.nextGaussian();
        double y = 2 * x + 6 * r.nextGaussian();
        int colour = r.nextInt(10) == 0 ? r.nextInt(3) : x < 35 ? 0 : x < 45 ? 1 : 2;
        int count = 0;
        for (int k = 0; k < 6; k++) {
            count += r.nextInt(3) == 0 ? 1 : 0;
        }
        float flag = r.nextInt(10) == 0 ? Float.NaN : r.nextInt(4) == 0 ? 1 : 0;
        float z = r.nextInt(20) == 0 ? Float.NaN : (float) r.nextGaussian();
        return new float[] {(float) x, (float) y, colour, count, flag, z};
    }

    /** What the written-out model makes of a row. */
    static Row score(float[] v) {
        float[] nats = new float[COLUMNS];
        double residual = (v[1] - 2 * v[0]) / 6.0;
        // x and y are each reconstructed from the other (half the residual each) and a weak prior
        nats[0] = (float) (residual * residual / 4 + 0.5 * Math.pow((v[0] - 40) / 12.0, 2) / 4);
        nats[1] = (float) (residual * residual / 4 + 0.5 * Math.pow((v[1] - 80) / 25.0, 2) / 4);
        int expected = v[0] < 35 ? 0 : v[0] < 45 ? 1 : 2;
        nats[2] = (float) -Math.log(v[2] == expected ? 0.9333 : 0.0333);
        nats[3] = (float) (0.5 * Math.pow((v[3] - 2) / 1.15, 2) + 0.5);
        nats[4] = Float.isNaN(v[4]) ? 0.56f : (float) -Math.log(v[4] == 1 ? 0.25 : 0.75);
        nats[5] = Float.isNaN(v[5]) ? 0.5f : 0.5f * v[5] * v[5];
        double s = 0;
        for (float n : nats) {
            s += n;
        }
        return new Row(v, nats, (float) s);
    }

    static List<Row> rows(long seed, int n, UnaryOperator<float[]> change) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(score(change.apply(draw(r))));
        }
        return out;
    }

    static DriftReference reference(List<Row> rows) {
        int n = rows.size();
        double[] scores = new double[n];
        float[][] values = new float[COLUMNS][n];
        float[][] nats = new float[COLUMNS][n];
        for (int i = 0; i < n; i++) {
            scores[i] = rows.get(i).score();
            for (int j = 0; j < COLUMNS; j++) {
                values[j][i] = rows.get(i).values()[j];
                nats[j][i] = rows.get(i).nats()[j];
            }
        }
        return DriftReference.of(scores, values, CATEGORICAL, LEVELS, nats);
    }

    static DriftCounts count(DriftReference ref, List<Row> rows) {
        DriftCounts c = DriftCounts.of(ref);
        for (Row row : rows) {
            c.add(row.score(), row.values(), row.nats());
        }
        return c;
    }

    static final DriftReference REFERENCE = reference(rows(1, 3000, v -> v));

    @Test
    void everyNumberIsTheSameForAnySplitOfTheBatch() {
        qt().withExamples(30).forAll(integers().between(1, 12), longs().all()).checkAssert((parts, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            List<Row> batch = rows(seed, 50 + r.nextInt(400), r.nextBoolean() ? v -> v : v -> {
                v[0] *= 1.2f;
                return v;
            });
            DriftCounts whole = count(REFERENCE, batch);
            // split into random parts (some maybe empty), count each, add them up in a random order
            List<List<Row>> split = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                split.add(new ArrayList<>());
            }
            for (Row row : batch) {
                split.get(r.nextInt(parts)).add(row);
            }
            List<DriftCounts> counted = new ArrayList<>();
            for (List<Row> part : split) {
                counted.add(count(REFERENCE, part));
            }
            Collections.shuffle(counted, new java.util.Random(r.nextLong()));
            DriftCounts sum = DriftCounts.of(REFERENCE);
            for (DriftCounts c : counted) {
                sum.merge(c);
            }
            assertArrayEquals(whole.counts(), sum.counts());
            // and as a group-by over slot numbers would count them
            long[] slots = new long[REFERENCE.slots()];
            int[] out = new int[2 + 2 * COLUMNS];
            for (Row row : batch) {
                int k = REFERENCE.slotsOf(row.score(), row.values(), row.nats(), out);
                for (int i = 0; i < k; i++) {
                    slots[out[i]]++;
                }
            }
            assertArrayEquals(whole.counts(), slots);
            DriftReport a = DriftReport.of(whole);
            DriftReport b = DriftReport.of(DriftCounts.of(REFERENCE, slots));
            assertEquals(a.logP(), b.logP());
            assertEquals(a.scores(), b.scores());
            assertEquals(a.columns(), b.columns());
        });
    }

    @Test
    void batchesDrawnLikeTheReferenceAreRarelyCalledDrifted() {
        // 1,000 trials of a fresh reference of 1,000 rows and a batch of 200 drawn alike (a two-sample test's level
        // is over both samples: against one fixed reference, its own sampling error would shift every trial alike).
        // The verdict at α = 0.05 holds its level (Holm is conservative), and each test's p-value is close to
        // uniform: P(p ≤ 0.1) near 0.1 for the χ² and KS tests, at most 0.1 for Fisher's (discrete, conservative)
        int batches = 1000;
        int drifted = 0;
        int ks = 0;
        int[] values = new int[COLUMNS];
        int[] nats = new int[COLUMNS];
        int[] missing = new int[COLUMNS];
        for (int b = 0; b < batches; b++) {
            DriftReference reference = reference(rows(20_000 + b, 1000, v -> v));
            DriftReport report = DriftReport.of(count(reference, rows(1000 + b, 200, v -> v)));
            drifted += report.drifted(0.05) ? 1 : 0;
            ks += report.scores().p() <= 0.1 ? 1 : 0;
            for (ColumnDrift c : report.columns()) {
                values[c.column()] += c.values().p() <= 0.1 ? 1 : 0;
                nats[c.column()] += c.nats().p() <= 0.1 ? 1 : 0;
                missing[c.column()] += c.missing().ran() && c.missing().p() <= 0.1 ? 1 : 0;
            }
        }
        // 4.5 standard deviations of a binomial share over 1,000 trials
        double sd05 = 4.5 * Math.sqrt(0.05 * 0.95 / batches);
        double sd10 = 4.5 * Math.sqrt(0.1 * 0.9 / batches);
        assertTrue((double) drifted / batches <= 0.05 + sd05, "drifted " + drifted + " of " + batches);
        assertEquals(0.1, (double) ks / batches, sd10, "KS");
        for (int j = 0; j < COLUMNS; j++) {
            assertEquals(0.1, (double) values[j] / batches, sd10, "values of column " + j);
            assertEquals(0.1, (double) nats[j] / batches, sd10, "nats of column " + j);
            assertTrue((double) missing[j] / batches <= 0.1 + sd10, "missing of column " + j);
        }
    }

    @Test
    void aColumnTimesOneAndAHalfIsNamedFirst() {
        for (int column : new int[] {0, 1, 3}) {
            DriftReport report = DriftReport.of(count(REFERENCE, rows(7, 300, v -> {
                v[column] *= 1.5f;
                return v;
            })));
            assertTrue(report.p() < 1e-3, "p = " + report.p());
            assertTrue(report.drifted(0.01));
            assertEquals(column, report.columns().get(0).column(), "column " + column + ": " + report.columns());
            assertTrue(report.columns().get(0).drifted(0.01));
        }
    }

    @Test
    void anomalousRowsAreFlaggedByTheirScores() {
        SplittableRandom r = new SplittableRandom(9);
        DriftReport report = DriftReport.of(count(REFERENCE, rows(8, 200, v -> {
            // y no longer follows x for a third of the rows: their scores rise, no column's values move much
            if (r.nextInt(3) == 0) {
                v[1] = (float) (80 + 25 * r.nextGaussian());
            }
            return v;
        })));
        assertTrue(report.scores().p() < 1e-6, "scores: " + report.scores());
        assertTrue(report.p() < 1e-3);
        // y's values keep nearly their spread (2 · 12 ⊕ 6 against 25): the relation broke, and x's and y's nats say so
        for (ColumnDrift c : report.columns()) {
            if (c.column() <= 1) {
                assertTrue(c.natsAdjustedLogP() <= Math.log(1e-3), c.toString());
            }
        }
    }

    @Test
    void holmMatchesR() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.2), "holm") = 0.05 0.12 0.12 0.03 0.50 0.40
        double[] p = {0.01, 0.04, 0.03, 0.005, 0.5, 0.2};
        double[] logP = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            logP[i] = Math.log(p[i]);
        }
        double[] adjusted = DriftReport.holm(logP);
        double[] r = {0.05, 0.12, 0.12, 0.03, 0.5, 0.4};
        for (int i = 0; i < p.length; i++) {
            assertEquals(r[i], Math.exp(adjusted[i]), 1e-15, "p = " + p[i]);
        }
    }

    @Test
    void aMissingRateAndALevelShareThatMoveAreNamed() {
        SplittableRandom r = new SplittableRandom(4);
        DriftReport gaps = DriftReport.of(count(REFERENCE, rows(5, 400, v -> {
            if (r.nextInt(5) == 0) {
                v[5] = Float.NaN;
            }
            return v;
        })));
        ColumnDrift first = gaps.columns().get(0);
        assertEquals(5, first.column(), gaps.columns().toString());
        assertTrue(first.missing().p() < 1e-6, first.toString());
        DriftReport levels = DriftReport.of(count(REFERENCE, rows(6, 400, v -> {
            if (!Float.isNaN(v[4]) && r.nextInt(3) == 0) {
                v[4] = 1;
            }
            return v;
        })));
        assertEquals(4, levels.columns().get(0).column(), levels.columns().toString());
        assertTrue(levels.columns().get(0).values().p() < 1e-6);
    }

    @Test
    void theReferenceKeepsExactCounts() {
        List<Row> rows = rows(1, 3000, v -> v);
        ColumnReference colour = REFERENCE.column(2);
        long[] levels = new long[3];
        for (Row row : rows) {
            levels[(int) row.values()[2]]++;
        }
        assertArrayEquals(levels, colour.levelCounts());
        long missingFlags = rows.stream().filter(row -> Float.isNaN(row.values()[4])).count();
        assertEquals(missingFlags, REFERENCE.column(4).missing());
        // the small integers of `count` make bins of whole values: every bin holds what (cut[b − 1], cut[b]] says
        Bins bins = REFERENCE.column(3).values();
        float[] cuts = bins.cuts();
        long[] expected = new long[bins.size()];
        for (Row row : rows) {
            float v = row.values()[3];
            int b = 0;
            while (b < cuts.length && v > cuts[b]) {
                b++;
            }
            expected[b]++;
        }
        assertArrayEquals(expected, bins.counts());
        for (int j = 0; j < COLUMNS; j++) {
            assertEquals(3000, REFERENCE.column(j).rows());
        }
    }

    @Test
    void badInputIsRefused() {
        DriftCounts empty = DriftCounts.of(REFERENCE);
        assertThrows(IllegalArgumentException.class, () -> DriftReport.of(empty));
        assertThrows(IllegalArgumentException.class, () -> empty.add(1, new float[5], new float[5]));
        assertThrows(IllegalArgumentException.class, () -> empty.add(1, new float[] {1, 2, 3, 0, 0, 0}, new float[6]));
        assertThrows(IllegalArgumentException.class, () -> empty.add(1, new float[] {1, 2, 0.5f, 0, 0, 0},
                new float[6]));
        assertThrows(IllegalArgumentException.class, () -> empty.add(Double.NaN, new float[6], new float[6]));
        assertThrows(IllegalArgumentException.class, () -> empty.add(1, new float[6], null));
        assertEquals(0, empty.rows(), "a refused row is not counted");
        assertThrows(IllegalArgumentException.class, () -> DriftCounts.of(REFERENCE, new long[3]));
        long[] inconsistent = new long[REFERENCE.slots()];
        inconsistent[0] = 5;
        assertThrows(IllegalArgumentException.class, () -> DriftCounts.of(REFERENCE, inconsistent));
        DriftReference other = reference(rows(2, 100, v -> v));
        assertThrows(IllegalArgumentException.class, () -> DriftCounts.of(REFERENCE).merge(DriftCounts.of(other)));
        DriftReport report = DriftReport.of(count(REFERENCE, rows(3, 50, v -> v)));
        assertThrows(IllegalArgumentException.class, () -> report.drifted(0));
        assertThrows(IllegalArgumentException.class, () -> report.drifted(1));
        assertFalse(report.columns().isEmpty());
    }
}
