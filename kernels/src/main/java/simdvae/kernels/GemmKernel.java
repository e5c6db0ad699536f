package simdvae.kernels;

import java.util.Objects;
import simdvae.core.FloatMatrix;

/**
 * General matrix product with a fused epilogue. Every output element is
 * <pre>
 *   acc = 0; for p in 0..k-1: acc = fma(op(A)[i,p], op(B)[p,j], acc)     (one FMA chain, p ascending)
 *   r   = accumulate ? C[i,j] + acc : acc
 *   r   = bias != null ? r + bias[j] : r
 *   C[i,j] = relu ? max(r, 0) : r
 * </pre>
 * so every implementation, width and thread split returns the same bits. With {@code accumulate == false} C is
 * never read.
 */
public interface GemmKernel {
    /**
     * {@code C = epilogue(op(A)·op(B))}, row-major throughout.
     *
     * @param layout     which operand is used transposed: NN, NT (B) or TN (A)
     * @param m          rows of C
     * @param n          columns of C
     * @param k          the reduction length
     * @param a          A as stored
     * @param aOff       where A's element (0, 0) is
     * @param lda        leading dimension of A as stored (k columns for NN/NT, m for TN)
     * @param b          B as stored
     * @param bOff       where B's element (0, 0) is
     * @param ldb        leading dimension of B as stored (n columns for NN/TN, k for NT)
     * @param c          C, the output
     * @param cOff       where C's element (0, 0) is
     * @param ldc        C's row stride
     * @param accumulate add to C's values instead of overwriting them
     * @param bias       null, or n values from {@code biasOff}, added to every row
     * @param biasOff    where the bias starts
     * @param relu       apply max(·, 0) last
     */
    void gemm(Layout layout, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc,
              boolean accumulate, float[] bias, int biasOff, boolean relu);

    /**
     * {@link #gemm} of a product described by name.
     *
     * @param p the product
     */
    default void gemm(MatrixProduct p) {
        gemm(p.layout, p.m, p.n, p.k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.c, p.cOff, p.ldc, p.accumulate, p.bias,
                p.biasOff, p.relu);
    }

    /**
     * {@link #gemm} on matrix views: C (m×n) {@code =} or {@code +=} op(A)·op(B), where A is m×k (k×m for TN) and
     * B is k×n (n×k for NT).
     *
     * @param layout     which operand is used transposed
     * @param a          A
     * @param b          B
     * @param c          C, the output
     * @param accumulate add to C's values instead of overwriting them
     * @param bias       null, or c.cols() values from {@code biasOff}
     * @param biasOff    where the bias starts
     * @param relu       apply max(·, 0) last
     * @throws IllegalArgumentException when the shapes do not agree
     */
    default void gemm(Layout layout, FloatMatrix a, FloatMatrix b, FloatMatrix c, boolean accumulate, float[] bias,
                      int biasOff, boolean relu) {
        int m = c.rows();
        int n = c.cols();
        int k = layout == Layout.TN ? a.rows() : a.cols();
        int aRows = layout == Layout.TN ? a.cols() : a.rows();
        int bRows = layout == Layout.NT ? b.cols() : b.rows();
        int bCols = layout == Layout.NT ? b.rows() : b.cols();
        if (aRows != m || bRows != k || bCols != n) {
            throw new IllegalArgumentException(layout + " product of A " + a.rows() + "x" + a.cols() + " and B "
                    + b.rows() + "x" + b.cols() + " cannot fill C " + m + "x" + n);
        }
        gemm(layout, m, n, k, a.data(), a.offset(), a.stride(), b.data(), b.offset(), b.stride(), c.data(),
                c.offset(), c.stride(), accumulate, bias, biasOff, relu);
    }

    /**
     * Validates the arguments of {@link #gemm} up front, so a wrong shape fails with a message, not deep inside.
     *
     * @param layout  the layout
     * @param m       rows of C
     * @param n       columns of C
     * @param k       the reduction length
     * @param a       A as stored
     * @param aOff    its offset
     * @param lda     its leading dimension
     * @param b       B as stored
     * @param bOff    its offset
     * @param ldb     its leading dimension
     * @param c       C
     * @param cOff    its offset
     * @param ldc     its leading dimension
     * @param bias    null, or the bias
     * @param biasOff its offset
     * @throws IllegalArgumentException naming the operand that does not fit
     */
    static void check(Layout layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, float[] bias, int biasOff) {
        Objects.requireNonNull(layout, "layout");
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM size: m=" + m + " n=" + n + " k=" + k);
        }
        boolean aT = layout == Layout.TN;
        boolean bT = layout == Layout.NT;
        FloatMatrix.checkFits("A", a, aOff, aT ? k : m, aT ? m : k, lda);
        FloatMatrix.checkFits("B", b, bOff, bT ? n : k, bT ? k : n, ldb);
        FloatMatrix.checkFits("C", c, cOff, m, n, ldc);
        if (bias != null) {
            Objects.checkFromIndexSize(biasOff, n, bias.length);
        }
    }
}
