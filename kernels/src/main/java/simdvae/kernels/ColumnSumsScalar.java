package simdvae.kernels;

/** Column sums, reference. */
public final class ColumnSumsScalar implements ColumnSumsKernel {
    /** The one instance (it holds nothing). */
    public static final ColumnSumsScalar INSTANCE = new ColumnSumsScalar();

    private ColumnSumsScalar() {
    }

    @Override
    public void columnSums(int m, int n, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate) {
        ColumnSumsKernel.check(m, n, x, xOff, ldx, out, outOff);
        for (int j = 0; j < n; j++) {
            float s = accumulate ? out[outOff + j] : 0f;
            for (int i = 0; i < m; i++) {
                s = s + x[xOff + i * ldx + j];
            }
            out[outOff + j] = s;
        }
    }
}
