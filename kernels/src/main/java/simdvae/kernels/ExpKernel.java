package simdvae.kernels;

/**
 * Our own exp and the sigmoid built on it, elementwise over {@code n} floats. The scalar and vector versions run the
 * same sequence of IEEE operations (see {@link ExpScalar#exp(float)}), so they return the same bits.
 */
public interface ExpKernel {
    /** {@code y = exp(x)}; {@code y} may be {@code x}. */
    void exp(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y = 1 / (1 + exp(-x))}; {@code y} may be {@code x}. */
    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    /** Sigmoid's backward pass from its output: {@code dx = dy·y·(1 − y)}; {@code dx} may be {@code dy}. */
    void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);
}
