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

class GaussianLossTest {
    /**
     * A minibatch: means and targets around 0 (some equal, as a constant feature fitted exactly gives), raw
     * log-variances spread wide (some at ±1000, deep in the clamp), a head of μ and log σ², a random β.
     */
    record Batch(int batch, int features, int latent, float scale, float beta, float[] out, float[] x,
                 float[] head) {
        static Batch random(int batch, int features, int latent, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] out = new float[batch * 2 * features];
            float[] x = TestSupport.gaussian(r, batch * features, 2);
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < features; j++) {
                    int o = i * 2 * features;
                    out[o + j] = r.nextInt(8) == 0 ? x[i * features + j] : (float) (2 * TestSupport.gauss(r));
                    out[o + features + j] = r.nextInt(20) == 0 ? (r.nextBoolean() ? 1000f : -1000f)
                            : (float) (6 * TestSupport.gauss(r));
                }
            }
            float[] head = TestSupport.gaussian(r, batch * 2 * latent, 2);
            float beta = r.nextBoolean() ? 1f : (float) (3 * r.nextDouble());
            return new Batch(batch, features, latent, 1f / batch, beta, out, x, head);
        }

        /** Gradients, head gradient, losses and per-feature terms, with the terms asked for. */
        float[][] runWithTerms(LossKernel k) {
            float[] dOut = new float[batch * 2 * features];
            float[] dh = new float[batch * 2 * latent];
            float[] loss = new float[batch];
            float[] terms = new float[batch * features];
            k.lossAndGradient(LossBatch.dense(batch, features, latent, 2, out, x, head, dOut, dh, loss)
                    .weights(scale, beta).terms(terms, 0, features), 0, batch);
            return new float[][] {dOut, dh, loss, terms};
        }

        float[][] run(GaussianLossKernel k) {
            float[] dOut = new float[batch * 2 * features];
            float[] dh = new float[batch * 2 * latent];
            float[] loss = new float[batch];
            k.lossAndGradient(LossBatch.dense(batch, features, latent, 2, out, x, head, dOut, dh, loss)
                    .weights(scale, beta), 0, batch);
            return new float[][] {dOut, dh, loss};
        }

        /** The loss in double, straight from its definition (β does not enter the value). */
        double[] exactLoss() {
            double[] loss = new double[batch];
            for (int i = 0; i < batch; i++) {
                double s = 0;
                for (int j = 0; j < features; j++) {
                    double m = out[i * 2 * features + j];
                    double lv = 7 * Math.tanh(out[i * 2 * features + features + j] / 7.0);
                    double d = x[i * features + j] - m;
                    s += 0.5 * (Math.log(2 * Math.PI) + lv + d * d * Math.exp(-lv));
                }
                for (int q = 0; q < latent; q++) {
                    double mu = head[i * 2 * latent + q];
                    double lv = head[i * 2 * latent + latent + q];
                    s += 0.5 * (Math.exp(lv) + mu * mu - 1 - lv);
                }
                loss[i] = s;
            }
            return loss;
        }
    }

    @Test
    void gradientsAndLossesAreBitIdenticalAtEveryWidthAndThreadCount() {
        try (WorkerPool pool = new WorkerPool(3)) {
            qt().withExamples(40).forAll(integers().between(1, 60), TestSupport.size(300), integers().between(1, 5),
                    longs().all()).checkAssert((batch, features, latent, seed) -> {
                        Batch b = Batch.random(batch, features, latent, seed);
                        float[][] ref = b.run(GaussianLossScalar.INSTANCE);
                        for (Width w : TestSupport.allWidths()) {
                            for (float[][] got : new float[][][] {b.run(Kernels.of(w).gaussianLoss()),
                                b.run(threaded(new ParallelKernels(Kernels.of(w), pool)))}) {
                                BitEquality.require(ref[0], got[0], "d output at " + w);
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
                longs().all()).checkAssert((batch, features, latent, seed) -> {
                    Batch b = Batch.random(batch, features, latent, seed);
                    TestSupport.checkTerms(GaussianLossScalar.INSTANCE, Kernels::gaussianLoss, k -> b.run((GaussianLossKernel) k), b::runWithTerms,
                            b.head(), batch, features, latent);
                });
    }

    /** The whole batch split over the pool's threads, as a kernel. */
    static GaussianLossKernel threaded(ParallelKernels parallel) {
        return (args, from, to) -> parallel.loss(parallel.kernels().gaussianLoss(), args);
    }

    @Test
    void lossMatchesItsDefinitionAndStaysFiniteAndBounded() {
        qt().withExamples(40).forAll(integers().between(1, 20), TestSupport.size(300), integers().between(1, 4),
                longs().all()).checkAssert((batch, features, latent, seed) -> {
                    Batch b = Batch.random(batch, features, latent, seed);
                    double[] exact = b.exactLoss();
                    for (Width w : TestSupport.allWidths()) {
                        float[][] got = b.run(Kernels.of(w).gaussianLoss());
                        for (int i = 0; i < batch; i++) {
                            double tol = 3e-5 * Math.abs(exact[i]) + 1e-4 * features + 1e-3;
                            assertTrue(Math.abs(got[2][i] - exact[i]) <= tol, "sample " + i + " at " + w + ": "
                                    + got[2][i] + " vs exact " + exact[i]);
                            // the clamp bounds each feature's term below by ½(log 2π − 7)
                            assertTrue(got[2][i] >= features * 0.5 * (Math.log(2 * Math.PI) - 7) - 1e-3);
                        }
                        for (float d : got[0]) {
                            assertTrue(Float.isFinite(d), "gradient " + d + " at " + w);
                        }
                    }
                });
    }

    @Test
    void aConstantFeatureFittedExactlyHasABoundedLossAndNoNaN() {
        // mean equal to the target and the raw log-variance driven far down: the loss must stop at the clamp
        int f = 37;
        float[] out = new float[2 * f];
        float[] x = new float[f];
        for (int j = 0; j < f; j++) {
            x[j] = 3.25f;
            out[j] = 3.25f;
            out[f + j] = j % 2 == 0 ? -1e30f : -Float.MAX_VALUE;
        }
        float[] head = {0f, 0f};
        for (Width w : TestSupport.allWidths()) {
            float[] dOut = new float[2 * f];
            float[] dh = new float[2];
            float[] loss = new float[1];
            Kernels.of(w).gaussianLoss().lossAndGradient(LossBatch.dense(1, f, 1, 2, out, x, head, dOut, dh, loss),
                    0, 1);
            double floor = f * 0.5 * (Math.log(2 * Math.PI) - 7);
            assertTrue(Math.abs(loss[0] - floor) < 1e-3 * f, "loss " + loss[0] + " vs floor " + floor + " at " + w);
            for (float d : dOut) {
                assertTrue(Float.isFinite(d), "gradient " + d + " at " + w);
            }
        }
    }

    @Test
    void logVarIsTheClampTheKernelsUse() {
        for (float r : new float[] {-1e6f, -20f, -7f, -1f, -1e-3f, 0f, 1e-3f, 1f, 7f, 20f, 1e6f}) {
            double exact = 7 * Math.tanh(r / 7.0);
            float lv = GaussianLossKernel.logVar(r);
            assertTrue(Math.abs(lv - exact) <= 1e-5 * Math.max(1, Math.abs(exact)), r + ": " + lv + " vs " + exact);
            assertTrue(lv >= -7f && lv <= 7f);
        }
    }
}
