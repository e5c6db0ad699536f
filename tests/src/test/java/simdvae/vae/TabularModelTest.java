package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import simdvae.core.Simd;
import simdvae.core.Width;
import simdvae.vae.data.Dataset;
import simdvae.vae.internal.network.Inference;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.Scaling;

/** Real-valued data: the Gaussian likelihood finds planted anomalies, and better than a Bernoulli model can. */
class TabularModelTest {
    static Vae train(Dataset data, Likelihood likelihood, Scaling scaling) {
        return Models.trained(Vae.create(VaeConfig.defaults().withInput(data.columns()).withHidden(List.of(64))
                .withLatent(2).withLikelihood(likelihood).withScaling(scaling).withEpochs(40).withBatch(50).withSeed(11)
                .withThreads(2)), data);
    }

    @Test
    void gaussianModelRanksPlantedAnomaliesFarAboveNormalRowsAndBeatsBernoulli() {
        // 3,000 normal training rows, then 600 normal and 90 anomalous test rows, anomalies spread through both
        Planted all = Planted.make(3600, 90, 24, 0.03, 1);
        Dataset data = all.dataset();
        int[] trainRows = java.util.stream.IntStream.range(0, 3000).toArray();
        int[] testRows = java.util.stream.IntStream.range(3000, all.rows().length).toArray();
        boolean[] positive = new boolean[testRows.length];
        for (int i = 0; i < testRows.length; i++) {
            positive[i] = all.anomaly()[testRows[i]];
        }
        Dataset train = data.rows(trainRows);
        Dataset test = data.rows(testRows);

        Vae gaussian = train(train, Likelihood.GAUSSIAN, Scaling.AUTO);
        double aucGaussian = Planted.auroc(gaussian.score(test).negativeElbo(), positive);
        Vae bernoulli = train(train, Likelihood.BERNOULLI, Scaling.MINMAX);
        double aucBernoulli = Planted.auroc(bernoulli.score(test).negativeElbo(), positive);
        System.out.printf("planted anomalies: AUROC gaussian %.4f, bernoulli (min-max) %.4f%n", aucGaussian,
                aucBernoulli);
        assertTrue(aucGaussian >= 0.95, "Gaussian AUROC " + aucGaussian);
        assertTrue(aucGaussian > aucBernoulli, "Gaussian " + aucGaussian + " vs Bernoulli " + aucBernoulli);
    }

    /** A short run with everything on: β, KL warm-up, a validation split, early stopping. */
    static Trainer trainer(Dataset train, Dataset validation, Width width, int threads) {
        Vae vae = Vae.create(VaeConfig.defaults().withInput(train.columns()).withHidden(List.of(24, 12))
                .withLatent(3).withLikelihood(Likelihood.GAUSSIAN).withKl(0.5, 3).withEpochs(8)
                .withBatch(32).withSeed(5).withThreads(threads).withWidth(width));
        return new Trainer(vae).validateOn(validation).earlyStopping(2);
    }

    static Dataset.Split data() {
        return Planted.make(700, 10, 13, 0.05, 3).dataset().split(0.2, 9, 1);
    }

    @Test
    void trainingScoresAndLogLikelihoodAreTheSameBitsAtEveryWidthAndThreadCount() {
        Dataset.Split d = data();
        String reference = null;
        double[] refScores = null;
        double[] refLl = null;
        for (Width w : Simd.supportedWidths()) {
            for (int threads = 1; threads <= 2; threads++) {
                try (Trainer t = trainer(d.kept(), d.heldOut(), w, threads)) {
                    StringBuilder fingerprint = new StringBuilder();
                    for (TrainingListener.EpochResult r : t.train(d.kept())) {
                        fingerprint.append(Double.toHexString(r.trainLoss())).append('/')
                                .append(Double.toHexString(r.validationLoss())).append(' ');
                    }
                    Vae vae = t.model();
                    fingerprint.append(vae.parametersSha256()).append(" best ").append(t.bestEpoch());
                    double[] scores = vae.score(d.heldOut()).negativeElbo();
                    double[] ll = vae.logLikelihood(d.heldOut(), 7);
                    if (reference == null) {
                        reference = fingerprint.toString();
                        refScores = scores;
                        refLl = ll;
                    } else {
                        assertEquals(reference, fingerprint.toString(), w + "/" + threads);
                        assertArrayEquals(refScores, scores, w + "/" + threads);
                        assertArrayEquals(refLl, ll, w + "/" + threads);
                    }
                    for (Width other : Simd.supportedWidths()) {
                        assertArrayEquals(refLl, vae.withWidth(other).logLikelihood(d.heldOut(), 7), "at " + other);
                    }
                }
            }
        }
    }

    @Test
    void resumingFromAnyCheckpointEndsWithTheSameModelUnderWarmupValidationAndEarlyStopping(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        Dataset.Split d = data();
        java.nio.file.Path live = dir.resolve("live.svck");
        List<java.nio.file.Path> saved = new java.util.ArrayList<>();
        String expected;
        int bestEpoch;
        try (Trainer t = trainer(d.kept(), d.heldOut(), Width.AUTO, 2)) {
            t.checkpointEvery(11, live);
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(int epoch, long step, int batchInEpoch, int batches, double loss, double rate) {
                    if (step % 11 == 0 && step % 3 == 0) {
                        // the checkpoint of this step is written right after the listeners run: keep the previous
                        try {
                            java.nio.file.Path copy = dir.resolve("at-" + step + ".svck");
                            java.nio.file.Files.copy(live, copy);
                            saved.add(copy);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            });
            t.train(d.kept());
            expected = t.model().parametersSha256();
            bestEpoch = t.bestEpoch();
        }
        assertTrue(saved.size() >= 3, "checkpoints kept: " + saved.size());
        for (java.nio.file.Path c : saved) {
            try (Trainer t = Trainer.resume(c, 1, Width.SCALAR)) {
                t.validateOn(d.heldOut()).train(d.kept());
                assertEquals(expected, t.model().parametersSha256(), "resumed from " + c.getFileName());
                assertEquals(bestEpoch, t.bestEpoch());
            }
        }
    }

    @Test
    void importanceWeightingTightensTheBound() {
        Dataset.Split d = data();
        try (Trainer t = trainer(d.kept(), d.heldOut(), Width.AUTO, 2)) {
            t.train(d.kept());
            Vae vae = t.model();
            double elbo = -mean(vae.score(d.heldOut()).negativeElbo());
            double ll1 = mean(vae.logLikelihood(d.heldOut(), 1));
            double ll64 = mean(vae.logLikelihood(d.heldOut(), 64));
            // one importance sample is an ELBO estimate; 64 give a tighter (higher) bound on log p(x)
            assertTrue(Math.abs(ll1 - elbo) < 0.2 * Math.abs(elbo) + 1, ll1 + " vs ELBO " + elbo);
            assertTrue(ll64 > ll1 && ll64 > elbo, "k=64 " + ll64 + ", k=1 " + ll1 + ", ELBO " + elbo);
        }
    }

    /** Inference buffers are reused across calls; none may keep the scaling of before training. */
    @Test
    void inferenceBeforeTrainingDoesNotLeaveStaleScalingBehind(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Dataset.Split d = data();
        Vae vae = Vae.create(VaeConfig.defaults().withInput(d.kept().columns()).withHidden(List.of(16))
                .withLatent(2).withLikelihood(Likelihood.GAUSSIAN).withEpochs(2).withSeed(3));
        vae.encode(d.heldOut()); // before training: no scaling yet
        Models.trained(vae, d.kept());
        java.nio.file.Path file = dir.resolve("m.svae");
        vae.save(file);
        assertArrayEquals(Vae.load(file).score(d.heldOut()).negativeElbo(), vae.score(d.heldOut()).negativeElbo());
    }

    private static double mean(double[] a) {
        return java.util.Arrays.stream(a).average().orElseThrow();
    }
}
