package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;
import simdvae.core.BitEquality;
import simdvae.core.Width;
import simdvae.core.WorkerPool;

class AdamTest {
    @Test
    void everyWidthAndThreadCountEqualsTheReference() {
        try (WorkerPool pool = new WorkerPool(3)) {
            SeededCases.check(60, TestSupport.size(5000), integers().between(0, 7), integers().between(1, 50),
                    (n, off, steps, r) -> {
                float[] p0 = TestSupport.gaussian(r, off + n, 1);
                float[][] grads = new float[steps][];
                for (int t = 0; t < steps; t++) {
                    grads[t] = TestSupport.gaussian(r, off + n, 0.1);
                }
                float[][] expected = run(AdamScalar.INSTANCE::update, p0, grads, off, n);
                for (Width w : TestSupport.allWidths()) {
                    float[][] got = run(Kernels.of(w).adam()::update, p0, grads, off, n);
                    ParallelKernels par = new ParallelKernels(Kernels.of(w), pool);
                    float[][] gotPar = run((nn, p, g, m, v, o, a, b1, b2, e) -> par.adam(nn, p, g, m, v, o,
                            a, b1, b2, e), p0, grads, off, n);
                    for (int i = 0; i < 3; i++) {
                        BitEquality.require(expected[i], got[i], "adam state " + i + " at " + w);
                        BitEquality.require(expected[i], gotPar[i], "parallel adam " + i + " at " + w);
                    }
                }
            });
        }
    }

    /** {@link AdamKernel#update}'s signature, for a kernel or {@link ParallelKernels#adam}. */
    interface Update {
        void update(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha, float beta1, float beta2,
                    float epsilon);
    }

    static float[][] run(Update k, float[] p0, float[][] grads, int off, int n) {
        float[] p = p0.clone();
        float[] m = new float[p.length];
        float[] v = new float[p.length];
        for (int t = 0; t < grads.length; t++) {
            k.update(n, p, grads[t], m, v, off, AdamKernel.alpha(1e-3, 0.9, 0.999, t + 1), 0.9f, 0.999f, 1e-7f);
        }
        return new float[][] {p, m, v};
    }

    /** First step: m = 0.1 g, v = 0.001 g², α = lr·√0.001/0.1, so the step is lr·sign(g) (up to ε). */
    @Test
    void firstStepMovesEachParameterByTheLearningRate() {
        float[] p = {1f, 1f, 1f};
        float[] g = {0.5f, -2f, 1e-3f};
        for (Width w : TestSupport.allWidths()) {
            float[] q = p.clone();
            Kernels.of(w).adam().update(3, q, g, new float[3], new float[3], 0, AdamKernel.alpha(1e-3, 0.9, 0.999, 1),
                    0.9f, 0.999f, 1e-7f);
            assertEquals(1f - 1e-3f, q[0], 1e-6f);
            assertEquals(1f + 1e-3f, q[1], 1e-6f);
            assertTrue(q[2] < 1f && q[2] > 1f - 1.01e-3f);
        }
    }

    /**
     * A moment that decays to where it or its step would be subnormal becomes 0 at every width (v below the smallest
     * normal float, m where m·α would be), and a larger one does not.
     */
    @Test
    void momentsWhoseStepWouldBeSubnormalAreFlushed() {
        float alpha = 1e-3f;
        float floor = AdamKernel.momentFloor(alpha);
        assertEquals(Float.MIN_NORMAL / alpha, floor);
        assertEquals(Float.MIN_NORMAL, AdamKernel.momentFloor(2f), "never below the smallest normal float");
        for (Width w : TestSupport.allWidths()) {
            float[] p = {1f, 1f, 1f, 1f};
            float[] g = {0f, 0f, 0f, 0f};
            // After one decay (×0.9): under MIN_NORMAL; normal but m·α subnormal; just above the floor; large.
            float[] m = {1.2e-38f, floor, floor * 1.2f, 1e-30f};
            float[] v = {1.1e-38f, 1e-30f, 1e-30f, 1e-30f};
            Kernels.of(w).adam().update(4, p, g, m, v, 0, alpha, 0.9f, 0.999f, 1e-7f);
            assertEquals(0f, m[0], w.toString());
            assertEquals(0f, v[0], w.toString());
            assertEquals(0f, m[1], w + ": m·α would be subnormal");
            assertTrue(m[2] >= floor && m[2] * alpha >= Float.MIN_NORMAL, w.toString());
            assertEquals(0.9e-30f, m[3], 1e-36f);
            assertTrue(v[3] > 0f);
        }
    }
}
