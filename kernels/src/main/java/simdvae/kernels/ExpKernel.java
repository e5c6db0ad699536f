package simdvae.kernels;

/**
 * Our own exp and the sigmoid built on it, elementwise over {@code n} floats. The scalar and vector versions run the
 * same sequence of IEEE operations (see {@link ExpScalar#exp(float)}), so they return the same bits.
 */
public interface ExpKernel {
    /**
     * {@code y = exp(x)}, elementwise; {@code y} may be {@code x}.
     *
     * @param x    the inputs
     * @param xOff the first input
     * @param y    the outputs
     * @param yOff the first output
     * @param n    the number of elements
     */
    void exp(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code y = 1 / (1 + exp(-x))}, elementwise; {@code y} may be {@code x}.
     *
     * @param x    the inputs
     * @param xOff the first input
     * @param y    the outputs
     * @param yOff the first output
     * @param n    the number of elements
     */
    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * Sigmoid's backward pass from its output: {@code dx = dy·y·(1 − y)}; {@code dx} may be {@code dy}.
     *
     * @param y     the sigmoid's outputs
     * @param yOff  the first of them
     * @param dy    the gradient with respect to them
     * @param dyOff its first element
     * @param dx    the gradient with respect to the inputs (output)
     * @param dxOff its first element
     * @param n     the number of elements
     */
    void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);
}
