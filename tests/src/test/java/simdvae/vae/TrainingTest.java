package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.ImageDataset;

class TrainingTest {
    /** Three epochs of the tutorial's model on the 9,000 real training digits. */
    @Test
    void shortRunOnRealDigitsLearnsToReconstruct() {
        ImageDataset train = Mnist.train();
        ImageDataset test = Mnist.test().head(300);
        Vae vae = Vae.create(VaeConfig.defaults().withEpochs(3).withThreads(2));
        double before = vae.evaluate(test).atMean();
        List<Double> stepLosses = new ArrayList<>();
        try (Trainer trainer = new Trainer(vae)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(int epoch, long step, int batchInEpoch, int batches, double loss, double rate) {
                    stepLosses.add(loss);
                }
            });
            trainer.train(train);
            assertEquals(3 * 180, trainer.steps());
        }
        double after = vae.evaluate(test).atMean();
        // An untrained decoder outputs ~0.5 everywhere: 784·ln 2 ≈ 543 nats. Three epochs reach well under 200.
        assertTrue(before > 500, "untrained loss " + before);
        assertTrue(after < 200, "trained loss " + after);
        assertTrue(stepLosses.get(stepLosses.size() - 1) < 0.5 * stepLosses.get(0), "step losses " + stepLosses);

        float[][] x = Mnist.rows(test, 300);
        float[][] recon = vae.reconstruct(x);
        float[] mean = new float[784];
        for (float[] row : x) {
            for (int j = 0; j < 784; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        double errRecon = 0;
        double errMean = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 784; j++) {
                errRecon += Math.pow(x[i][j] - recon[i][j], 2);
                errMean += Math.pow(x[i][j] - mean[j], 2);
            }
        }
        // A 2-D latent space keeps reconstructions blurry (0.78 of the mean-image error after 3 epochs), so the
        // sharper test is the next one: is each reconstruction recognisably its own digit?
        assertTrue(errRecon < 0.85 * errMean, "reconstruction error " + errRecon + " vs mean-image error " + errMean);
        // Each reconstruction is nearer its own original than the reconstruction of another digit is.
        int own = 0;
        for (int i = 0; i < x.length; i++) {
            int other = (i + 1) % x.length;
            if (distance(recon[i], x[i]) < distance(recon[other], x[i])) {
                own++;
            }
        }
        assertTrue(own > 0.9 * x.length, own + " of " + x.length + " reconstructions are nearer their own digit");
    }

    static double distance(float[] a, float[] b) {
        double d = 0;
        for (int j = 0; j < a.length; j++) {
            d += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return d;
    }

    @Test
    void lastPartialBatchIsKept() {
        ImageDataset train = Mnist.train().head(130);
        Vae vae = Vae.create(VaeConfig.defaults().withHidden(List.of(32)).withEpochs(1).withBatch(50).withThreads(1));
        try (Trainer trainer = new Trainer(vae)) {
            int[] seen = new int[1];
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(int epoch, long step, int batchInEpoch, int batches, double loss, double rate) {
                    assertEquals(3, batches);
                    seen[0]++;
                }
            });
            trainer.train(train);
            assertEquals(3, seen[0]);
        }
    }

    @Test
    void divergenceStopsAtTheStepAndKeepsTheParameters() {
        Dataset rows = Dataset.of(Mnist.rows(Mnist.train(), 100));
        // lr = 1e30: the first update throws the parameters far out, a later step's loss is not finite
        VaeConfig wild = VaeConfig.defaults().withHidden(List.of(16)).withEpochs(1).withBatch(10).withThreads(1)
                .withLearningRate(1e30);
        Vae vae = Vae.create(wild);
        String[] afterLastGoodStep = new String[1];
        try (Trainer trainer = new Trainer(vae)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(int epoch, long step, int batchInEpoch, int batches, double loss, double rate) {
                    afterLastGoodStep[0] = vae.parametersSha256();
                }
            });
            SimdvaeException e = assertThrows(SimdvaeException.class, () -> trainer.train(rows));
            assertTrue(e.getMessage().startsWith("training diverged at step " + (trainer.steps() + 1) + ": the loss is"),
                    e.getMessage());
            assertEquals(afterLastGoodStep[0], vae.parametersSha256(), "the failed step changed nothing");
        }
        Vae skipping = Vae.create(wild);
        try (Trainer trainer = new Trainer(skipping).onNonFinite(Trainer.NonFinitePolicy.SKIP_STEP)) {
            trainer.train(rows);
            assertTrue(trainer.skippedSteps() > 0);
            assertEquals(10, trainer.steps());
        }
    }
}
