package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.core.Width;

/** The Bernoulli family: the shared contract ({@link LossFamilyTest}) and its extreme logits. */
class BernoulliLossTest extends LossFamilyTest {
    BernoulliLossTest() {
        super(new Family(BernoulliLossScalar.INSTANCE, Kernels::bernoulliLoss, BernoulliLossTest::random,
                (c, i, j) -> LossDefinitions.bernoulli(c.out()[i * c.features() + j], c.x()[i * c.features() + j]),
                800, (exact, features) -> 2e-5 * Math.abs(exact) + 1e-3));
    }

    /** A minibatch: logits spread wide (|l| up to 30, some at ±100), targets in [0,1], a head of μ and log σ². */
    static Case random(int batch, int pixels, int latent, long seed) {
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
        return new Case(batch, pixels, latent, 1, 1f / batch, 1f, logits, x, head);
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
                exact += LossDefinitions.bernoulli(extremes[i], x[i]);
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
