package simdvae.kernels;

/**
 * Column sums of an m×n matrix (the bias gradient {@code db = Σ_i dY[i, :]}). Each output is one chain in row
 * order: {@code s = accumulate ? out[j] : 0; for i: s = s + x[i][j]}.
 */
public interface ColumnSumsKernel {
    /**
     * The column sums of x into out.
     *
     * @param m          rows of x
     * @param n          columns of x
     * @param x          the matrix, row-major
     * @param xOff       where its element (0, 0) is
     * @param ldx        its row stride
     * @param out        the n sums
     * @param outOff     where the first goes
     * @param accumulate add to out's values instead of overwriting them
     */
    void columnSums(int m, int n, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate);

    /**
     * Checks the sizes: x fits in its array and out has n elements from outOff.
     *
     * @param m      rows of x
     * @param n      columns of x
     * @param x      the matrix
     * @param xOff   where its element (0, 0) is
     * @param ldx    its row stride
     * @param out    the sums
     * @param outOff where the first goes
     */
    static void check(int m, int n, float[] x, int xOff, int ldx, float[] out, int outOff) {
        if (m < 0 || n < 0) {
            throw new IllegalArgumentException("negative size: m=" + m + " n=" + n);
        }
        simdvae.core.FloatMatrix.checkFits("x", x, xOff, m, n, ldx);
        java.util.Objects.checkFromIndexSize(outOff, n, out.length);
    }
}
