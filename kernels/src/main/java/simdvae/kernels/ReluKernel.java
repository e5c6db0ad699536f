package simdvae.kernels;

/** ReLU and its backward pass, elementwise over {@code n} floats. */
public interface ReluKernel {
    /** {@code y = max(x, 0)} (NaN stays NaN). {@code y} may be {@code x}. */
    void forward(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code dx = y > 0 ? dy : 0}, masked by the forward <em>output</em> y. {@code dx} may be {@code dy}. */
    void backward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);
}
