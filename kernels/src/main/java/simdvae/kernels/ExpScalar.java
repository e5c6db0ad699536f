package simdvae.kernels;

import java.util.Objects;

/**
 * exp and sigmoid, reference. The algorithm, shared operation for operation with {@link ExpVector}:
 * <ol>
 *   <li>clamp x to [{@value #LO}, {@value #HI}]: beyond these, exp is 0 or +∞ in float anyway (NaN stays NaN);</li>
 *   <li>{@code k = round(x·log2 e)} by adding and subtracting 1.5·2²³ (round to nearest even, no branch);</li>
 *   <li>{@code r = x − k·ln 2} in two FMA steps (Cody–Waite: ln 2 split into a 9-bit high part and a low part),
 *       so |r| ≤ ln2/2;</li>
 *   <li>{@code e^r} by its Taylor polynomial of degree 7 in Horner form (truncation error below 2⁻²⁷ relative);</li>
 *   <li>scale by 2^k as two exact powers of two 2^(k>>1)·2^(k−(k>>1)), so overflow gives +∞ and underflow rounds
 *       once into the subnormals.</li>
 * </ol>
 * Measured against {@code (float) Math.exp(x)}: at most 1 ulp (see the tests).
 */
public final class ExpScalar implements ExpKernel {
    /** The one instance (it holds nothing). */
    public static final ExpScalar INSTANCE = new ExpScalar();

    private ExpScalar() {
    }

    static final float LO = -110f;
    static final float HI = 89f;
    static final float LOG2E = 1.44269504f;
    static final float ROUNDER = 12582912f; // 1.5 * 2^23
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float C7 = 1f / 5040f;
    static final float C6 = 1f / 720f;
    static final float C5 = 1f / 120f;
    static final float C4 = 1f / 24f;
    static final float C3 = 1f / 6f;
    static final float C2 = 0.5f;

    /**
     * One exp, the reference algorithm.
     *
     * @param x any float
     * @return exp(x) within 1 ulp; +∞ above 89, 0 below −110, NaN for NaN
     */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, LO), HI);
        float k = Math.fma(xc, LOG2E, ROUNDER) - ROUNDER;
        float r = Math.fma(k, -LN2_HI, xc);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int n = (int) k;
        int n1 = n >> 1;
        return p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n - n1 + 127) << 23);
    }

    /**
     * One sigmoid.
     *
     * @param x any float
     * @return {@code 1 / (1 + exp(-x))}, finite for every finite x
     */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = exp(x[xOff + i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        Objects.checkFromIndexSize(yOff, n, y.length);
        Objects.checkFromIndexSize(dyOff, n, dy.length);
        Objects.checkFromIndexSize(dxOff, n, dx.length);
        for (int i = 0; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (s * (1f - s));
        }
    }
}
