package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.core.BitEquality;
import simdvae.core.Width;
import simdvae.core.WorkerPool;

class BernoulliLossTest {
    /** A minibatch: logits spread wide (|l| up to 30, some at ±100), targets in [0,1], a head of μ and log σ². */
    record Batch(int batch, int pixels, int latent, float scale, float[] logits, float[] x, float[] head) {
        static Batch random(int batch, int pixels, int latent, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] logits = TestSupport.gaussian(r, batch * pixels, 10);
            for (int i = 0; i < logits.length; i += 1 + r.nextInt(50)) {
                logits[i] = r.nextBoolean() ? 100f : -100f;
            }
            float[] x = TestSupport.uniform(r, batch * pixels, 0, 1);
            for (int i = 0; i < x.length; i += 1 + r.nextInt(5)) {
                x[i] = r.nextBoolean() ? 0f : 1f;
            }
            float[] head = TestSupport.gaussian(r, batch * 2 * latent, 2);
            return new Batch(batch, pixels, latent, 1f / batch, logits, x, head);
        }

        /** Gradients, head gradient, losses and per-pixel terms, with the terms asked for. */
        float[][] runWithTerms(LossKernel k) {
            float[] dl = new float[batch * 1 * pixels];
            float[] dh = new float[batch * 2 * latent];
            float[] loss = new float[batch];
            float[] terms = new float[batch * pixels];
            k.lossAndGradient(LossBatch.dense(batch, pixels, latent, 1, logits, x, head, dl, dh, loss)
                    .weights(scale, 1f).terms(terms, 0, pixels), 0, batch);
            return new float[][] {dl, dh, loss, terms};
        }

        float[][] run(LossKernel k) {
            float[] dl = new float[batch * pixels];
            float[] dh = new float[batch * 2 * latent];
            float[] loss = new float[batch];
            k.lossAndGradient(LossBatch.dense(batch, pixels, latent, 1, logits, x, head, dl, dh, loss)
                    .weights(scale, 1f), 0, batch);
            return new float[][] {dl, dh, loss};
        }

        /** The loss in double, straight from its definition. */
        double[] exactLoss() {
            double[] out = new double[batch];
            for (int i = 0; i < batch; i++) {
                double s = 0;
                for (int j = 0; j < pixels; j++) {
                    double l = logits[i * pixels + j];
                    s += Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))) - x[i * pixels + j] * l;
                }
                for (int q = 0; q < latent; q++) {
                    double mu = head[i * 2 * latent + q];
                    double lv = head[i * 2 * latent + latent + q];
                    s += 0.5 * (Math.exp(lv) + mu * mu - 1 - lv);
                }
                out[i] = s;
            }
            return out;
        }
    }

    @Test
    void gradientsAndLossesAreBitIdenticalAtEveryWidthAndThreadCount() {
        try (WorkerPool pool = new WorkerPool(3)) {
            qt().withExamples(40).forAll(integers().between(1, 60), TestSupport.size(800), integers().between(1, 5),
                    longs().all()).checkAssert((batch, pixels, latent, seed) -> {
                        Batch b = Batch.random(batch, pixels, latent, seed);
                        float[][] ref = b.run(BernoulliLossScalar.INSTANCE);
                        for (Width w : TestSupport.allWidths()) {
                            for (float[][] got : new float[][][] {b.run(Kernels.of(w).bernoulliLoss()),
                                b.run(threaded(new ParallelKernels(Kernels.of(w), pool)))}) {
                                BitEquality.require(ref[0], got[0], "dl at " + w);
                                BitEquality.require(ref[1], got[1], "d head at " + w);
                                BitEquality.require(ref[2], got[2], "loss at " + w);
                            }
                        }
                    });
        }
    }

    @Test
    void termsAreTheReferencesAtEveryWidthLeaveTheLossAloneAndAddUpToTheReconstructionTerm() {
        qt().withExamples(20).forAll(integers().between(1, 20), TestSupport.size(300), integers().between(1, 4),
                longs().all()).checkAssert((batch, pixels, latent, seed) -> {
                    Batch b = Batch.random(batch, pixels, latent, seed);
                    TestSupport.checkTerms(BernoulliLossScalar.INSTANCE, Kernels::bernoulliLoss, k -> b.run(k), b::runWithTerms,
                            b.head(), batch, pixels, latent);
                });
    }

    /** The whole batch split over the pool's threads, as a kernel. */
    static LossKernel threaded(ParallelKernels parallel) {
        return (args, from, to) -> parallel.loss(parallel.kernels().bernoulliLoss(), args);
    }

    @Test
    void lossMatchesItsDefinitionAndStaysFinite() {
        qt().withExamples(40).forAll(integers().between(1, 20), TestSupport.size(800), integers().between(1, 4),
                longs().all()).checkAssert((batch, pixels, latent, seed) -> {
                    Batch b = Batch.random(batch, pixels, latent, seed);
                    double[] exact = b.exactLoss();
                    for (Width w : TestSupport.allWidths()) {
                        float[][] got = b.run(Kernels.of(w).bernoulliLoss());
                        for (int i = 0; i < batch; i++) {
                            assertTrue(Float.isFinite(got[2][i]), "finite loss at " + w);
                            assertTrue(Math.abs(got[2][i] - exact[i]) <= 2e-5 * Math.abs(exact[i]) + 1e-3,
                                    "sample " + i + " at " + w + ": " + got[2][i] + " vs exact " + exact[i]);
                        }
                        for (float d : got[0]) {
                            assertTrue(Float.isFinite(d));
                        }
                    }
                });
    }

    @Test
    void extremeLogitsGiveFiniteLossesAndGradients() {
        float[] extremes = {100f, -100f, 1000f, -1000f, Float.MAX_VALUE, -Float.MAX_VALUE, 88.8f, -88.8f, 0f};
        int n = extremes.length;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 3) * 0.5f;
        }
        float[] head = {0f, 0f};
        for (Width w : TestSupport.allWidths()) {
            float[] dl = new float[n];
            float[] dh = new float[2];
            float[] loss = new float[1];
            Kernels.of(w).bernoulliLoss().lossAndGradient(LossBatch.dense(1, n, 1, 1, extremes, x, head, dl, dh, loss), 0, 1);
            double exact = 0;
            for (int i = 0; i < n; i++) {
                exact += Math.max(extremes[i], 0) + Math.log1p(Math.exp(-Math.abs((double) extremes[i])))
                        - x[i] * (double) extremes[i];
            }
            // The two ±MAX_VALUE logits alone make the true loss about 1.5·MAX_VALUE: not a float, so +∞ is right.
            assertTrue(exact > Float.MAX_VALUE ? loss[0] == Float.POSITIVE_INFINITY : Float.isFinite(loss[0]),
                    "loss " + loss[0] + " at " + w);
            for (float d : dl) {
                assertTrue(Float.isFinite(d), "dl " + d + " at " + w);
            }
            float[] moderate = {100f, -100f, 1000f, -1000f, 88.8f, -88.8f};
            Kernels.of(w).bernoulliLoss().lossAndGradient(LossBatch.dense(1, 6, 1, 1, moderate, x, head, dl, dh, loss), 0, 1);
            assertTrue(Float.isFinite(loss[0]), "loss " + loss[0] + " at |l| <= 1000, " + w);
        }
    }
}
