package simdvae.kernels;

/**
 * {@link GemmVector}'s products in blocks of k (where the register tiles ask for it: {@link GemmTiles#blockDepth}).
 * {@link GemmBlocksVector} is the template, copied per width.
 */
interface GemmBlocks {
    /**
     * The raw product C = A·B (no epilogue) in blocks of k, where {@code A[i,p] = a[aOff + i·lda + p·ap]} (or A's
     * panels {@code pa}, when not null) and {@code B[p,j] = b[bOff + p·bp + j·bj]}, or B's columns from {@code
     * pCol} of {@code packed} when it is not null. Every output is the one FMA chain over k it is in every other path.
     */
    void product(int m, int n, int k, float[] a, int aOff, int lda, int ap, float[] b, int bOff, int bp, int bj,
                 GemmPackedB packed, int pCol, float[] pa, float[] c, int cOff, int ldc);
}
