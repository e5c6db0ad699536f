package simdvae.kernels;

import java.util.Objects;

/** ReLU reference. */
public final class ReluScalar implements ReluKernel {
    /** The one instance (it holds nothing). */
    public static final ReluScalar INSTANCE = new ReluScalar();

    private ReluScalar() {
    }

    @Override
    public void forward(float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    public void backward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        Objects.checkFromIndexSize(yOff, n, y.length);
        Objects.checkFromIndexSize(dyOff, n, dy.length);
        Objects.checkFromIndexSize(dxOff, n, dx.length);
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }
}
