package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.Simd;
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Likelihood;
import simdvae.vae.table.Schema;
import simdvae.vae.table.UnseenLevels;

/** Tables with categorical columns and missing cells, through the library: training, scores, files, bad input. */
class TableModelTest {
    static final List<String> NAMES = List.of("x", "y", "colour", "size", "flag");

    /**
     * Rows of two correlated numbers, a colour that follows x, a size that follows y, a yes/no flag; a share of the
     * cells missing.
     */
    static Object[][] table(int rows, double gaps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Object[][] t = new Object[rows][];
        for (int i = 0; i < rows; i++) {
            double x = r.nextGaussian();
            double y = 2 * x + 0.3 * r.nextGaussian();
            Object[] row = {x, y, x < -0.5 ? "red" : x < 0.5 ? "green" : "blue", y < 0 ? "small" : "large",
                r.nextDouble() < 0.8 ? "yes" : "no"};
            for (int j = 0; j < row.length; j++) {
                if (r.nextDouble() < gaps) {
                    row[j] = null;
                }
            }
            t[i] = row;
        }
        return t;
    }

    static Vae trained(Dataset data, int epochs) {
        VaeConfig config = VaeConfig.defaults().withHidden(List.of(24)).withLatent(2).withBatch(32).withEpochs(epochs).withSeed(3)
                .withLikelihood(Likelihood.GAUSSIAN);
        return Models.trained(Vae.create(config, data), data);
    }

    @Test
    void aMixedTableTrainsAndScoresTheSameBitsAtEveryWidthAndThreadCount(@TempDir Path dir) {
        Dataset data = Dataset.of(table(400, 0.1, 1), NAMES);
        Schema c;
        String sha = null;
        for (Width w : Simd.supportedWidths()) {
            for (int threads : new int[] {1, 2, 3}) {
                VaeConfig config = VaeConfig.defaults().withHidden(List.of(24)).withLatent(2).withBatch(32).withEpochs(3).withSeed(3)
                        .withLikelihood(Likelihood.GAUSSIAN)
                        .withThreads(threads).withWidth(w);
                Vae vae = Vae.create(config, data);
                Models.trained(vae, data);
                if (sha == null) {
                    sha = vae.parametersSha256();
                }
                assertEquals(sha, vae.parametersSha256(), "width " + w + ", " + threads + " threads");
            }
        }
        Vae vae = trained(data, 3);
        c = vae.features().schema();
        assertEquals(List.of(Dataset.Kind.NUMERIC, Dataset.Kind.NUMERIC, Dataset.Kind.CATEGORICAL,
                Dataset.Kind.CATEGORICAL, Dataset.Kind.CATEGORICAL), List.of(c.kind(0), c.kind(1), c.kind(2),
                c.kind(3), c.kind(4)));
        assertEquals(List.of("blue", "green", "red", Schema.OTHER), c.levels(2));
        // 2 numbers + 4 + 3 + 3 one-hot + 5 "was missing" inputs
        assertEquals(2 + 4 + 3 + 3 + 5, vae.architecture().input());
        Scores s = vae.score(data);
        Scores s2 = vae.withThreads(2).withWidth(Width.SCALAR).score(data);
        assertArrayEquals(s.negativeElbo(), s2.negativeElbo());
        assertArrayEquals(s.reconstruction(), s2.reconstruction());
        // the model file (format 3) keeps the columns, the levels and so the scores
        Path file = dir.resolve("table.svae");
        vae.save(file);
        Vae back = Vae.load(file);
        assertEquals(vae.parametersSha256(), back.parametersSha256());
        assertArrayEquals(s.negativeElbo(), back.score(data).negativeElbo());
        assertEquals(c.levels(3), back.features().schema().levels(3));
        for (double v : s.negativeElbo()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void anUnseenLevelIsRefusedInOneLineOrCountedAsOtherAndScoresHigh() {
        Dataset data = Dataset.of(table(400, 0, 2), NAMES);
        Vae vae = trained(data, 8);
        Object[][] rows = table(20, 0, 3);
        double usual = vae.score(Dataset.of(rows, NAMES)).reconstruction()[7];
        rows[7][2] = "purple";
        Dataset fresh = Dataset.of(rows, NAMES);
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> vae.score(fresh));
        assertTrue(e.getMessage().contains("row 7") && e.getMessage().contains("'colour'")
                && e.getMessage().contains("'purple'") && e.getMessage().contains("other"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Scores s = vae.withUnseenLevels(UnseenLevels.OTHER).score(fresh);
        // the model never saw '(other)' in training, so the row costs nats more than with its usual colour
        assertTrue(s.reconstruction()[7] > usual + 2, "with an unseen colour " + s.reconstruction()[7]
                + " nats, with its usual one " + usual);
    }

    @Test
    void aRowDoesNotLookNormalBecauseHalfOfItIsMissing() {
        // categorical columns only, so every term is a positive number of nats
        SplittableRandom r = new SplittableRandom(5);
        Object[][] rows = new Object[600][];
        for (int i = 0; i < rows.length; i++) {
            int k = r.nextInt(6);
            rows[i] = new Object[] {"a" + k, "b" + (k / 2), "c" + (k % 3), "d" + r.nextInt(4), "e" + (k + r.nextInt(2))};
        }
        List<String> names = List.of("a", "b", "c", "d", "e");
        Dataset data = Dataset.of(rows, names);
        Vae vae = trained(data, 10);
        Object[][] halves = new Object[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            halves[i] = rows[i].clone();
            for (int j = i % 2; j < 5; j += 2) {
                halves[i][j] = null;
            }
        }
        double full = mean(vae.score(data).reconstruction());
        double half = mean(vae.score(Dataset.of(halves, names)).reconstruction());
        // counted at observed cells only, half a row would cost about half as much; at their expected value, about
        // the same
        assertTrue(half > 0.75 * full, "rows with half their cells missing score " + half + ", full rows " + full);
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }

    @Test
    void badTablesAreRefusedInOneLine() {
        assertOneLine(() -> Dataset.of(new Object[][] {{1.0, "a"}, {"b", "c"}}, List.of("p", "q")), "'p'", "mixes");
        assertOneLine(() -> Dataset.of(new Object[][] {{1.0, "a"}, {2.0}}, List.of("p", "q")), "row 1");
        assertOneLine(() -> Dataset.of(new Object[][] {{1.0, Double.POSITIVE_INFINITY}}, List.of("p", "q")),
                "finite");
        assertOneLine(() -> Dataset.of(new Object[][] {{1.0, new int[1]}}, List.of("p", "q")), "neither");
        Dataset allMissing = Dataset.of(new Object[][] {{1.0, null}, {2.0, null}}, List.of("p", "q"));
        assertOneLine(() -> Vae.create(VaeConfig.defaults(), allMissing), "'q'", "no value");
        // a plain model cannot take categorical columns: it says how to make one that can
        Dataset mixed = Dataset.of(table(50, 0, 1), NAMES);
        assertOneLine(() -> {
            try (Trainer t = new Trainer(Vae.create(VaeConfig.defaults().withInput(5)))) {
                t.train(mixed);
            }
        }, "categorical", "Vae.create(config, data)");
    }

    private static void assertOneLine(Runnable r, String... parts) {
        SimdvaeException e = assertThrows(SimdvaeException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in " + e.getMessage());
        }
    }

    /** Random tables with random gaps, kinds and levels train a few steps and score without a crash. */
    @Test
    void randomTablesWithRandomGapsAndLevelsTrainAndScore() {
        qt().withExamples(25).forAll(integers().between(2, 60), integers().between(1, 6), longs().all())
                .checkAssert((rows, cols, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    boolean[] text = new boolean[cols];
                    List<String> names = new ArrayList<>();
                    for (int j = 0; j < cols; j++) {
                        text[j] = r.nextBoolean();
                        names.add("c" + j);
                    }
                    double gaps = r.nextDouble() * 0.5;
                    Object[][] t = new Object[rows][cols];
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < cols; j++) {
                            t[i][j] = r.nextDouble() < gaps ? null
                                    : text[j] ? "level" + r.nextInt(1 + r.nextInt(8)) : r.nextGaussian() * 5;
                        }
                    }
                    for (int j = 0; j < cols; j++) {
                        t[r.nextInt(rows)][j] = text[j] ? "level0" : 1.5; // every column has a value somewhere
                    }
                    Dataset data = Dataset.of(t, names);
                    VaeConfig config = VaeConfig.defaults().withHidden(List.of(1 + r.nextInt(12))).withLatent(1 + r.nextInt(3))
                            .withBatch(1 + r.nextInt(16)).withEpochs(2).withSeed(seed).withLikelihood(Likelihood.GAUSSIAN);
                    Vae vae = Vae.create(config, data);
                    Models.trained(vae, data);
                    Scores s = vae.score(data);
                    double[] ll = vae.logLikelihood(data, 3);
                    for (int i = 0; i < rows; i++) {
                        assertTrue(Double.isFinite(s.negativeElbo()[i]) && Double.isFinite(ll[i]),
                                "row " + i + " of " + Arrays.deepToString(t));
                    }
                    float[][] back = vae.reconstruct(data);
                    assertEquals(cols, back[0].length);
                });
    }
}
