package simdvae.kernels;

import java.util.Objects;

/**
 * One fused Adam step over n parameters, in the form Keras uses:
 * <pre>
 *   m = m + (g − m)(1 − β1)        (one FMA)
 *   v = v + (g² − v)(1 − β2)       (one FMA)
 *   p = p − (m·α) / (√v + ε)       with α = lr·√(1 − β2^t) / (1 − β1^t), see {@link #alpha}
 * </pre>
 */
public interface AdamKernel {
    void update(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha, float beta1, float beta2,
                float epsilon);

    /** The bias-corrected step size for step {@code t} (1-based), computed once per step in double. */
    static float alpha(double lr, double beta1, double beta2, long t) {
        if (t < 1) {
            throw new IllegalArgumentException("Adam step count starts at 1, got " + t);
        }
        return (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
    }

    static void check(int n, float[] p, float[] g, float[] m, float[] v, int off) {
        Objects.checkFromIndexSize(off, n, p.length);
        Objects.checkFromIndexSize(off, n, g.length);
        Objects.checkFromIndexSize(off, n, m.length);
        Objects.checkFromIndexSize(off, n, v.length);
    }
}
