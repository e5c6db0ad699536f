package simdvae.kernels;

import simdvae.core.FloatMatrix;

/** The GEMM reference: straight loops, the contract of {@link GemmKernel} written out literally. */
public final class GemmScalar implements GemmKernel {
    /** The one instance (it holds nothing). */
    public static final GemmScalar INSTANCE = new GemmScalar();

    private GemmScalar() {
    }

    @Override
    public void gemm(Layout layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        GemmKernel.check(layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
        // Strides of op(A)[i,p] and op(B)[p,j] in their arrays.
        int ai = layout == Layout.TN ? 1 : lda;
        int ap = layout == Layout.TN ? lda : 1;
        int bp = layout == Layout.NT ? 1 : ldb;
        int bj = layout == Layout.NT ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[aOff + i * ai + p * ap], b[bOff + p * bp + j * bj], acc);
                }
                int ci = cOff + i * ldc + j;
                float r = accumulate ? c[ci] + acc : acc;
                if (bias != null) {
                    r = r + bias[biasOff + j];
                }
                c[ci] = relu ? Math.max(r, 0f) : r;
            }
        }
    }

    /** The scalar reference's packed B is a plain row-major copy (k × n): one strip of every column. */
    @Override
    public GemmPackedB pack(boolean transposed, int k, int n, float[] b, int bOff, int ldb, GemmPackedB into) {
        FloatMatrix.checkFits("B", b, bOff, transposed ? n : k, transposed ? k : n, ldb);
        GemmPackedB packed = GemmPackedB.fits(into, k, n, 1, 1) ? into
                : new GemmPackedB(k, n, 1, 1, Math.multiplyExact(k, n));
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                packed.data[p * n + j] = transposed ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
        return packed;
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int lda, GemmPackedB b, int bCol, float[] c, int cOff,
                     int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        GemmKernel.checkPacked(m, n, k, a, aOff, lda, b, bCol, 1, 1, c, cOff, ldc, bias, biasOff);
        gemm(Layout.NN, m, n, k, a, aOff, lda, b.data, bCol, Math.max(1, b.n), c, cOff, ldc, accumulate, bias, biasOff,
                relu);
    }
}
