package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.Simd;
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.kernels.Kernels;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.NeighbourTerm;
import simdvae.vae.model.Likelihood;
import simdvae.vae.table.UnseenLevels;

/**
 * The hybrid anomaly score ({@link Trainer#scoreNeighbours}, a CSV table's default): the negative ELBO at z = μ plus
 * the distance to the nearest kept training rows, each in robust standard deviations of the validation rows.
 */
class NeighbourScoreTest {
    @TempDir
    Path dir;

    static final Dataset TABLE = MixedRows.dataset(MixedRows.make(400, 0, 3));

    static VaeConfig config() {
        return VaeConfig.defaults().withHidden(List.of(16)).withLatent(2).withBatch(40).withEpochs(3).withSeed(9)
                .withLikelihood(Likelihood.GAUSSIAN).withValidation(0.2, 0);
    }

    static Vae hybrid(VaeConfig c, Dataset data) {
        Vae v = Vae.create(c, data);
        try (Trainer t = new Trainer(v).scoreNeighbours(5)) {
            t.train(data);
        }
        return v.withUnseenLevels(UnseenLevels.OTHER);
    }

    /** Normal rows with one planted row far from every normal one (each number ten times its usual size). */
    static Dataset withPlantedRow(int at) {
        Object[][] rows = MixedRows.make(60, 0, 11);
        Object[] odd = rows[at].clone();
        for (int j = 0; j < 5; j++) {
            odd[j] = odd[j] == null ? 1e6 : ((Double) odd[j]) * 10;
        }
        rows[at] = odd;
        return MixedRows.dataset(rows);
    }

    @Test
    void thePlantedRowRanksFirst() {
        Vae v = hybrid(config(), TABLE);
        assertNotNull(v.neighbours());
        assertEquals("robust sd", v.scoreUnit());
        for (int at : new int[] {0, 17, 59}) {
            double[] s = v.score(withPlantedRow(at)).score();
            int first = 0;
            for (int i = 1; i < s.length; i++) {
                first = s[i] > s[first] ? i : first;
            }
            assertEquals(at, first, Arrays.toString(s));
        }
    }

    @Test
    void theScoreIsTheDocumentedSumOfItsTwoHalves() {
        Vae v = hybrid(config(), TABLE);
        NeighbourTerm t = v.neighbours();
        assertEquals(5, t.k());
        assertEquals(v.architecture().input(), t.width());
        Dataset rows = MixedRows.dataset(MixedRows.make(30, 5, 4));
        Scores s = v.score(rows);
        Embedding e = v.embed(rows);
        assertArrayEquals(s.score(), e.score()); // score and embed (Spark) give the same bits
        for (int i = 0; i < rows.size(); i++) {
            double elbo = s.reconstruction()[i] + s.kl()[i];
            double z = (s.score()[i] - (elbo - t.elboCentre()) / t.elboSpread()) * t.distanceSpread()
                    + t.distanceCentre();
            assertTrue(z >= -1e-6, "row " + i + ": a negative distance " + z);
        }
        // the reference's scores are the hybrid's too: the validation rows' median is near 0 (both halves centred)
        double median = v.reference().scores().threshold(0.5);
        assertTrue(Math.abs(median) < 1.5, "median of the reference's hybrid scores " + median);
    }

    @Test
    void sameBitsAtEveryWidthAndThreadCountAndThroughAFile() {
        // enough rows for the pass's blocked, threaded path; one row at a time below takes the direct one
        Dataset rows = MixedRows.dataset(MixedRows.make(150, 5, 6));
        Map<String, String> seen = new LinkedHashMap<>();
        for (Width w : Simd.supportedWidths()) {
            for (int threads = 1; threads <= 2; threads++) {
                Vae v = hybrid(config().withWidth(w).withThreads(threads), TABLE);
                seen.put(w + "/" + threads, v.parametersSha256() + " "
                        + Arrays.hashCode(v.score(rows).score()) + " " + Arrays.hashCode(v.reference().scores()
                        .knots()));
            }
        }
        assertEquals(1, seen.values().stream().distinct().count(), seen.toString());
        Vae v = hybrid(config(), TABLE);
        Path file = dir.resolve("m.svae");
        v.save(file);
        Vae loaded = Vae.load(file).withUnseenLevels(UnseenLevels.OTHER);
        assertEquals(v.neighbours(), loaded.neighbours());
        assertArrayEquals(v.score(rows).score(), loaded.score(rows).score());
        // scoring one row at a time gives each row's bits: a function of the row alone
        double[] whole = v.score(rows).score();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(whole[i], v.score(rows.rows(new int[] {i})).score()[0]);
        }
    }

    @Test
    void calibrateKeepsTheKeptRowsAndRecalibrates() {
        Vae v = hybrid(config(), TABLE);
        Vae c = v.calibrate(MixedRows.dataset(MixedRows.make(200, 0, 8)));
        assertArrayEquals(v.neighbours().points(), c.neighbours().points());
        assertNotNull(c.reference().neighbours());
    }

    @Test
    void withoutNeighboursTheScoreIsTheElbo() {
        Vae v = Models.trained(Vae.create(config(), TABLE), TABLE).withUnseenLevels(UnseenLevels.OTHER);
        assertNull(v.neighbours());
        assertEquals("nats", v.scoreUnit());
        Scores s = v.score(MixedRows.dataset(MixedRows.make(20, 2, 5)));
        for (int i = 0; i < s.score().length; i++) {
            assertEquals(s.reconstruction()[i] + s.kl()[i], s.score()[i], 1e-4 * Math.abs(s.score()[i]));
        }
    }

    @Test
    void neighboursNeedValidationRows() {
        Vae v = Vae.create(config().withValidation(0, 0), TABLE);
        try (Trainer t = new Trainer(v).scoreNeighbours(5)) {
            SimdvaeException e = assertThrows(SimdvaeException.class, () -> t.train(TABLE));
            assertTrue(e.getMessage().contains("validation"), e.getMessage());
        }
    }

    /** The distance is the mean of the k smallest Euclidean distances, as a brute-force sort computes it. */
    @Test
    void theDistanceIsTheMeanOfTheKNearest() {
        qt().forAll(integers().between(1, 40), integers().between(1, 9), integers().between(1, 5),
                integers().all()).checkAssert((n, width, k, seed) -> {
                    if (n < k) {
                        return;
                    }
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] points = new float[n * width];
                    for (int i = 0; i < points.length; i++) {
                        points[i] = (float) r.nextGaussian();
                    }
                    float[] x = new float[width];
                    for (int j = 0; j < width; j++) {
                        x[j] = (float) r.nextGaussian();
                    }
                    NeighbourTerm t = new NeighbourTerm(k, width, points, 0, 1, 0, 1);
                    double[] d = new double[n];
                    for (int p = 0; p < n; p++) {
                        double s = 0;
                        for (int j = 0; j < width; j++) {
                            double v = (double) x[j] - points[p * width + j];
                            s += v * v;
                        }
                        d[p] = Math.sqrt(s);
                    }
                    Arrays.sort(d);
                    double mean = 0;
                    for (int i = 0; i < k; i++) {
                        mean += d[i];
                    }
                    assertEquals(mean / k, t.distance(x, 0), 1e-12 * (1 + mean));
                    // the scoring pass's way, at every width (kept rows column by column, the width's kernel):
                    // the same bits as the term's own row-by-row sum
                    double[] columns = new double[n * width];
                    for (int p = 0; p < n; p++) {
                        for (int j = 0; j < width; j++) {
                            columns[j * n + p] = points[p * width + j];
                        }
                    }
                    for (Width w : Simd.supportedWidths()) {
                        double[] squares = new double[n];
                        Kernels.of(w).squaredDistances().squaredDistances(columns, 0, n, n, width, x, 0, squares);
                        double[] all = new double[k];
                        Arrays.fill(all, Double.POSITIVE_INFINITY);
                        NeighbourTerm.keepSmallest(squares, n, all);
                        assertEquals(Double.doubleToRawLongBits(t.distance(x, 0)),
                                Double.doubleToRawLongBits(t.distanceFromNearest(all)), "at " + w);
                        // and a block of kept rows at a time, as the pass takes them: the same k smallest
                        int block = 1 + r.nextInt(n);
                        double[] nearest = new double[k];
                        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
                        double[] part = new double[block];
                        for (int p = 0; p < n; p += block) {
                            int b = Math.min(block, n - p);
                            Kernels.of(w).squaredDistances().squaredDistances(columns, p, b, n, width, x, 0, part);
                            NeighbourTerm.keepSmallest(part, b, nearest);
                        }
                        assertEquals(Double.doubleToRawLongBits(t.distance(x, 0)),
                                Double.doubleToRawLongBits(t.distanceFromNearest(nearest)), "blocks of " + block);
                    }
                });
    }
}
