package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.ScoreDistribution;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.model.Likelihood;

/** From scores to decisions: reference distributions, percentiles, thresholds, and which column made a score. */
class DecisionTest {
    @TempDir
    Path dir;

    /** A small Gaussian model of planted rows, trained and calibrated on its training rows. */
    private static Vae trained(Dataset rows, int epochs) {
        return Models.trained(Vae.create(VaeConfig.defaults().withInput(rows.columns()).withHidden(List.of(32))
                .withLatent(2).withLikelihood(Likelihood.GAUSSIAN).withEpochs(epochs).withBatch(32)), rows);
    }

    @Test
    void percentilesAreUniformOnTheReferenceRowsAndAThresholdFlagsItsContamination() {
        Planted p = Planted.make(600, 0, 8, 0.05, 3);
        Dataset rows = Dataset.of(p.rows(), null, p.columns());
        Vae vae = trained(rows, 5);
        ScoreReference r = vae.reference();
        assertNotNull(r, "training calibrates the model");
        assertEquals("training", r.source());
        assertEquals(600, r.rows());
        assertTrue(r.scores().exact());
        double[] pct = vae.score(rows).percentiles().clone();
        Arrays.sort(pct);
        for (int i = 0; i < pct.length; i++) {
            // distinct scores: the i-th lowest has exactly i rows below it
            assertEquals(100.0 * i / pct.length, pct[i], 1e-9, "percentile of rank " + i);
        }
        for (double c : new double[] {0.01, 0.05, 0.2, 0.5}) {
            Vae decided = vae.withDecision(Decision.contamination(c));
            Scores s = decided.score(rows);
            int flagged = 0;
            for (int i = 0; i < rows.size(); i++) {
                flagged += s.outlier(i) ? 1 : 0;
            }
            // the interpolated (1 − c) quantile leaves between ⌊c·n⌋ − 1 and ⌈c·n⌉ rows above it
            assertTrue(Math.abs(flagged - c * rows.size()) <= 1, c + ": " + flagged + " flagged");
            assertEquals(vae.reference().scores().threshold(c), s.threshold());
        }
    }

    @Test
    void aSketchOfManyScoresAnswersWithinItsBound() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 123_457;
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = (float) (Math.exp(random.nextGaussian()) * 10);
        }
        ScoreDistribution r = ScoreDistribution.of(scores);
        assertTrue(!r.exact());
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < 2000; k++) {
            double s = sorted[random.nextInt(n)] * (1 + 1e-4 * random.nextGaussian());
            long below = Arrays.stream(sorted).filter(v -> v < s).count();
            double exact = 100.0 * below / n;
            assertTrue(Math.abs(r.percentile(s) - exact) <= 100.0 / ScoreDistribution.EXACT + 1e-9,
                    "percentile of " + s + ": " + r.percentile(s) + " against " + exact);
        }
        for (double c : new double[] {0.001, 0.01, 0.1, 0.37, 0.5}) {
            double t = r.threshold(c);
            long above = Arrays.stream(sorted).filter(v -> v > t).count();
            assertTrue(Math.abs(above - c * n) <= (double) n / ScoreDistribution.EXACT + 1,
                    c + ": " + above + " above the threshold");
        }
    }

    @Test
    void perColumnTermsAddUpToTheReconstructionTermForEveryLikelihood() {
        Planted p = Planted.make(300, 0, 6, 0.05, 7);
        Dataset numbers = Dataset.of(p.rows(), null, p.columns());
        float[][] unit = new float[200][20];
        SplittableRandom random = new SplittableRandom(2);
        for (float[] row : unit) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextInt(3) == 0 ? 1f : (float) random.nextDouble();
            }
        }
        Object[][] cells = new Object[200][];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = new Object[] {random.nextBoolean() ? "a" : "b", random.nextInt(7) == 0 ? null
                : random.nextGaussian(), random.nextInt(5) == 0 ? null : "l" + random.nextInt(4)};
        }
        Dataset table = Dataset.of(cells, List.of("kind", "amount", "level"));
        Vae gaussian = trained(numbers, 2);
        Vae bernoulli = Vae.create(VaeConfig.defaults().withInput(20).withHidden(List.of(16)).withEpochs(2));
        Models.trained(bernoulli, Dataset.of(unit));
        Vae mixed = Vae.create(VaeConfig.defaults().withHidden(List.of(16)).withEpochs(2)
                .withLikelihood(Likelihood.GAUSSIAN), table);
        Models.trained(mixed, table);
        for (Object[] c : new Object[][] {{gaussian, numbers}, {bernoulli, Dataset.of(unit)}, {mixed, table}}) {
            Vae vae = (Vae) c[0];
            Dataset data = (Dataset) c[1];
            Scores s = vae.score(data, true);
            Scores plain = vae.score(data);
            Embedding e = vae.embed(data, true);
            for (int i = 0; i < data.size(); i++) {
                double sum = 0;
                for (float v : s.perColumn()[i]) {
                    sum += v;
                }
                double tol = 1e-5 * (Math.abs(s.reconstruction()[i]) + data.columns()) + 1e-4;
                assertEquals(s.reconstruction()[i], sum, tol, "row " + i + " of " + vae.architecture());
                assertEquals(plain.negativeElbo()[i], s.negativeElbo()[i], "asking for columns changes no score");
                assertTrue(Arrays.equals(s.perColumn()[i], e.perColumn()[i]), "embed gives the same terms");
            }
            assertNull(plain.perColumn());
        }
    }

    @Test
    void aPlantedColumnRanksFirstForGaussianAndCategoricalColumns() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 800;
        Object[][] cells = new Object[n][];
        for (int i = 0; i < n; i++) {
            double u = random.nextGaussian();
            cells[i] = new Object[] {u, 2 * u + 0.1 * random.nextGaussian(), u > 0 ? "up" : "down",
                random.nextInt(3) == 0 ? "x" : "y", -u + 0.1 * random.nextGaussian()};
        }
        List<String> names = List.of("u", "twice", "sign", "noise", "minus");
        Dataset table = Dataset.of(cells, names);
        Vae vae = Vae.create(VaeConfig.defaults().withHidden(List.of(32)).withLatent(2).withEpochs(60)
                .withBatch(32).withLikelihood(Likelihood.GAUSSIAN), table);
        Models.trained(vae, table);
        // normal rows, each with one column set far out: a number 8 sd away, or the wrong sign's level
        Object[][] planted = new Object[40][];
        int[] column = new int[planted.length];
        for (int k = 0; k < planted.length; k++) {
            double u;
            do {
                u = random.nextGaussian();
            } while (Math.abs(u) < 0.7); // a clear sign, so that the other level is plainly wrong
            Object[] row = {u, 2 * u, u > 0 ? "up" : "down", "y", -u};
            column[k] = k % 2 == 0 ? 1 : 2;
            if (column[k] == 1) {
                row[1] = 2 * u + 16;
            } else {
                row[2] = u > 0 ? "down" : "up";
            }
            planted[k] = row;
        }
        Scores s = vae.score(Dataset.of(planted, names), true);
        for (int k = 0; k < planted.length; k++) {
            float[] nats = s.perColumn()[k];
            int top = 0;
            for (int j = 1; j < nats.length; j++) {
                if (nats[j] > nats[top]) {
                    top = j;
                }
            }
            assertEquals(names.get(column[k]), names.get(top), "row " + k + ": " + Arrays.toString(nats));
        }
    }

    @Test
    void decisionsAndReferencesSurviveTheModelFileAndBadValuesAreRefusedInOneLine() {
        Planted p = Planted.make(300, 0, 5, 0.05, 9);
        Dataset rows = Dataset.of(p.rows(), null, p.columns());
        Vae vae = trained(rows, 2).withDecision(Decision.contamination(0.1));
        Path file = dir.resolve("m.svae");
        vae.save(file);
        Vae again = Vae.load(file);
        assertEquals(Decision.contamination(0.1), again.decision());
        assertEquals(vae.threshold(), again.threshold());
        assertEquals(vae.decision().threshold(vae.reference().scores()),
                again.decision().threshold(again.reference().scores()));
        assertTrue(Arrays.equals(vae.score(rows).percentiles(), again.score(rows).percentiles()));
        Vae fixed = Vae.load(file).withDecision(Decision.threshold(3.5));
        fixed.save(file);
        assertEquals(3.5, Vae.load(file).threshold());
        assertEquals(Decision.Kind.THRESHOLD, Vae.load(file).decision().kind());
        for (double bad : new double[] {0, -0.1, 0.51, Double.NaN}) {
            SimdvaeException e = assertThrows(SimdvaeException.class, () -> vae.withDecision(Decision.contamination(bad)));
            assertTrue(e.getMessage().contains("(0, 0.5]") && !e.getMessage().contains("\n"), e.getMessage());
        }
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            SimdvaeException e = assertThrows(SimdvaeException.class, () -> vae.withDecision(Decision.threshold(bad)));
            assertTrue(e.getMessage().contains("finite"), e.getMessage());
        }
        Vae uncalibrated = Vae.of(vae.config(), vae.parameters(), vae.features());
        assertNull(uncalibrated.score(rows).percentiles());
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> uncalibrated.withDecision(Decision.contamination(0.1)).threshold());
        assertTrue(e.getMessage().contains("calibrate"), e.getMessage());
        assertThrows(SimdvaeException.class, () -> uncalibrated.score(rows).outlier(0));
        Vae calibrated = uncalibrated.calibrate(rows);
        assertEquals("calibration", calibrated.reference().source());
        assertNull(uncalibrated.reference(), "calibrate makes a view; the model it was called on keeps its own");
    }

    @Test
    void aWarmStartKeepsTheModelAndContinuesAdamFromACheckpoint() {
        Planted p = Planted.make(400, 0, 6, 0.05, 13);
        Dataset rows = Dataset.of(p.rows(), null, p.columns());
        Vae first = trained(rows, 3);
        VaeConfig more = first.config().withEpochs(2).withLearningRate(5e-4);
        try (Trainer t = Trainer.warmStart(first, more)) {
            assertEquals(0, t.steps());
            t.train(rows);
            assertTrue(t.model() != first && !Arrays.equals(first.parameters(), t.model().parameters()));
            assertEquals(first.features().names(), t.model().features().names());
            assertNotNull(t.model().reference());
        }
        SimdvaeException e = assertThrows(SimdvaeException.class,
                () -> Trainer.warmStart(first, more.withHidden(List.of(16))));
        assertTrue(e.getMessage().contains("hidden [16]") && e.getMessage().contains("hidden [32]"), e.getMessage());
        Path checkpoint = dir.resolve("c.svck");
        try (Trainer t = new Trainer(Vae.create(first.config()))) {
            t.train(rows);
            t.saveCheckpoint(checkpoint);
            long steps = t.steps();
            try (Trainer warm = Trainer.warmStart(checkpoint, more)) {
                assertEquals(steps, warm.steps(), "Adam's step count carries over");
                assertEquals(0, warm.epoch());
                warm.train(rows);
                assertEquals(steps + 2 * ((rows.size() + 31) / 32), warm.steps());
            }
        }
    }
}
