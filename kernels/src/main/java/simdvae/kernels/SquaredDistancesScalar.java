package simdvae.kernels;

/** Squared distances, reference: point by point, columns in order. */
public final class SquaredDistancesScalar implements SquaredDistancesKernel {
    /** The one instance (it holds nothing). */
    public static final SquaredDistancesScalar INSTANCE = new SquaredDistancesScalar();

    private SquaredDistancesScalar() {
    }

    @Override
    public void squaredDistances(double[] points, int pOff, int count, int stride, int width, float[] x, int xOff,
                                 double[] out) {
        SquaredDistancesKernel.check(points, pOff, count, stride, width, x, xOff, out);
        for (int p = 0; p < count; p++) {
            double s = 0;
            for (int j = 0; j < width; j++) {
                double d = (double) x[xOff + j] - points[pOff + j * stride + p];
                s += d * d;
            }
            out[p] = s;
        }
    }
}
