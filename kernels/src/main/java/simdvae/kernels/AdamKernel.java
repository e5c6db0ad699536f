package simdvae.kernels;

import java.util.Objects;

/**
 * One fused Adam step over n parameters, in the form Keras uses:
 * <pre>
 *   m = m + (g − m)(1 − β1)        (one FMA)
 *   v = v + (g² − v)(1 − β2)       (one FMA)
 *   p = p − (m·α) / (√v + ε)       with α = lr·√(1 − β2^t) / (1 − β1^t), see {@link #alpha}
 * </pre>
 * Moments too small to matter are flushed to zero: v below the smallest normal float, m where its step m·α would
 * be below it ({@link #momentFloor}). Subnormal operands and results cost the CPU a microcode assist per
 * instruction, and a weight whose gradient stops (a pixel that is nearly always black, a dead ReLU unit) passes
 * through that range for dozens of steps as its m decays: 0.4 % of this VAE's parameters at any step made Adam 1.7×
 * slower in training than on random gradients (measured; ten times slower where every other element does it).
 * A flushed m would have moved its parameter by under 1e-38 / (√v + ε).
 */
public interface AdamKernel {
    /**
     * One Adam step on elements {@code [off, off + n)} of p, with gradient g and moments m and v updated in place.
     *
     * @param n       the number of elements
     * @param p       the parameters
     * @param g       their gradients
     * @param m       the first moments
     * @param v       the second moments
     * @param off     the first element
     * @param alpha   the bias-corrected step size ({@link #alpha})
     * @param beta1   the first moment's decay
     * @param beta2   the second moment's decay
     * @param epsilon added to √v
     */
    default void update(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha, float beta1,
                        float beta2, float epsilon) {
        check(n, p, g, m, v, off);
        step(n, p, g, m, v, off, alpha, 1f - beta1, 1f - beta2, epsilon, momentFloor(alpha));
    }

    /**
     * {@link #update} with its ranges checked and its constants worked out: what each implementation writes.
     *
     * @param n       the number of elements
     * @param p       the parameters
     * @param g       their gradients
     * @param m       the first moments
     * @param v       the second moments
     * @param off     the first element
     * @param alpha   the step size
     * @param c1      1 − β1
     * @param c2      1 − β2
     * @param epsilon added to √v
     * @param mFloor  {@link #momentFloor}(alpha)
     */
    void step(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha, float c1, float c2,
              float epsilon, float mFloor);

    /**
     * The bias-corrected step size, computed once per step in double.
     *
     * @param lr    the learning rate
     * @param beta1 the first moment's decay
     * @param beta2 the second moment's decay
     * @param t     the step, 1-based
     * @return {@code lr·√(1 − β2ᵗ) / (1 − β1ᵗ)}
     */
    static float alpha(double lr, double beta1, double beta2, long t) {
        if (t < 1) {
            throw new IllegalArgumentException("Adam step count starts at 1, got " + t);
        }
        return (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
    }

    /**
     * The magnitude below which m is flushed: where m·α would be subnormal.
     *
     * @param alpha the step size
     * @return the floor
     */
    static float momentFloor(float alpha) {
        return Math.max(Float.MIN_NORMAL, Float.MIN_NORMAL / alpha);
    }

    /**
     * One parameter's update, the reference operation sequence ({@code c1 = 1 − β1}, {@code c2 = 1 − β2},
     * {@code mFloor = momentFloor(alpha)}).
     *
     * @param p       the parameters
     * @param g       their gradients
     * @param m       the first moments
     * @param v       the second moments
     * @param i       the element
     * @param alpha   the step size
     * @param c1      1 − β1
     * @param c2      1 − β2
     * @param epsilon added to √v
     * @param mFloor  {@link #momentFloor}(alpha)
     */
    static void updateOne(float[] p, float[] g, float[] m, float[] v, int i, float alpha, float c1, float c2,
                          float epsilon, float mFloor) {
        float gi = g[i];
        float mi = Math.fma(gi - m[i], c1, m[i]);
        mi = Math.abs(mi) < mFloor ? 0f : mi;
        float vi = flush(Math.fma(gi * gi - v[i], c2, v[i]));
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] - (mi * alpha) / ((float) Math.sqrt(vi) + epsilon);
    }

    /**
     * Flushes subnormals.
     *
     * @param x a value
     * @return {@code x}, or 0 where |x| is below {@link Float#MIN_NORMAL} (NaN stays NaN)
     */
    static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    /**
     * Checks that {@code [off, off + n)} lies in every array.
     *
     * @param n   the number of elements
     * @param p   the parameters
     * @param g   the gradients
     * @param m   the first moments
     * @param v   the second moments
     * @param off the first element
     */
    static void check(int n, float[] p, float[] g, float[] m, float[] v, int off) {
        Objects.checkFromIndexSize(off, n, p.length);
        Objects.checkFromIndexSize(off, n, g.length);
        Objects.checkFromIndexSize(off, n, m.length);
        Objects.checkFromIndexSize(off, n, v.length);
    }
}
