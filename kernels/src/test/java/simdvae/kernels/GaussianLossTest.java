package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.core.Width;

/** The Gaussian family: the shared contract ({@link LossFamilyTest}), its clamp and a constant feature. */
class GaussianLossTest extends LossFamilyTest {
    GaussianLossTest() {
        super(new Family(GaussianLossScalar.INSTANCE, Kernels::gaussianLoss, GaussianLossTest::random,
                GaussianLossTest::exactTerm, 300,
                (exact, features) -> 3e-5 * Math.abs(exact) + 1e-4 * features + 1e-3));
    }

    /**
     * A minibatch: means and targets around 0 (some equal, as a constant feature fitted exactly gives), raw
     * log-variances spread wide (some at ±1000, deep in the clamp), a head of μ and log σ², a random β.
     */
    static Case random(int batch, int features, int latent, long seed) {
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
        return new Case(batch, features, latent, 2, 1f / batch, beta, out, x, head);
    }

    /** Target j of row i: the mean and raw log-variance of its output pair (β does not enter the value). */
    private static double exactTerm(Case c, int i, int j) {
        int o = i * 2 * c.features() + j;
        return LossDefinitions.gaussian(c.out()[o], c.out()[o + c.features()], c.x()[i * c.features() + j]);
    }

    /** The clamp bounds each feature's term below by ½(log 2π − 7). */
    @Override
    void checkRowLoss(float loss, int features, Width w) {
        assertTrue(loss >= features * 0.5 * (Math.log(2 * Math.PI) - 7) - 1e-3, "loss " + loss + " at " + w);
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
            double exact = LossDefinitions.logVar(r);
            float lv = GaussianLossKernel.logVar(r);
            assertTrue(Math.abs(lv - exact) <= 1e-5 * Math.max(1, Math.abs(exact)), r + ": " + lv + " vs " + exact);
            assertTrue(lv >= -7f && lv <= 7f);
        }
    }

    /** The vector kernels' varianceRow (the mixed kernel's Gaussian block starts with it) is the reference's. */
    @Test
    void varianceRowIsTheReferencesAtEveryWidth() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {1, 7, 16, 33, 103}) {
            float[] out = TestSupport.gaussian(r, 3 + 2 * n, 6);
            out[3 + n] = 1000f;
            out[3 + 2 * n - 1] = -1000f;
            float[] expected = new float[1 + 2 * n];
            GaussianLossScalar.INSTANCE.varianceRow(out, 3 + n, expected, 1, n);
            for (Width w : TestSupport.allWidths()) {
                float[] got = new float[1 + 2 * n];
                Kernels.of(w).gaussianLoss().varianceRow(out, 3 + n, got, 1, n);
                simdvae.core.BitEquality.require(expected, got, "varianceRow of " + n + " at " + w);
            }
        }
    }
}