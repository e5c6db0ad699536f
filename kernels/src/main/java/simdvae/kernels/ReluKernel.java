package simdvae.kernels;

/** ReLU and its backward pass, elementwise over {@code n} floats. */
public interface ReluKernel {
    /**
     * {@code y = max(x, 0)} (NaN stays NaN). {@code y} may be {@code x}.
     *
     * @param x    the inputs
     * @param xOff the first input
     * @param y    the outputs
     * @param yOff the first output
     * @param n    the number of elements
     */
    void forward(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code dx = y > 0 ? dy : 0}, masked by the forward <em>output</em> y. {@code dx} may be {@code dy}.
     *
     * @param y     the forward outputs
     * @param yOff  the first of them
     * @param dy    the gradient with respect to them
     * @param dyOff its first element
     * @param dx    the gradient with respect to the inputs (output)
     * @param dxOff its first element
     * @param n     the number of elements
     */
    void backward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);
}
