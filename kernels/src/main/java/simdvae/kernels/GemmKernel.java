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
     * The register tile this kernel runs (for reports: it never changes a result).
     *
     * @return the tile; {@link GemmTile#SCALAR} for the scalar reference
     */
    default GemmTile tile() {
        return GemmTile.SCALAR;
    }

    /**
     * Packs B once for products of this kernel ({@link #gemm(int, int, int, float[], int, int, GemmPackedB, int,
     * float[], int, int, boolean, float[], int, boolean)}): a model's weights in inference, read by every call. The
     * packed copy gives the same bits as B itself; it is a copy, so pack again (into the same object) when B changes.
     *
     * @param transposed whether B is stored transposed (n × k, as NT's B) rather than k × n
     * @param k          rows of B (the products' reduction length)
     * @param n          columns of B
     * @param b          B as stored
     * @param bOff       where B's element (0, 0) is
     * @param ldb        leading dimension of B as stored (n or more; k or more when transposed)
     * @param into       a packed B of the same size and kernel width to overwrite (nothing is allocated then), or
     *                   null for a new one
     * @return the packed B: {@code into} when it fits, else a new one
     * @throws IllegalArgumentException when B does not fit in its array
     */
    GemmPackedB pack(boolean transposed, int k, int n, float[] b, int bOff, int ldb, GemmPackedB into);

    /**
     * {@code C = epilogue(A·B)} where B is columns {@code [bCol, bCol + n)} of a packed B: the same bits as {@link
     * #gemm} in layout NN on B itself, without packing B on every call.
     *
     * @param m          rows of C and A
     * @param n          columns of C
     * @param k          the reduction length (the packed B's rows)
     * @param a          A, row-major m × k
     * @param aOff       where A's element (0, 0) is
     * @param lda        A's row stride
     * @param b          B, packed by a kernel of this width ({@link #pack})
     * @param bCol       the first column of B used: 0, or the start of one of its strips (a multiple of the register
     *                   tile's columns, {@link GemmTile}; {@link ParallelKernels} splits at such columns)
     * @param c          C, the output
     * @param cOff       where C's element (0, 0) is
     * @param ldc        C's row stride
     * @param accumulate add to C's values instead of overwriting them
     * @param bias       null, or n values from {@code biasOff}, added to every row
     * @param biasOff    where the bias starts
     * @param relu       apply max(·, 0) last
     * @throws IllegalArgumentException when an operand does not fit, or B was packed for another width
     */
    void gemm(int m, int n, int k, float[] a, int aOff, int lda, GemmPackedB b, int bCol, float[] c, int cOff,
              int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu);

    /**
     * {@link #gemm} of a product described by name.
     *
     * @param p the product
     */
    default void gemm(MatrixProduct p) {
        if (p.packed != null) {
            if (p.layout != Layout.NN) {
                throw new IllegalArgumentException("a product on a packed B is NN, not " + p.layout);
            }
            gemm(p.m, p.n, p.k, p.a, p.aOff, p.lda, p.packed, p.packedCol, p.c, p.cOff, p.ldc, p.accumulate, p.bias,
                    p.biasOff, p.relu);
            return;
        }
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
     * Validates the arguments of a product on a packed B up front.
     *
     * @param m       rows of C
     * @param n       columns of C
     * @param k       the reduction length
     * @param a       A, row-major
     * @param aOff    its offset
     * @param lda     its row stride
     * @param b       the packed B
     * @param bCol    its first column used
     * @param lanes   the lanes of the kernel that reads it (1 for scalar)
     * @param strip   the columns of that kernel's strips (1 for scalar)
     * @param c       C
     * @param cOff    its offset
     * @param ldc     its row stride
     * @param bias    null, or the bias
     * @param biasOff its offset
     * @throws IllegalArgumentException naming the operand that does not fit
     */
    static void checkPacked(int m, int n, int k, float[] a, int aOff, int lda, GemmPackedB b, int bCol, int lanes,
                            int strip, float[] c, int cOff, int ldc, float[] bias, int biasOff) {
        Objects.requireNonNull(b, "packed B");
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM size: m=" + m + " n=" + n + " k=" + k);
        }
        FloatMatrix.checkFits("A", a, aOff, m, k, lda);
        b.check(k, bCol, n, lanes, strip);
        FloatMatrix.checkFits("C", c, cOff, m, n, ldc);
        if (bias != null) {
            Objects.checkFromIndexSize(biasOff, n, bias.length);
        }
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
