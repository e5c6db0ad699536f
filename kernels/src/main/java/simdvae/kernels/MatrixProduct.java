package simdvae.kernels;

import java.util.Objects;
import simdvae.core.FloatMatrix;

/**
 * The arguments of one matrix product, {@code C = epilogue(op(A)·op(B))} (see {@link GemmKernel}), set by name and
 * reused: a layer, a test or a benchmark describes its product once instead of passing seventeen values in order
 * ({@link LossBatch} does the same for the losses). Run it with {@link GemmKernel#gemm(MatrixProduct)} or
 * {@link ParallelKernels#gemm(MatrixProduct)}. Not thread-safe.
 *
 * <pre>{@code
 *   MatrixProduct p = new MatrixProduct().shape(Layout.NN, m, n, k).a(x, 0, k).b(w, 0, n).c(y, 0, n).bias(b, 0);
 *   kernels.gemm(p.relu(true));
 * }</pre>
 */
public final class MatrixProduct {
    Layout layout = Layout.NN;
    int m;
    int n;
    int k;
    float[] a;
    int aOff;
    int lda;
    float[] b;
    int bOff;
    int ldb;
    GemmPackedB packed;
    int packedCol;
    float[] c;
    int cOff;
    int ldc;
    boolean accumulate;
    float[] bias;
    int biasOff;
    boolean relu;

    /** An empty product; set its parts before running it. */
    public MatrixProduct() {
    }

    /**
     * Starts a product: the layout and sizes, and the epilogue back to none (overwrite, no bias, no ReLU).
     *
     * @param layout which operand is used transposed: NN, NT (B) or TN (A)
     * @param m      rows of C
     * @param n      columns of C
     * @param k      the reduction length
     * @return this product
     */
    public MatrixProduct shape(Layout layout, int m, int n, int k) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.m = m;
        this.n = n;
        this.k = k;
        this.accumulate = false;
        this.bias = null;
        this.biasOff = 0;
        this.relu = false;
        this.packed = null;
        return this;
    }

    /**
     * A as stored.
     *
     * @param a   the array
     * @param off where its element (0, 0) is
     * @param ld  its leading dimension (k for NN and NT, m for TN)
     * @return this product
     */
    public MatrixProduct a(float[] a, int off, int ld) {
        this.a = a;
        this.aOff = off;
        this.lda = ld;
        return this;
    }

    /**
     * B as stored.
     *
     * @param b   the array
     * @param off where its element (0, 0) is
     * @param ld  its leading dimension (n for NN and TN, k for NT)
     * @return this product
     */
    public MatrixProduct b(float[] b, int off, int ld) {
        this.b = b;
        this.bOff = off;
        this.ldb = ld;
        this.packed = null;
        return this;
    }

    /**
     * B as packed once ({@link GemmKernel#pack}), from its column {@code col}: the layout must be NN. Replaces an
     * unpacked B, and {@link #b(float[], int, int)} replaces this.
     *
     * @param b   the packed B, packed by kernels of the width that runs this product
     * @param col the first column used: 0, or the start of one of its strips
     * @return this product
     */
    public MatrixProduct b(GemmPackedB b, int col) {
        this.packed = b;
        this.packedCol = col;
        this.b = null;
        return this;
    }

    /**
     * C, the output.
     *
     * @param c   the array
     * @param off where its element (0, 0) is
     * @param ld  its row stride
     * @return this product
     */
    public MatrixProduct c(float[] c, int off, int ld) {
        this.c = c;
        this.cOff = off;
        this.ldc = ld;
        return this;
    }

    /**
     * Whether the product is added to C's values instead of overwriting them.
     *
     * @param accumulate true to add
     * @return this product
     */
    public MatrixProduct accumulate(boolean accumulate) {
        this.accumulate = accumulate;
        return this;
    }

    /**
     * A bias added to every row of C, n values.
     *
     * @param bias the array, or null for none
     * @param off  where the bias starts
     * @return this product
     */
    public MatrixProduct bias(float[] bias, int off) {
        this.bias = bias;
        this.biasOff = off;
        return this;
    }

    /**
     * Whether max(·, 0) is applied last.
     *
     * @param relu true for ReLU
     * @return this product
     */
    public MatrixProduct relu(boolean relu) {
        this.relu = relu;
        return this;
    }

    /**
     * The output array.
     *
     * @return C as set
     */
    public float[] c() {
        return c;
    }

    /**
     * Checks that every operand holds what the sizes ask of it.
     *
     * @throws IllegalArgumentException naming the operand that does not fit
     */
    public void check() {
        if (packed != null) {
            if (layout != Layout.NN) {
                throw new IllegalArgumentException("a product on a packed B is NN, not " + layout);
            }
            FloatMatrix.checkFits("A", a, aOff, m, k, lda);
            packed.check(k, packedCol, n, packed.lanes, packed.stripColumns);
            FloatMatrix.checkFits("C", c, cOff, m, n, ldc);
            if (bias != null) {
                Objects.checkFromIndexSize(biasOff, n, bias.length);
            }
            return;
        }
        GemmKernel.check(layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
    }

    @Override
    public String toString() {
        return layout + (packed != null ? " on " + packed + " from column " + packedCol : "") + " m=" + m + " n=" + n
                + " k=" + k + " offsets " + aOff + "/" + bOff + "/" + cOff + " ld "
                + lda + "/" + ldb + "/" + ldc + " accumulate=" + accumulate + " bias=" + (bias != null) + " relu="
                + relu;
    }
}
