package simdvae.kernels;

/**
 * The register tiles (micro-kernels) of {@link GemmVector}, at one width: {@link GemmTilesVector} is the template,
 * copied per width. A tile computes a block of C from a strip of B packed k-major ({@code strip[p·stride + j]}) and
 * rows of A, each output element one FMA chain over p from zero, so every tile gives the bits of {@link GemmScalar}.
 * Tiles that read A in place ({@link #tile}, {@link #shortTile}, {@link #narrowTile}) need A's rows contiguous in k:
 * {@code A[i, p] = a[a0 + i·lda + p]}.
 */
interface GemmTiles {
    /** Rows of a register tile. */
    int MR = 10;
    /** Rows of the short register tile, for products of at most this many rows. */
    int SR = 4;
    /** Vectors (and columns / lanes) of a {@link #rowTile}. */
    int RW_VECTORS = 16;

    /**
     * Lanes of this copy's vectors.
     *
     * @return L; a strip of {@link #tile} is 2·L columns wide, one of {@link #narrowTile} L
     */
    int lanes();

    /** {@code rows} ≤ MR rows of A read in place times a 2·L-column strip into MR rows of out (stride ldo). */
    void tile(int rows, int k, float[] a, int a0, int lda, float[] strip, float[] out, int o0, int ldo);

    /** MR rows of A from a packed panel ({@code pa[a0 + p·MR + r]}) times a 2·L-column strip into out. */
    void tilePacked(int k, float[] pa, int a0, float[] strip, float[] out, int o0, int ldo);

    /** {@code rows} ≤ SR rows of A times 2 vectors of B's row p at {@code s0 + p·ld} into out (stride 2·L). */
    void shortTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, int ld, float[] out);

    /** One row of A times RW_VECTORS·L columns of B read in place ({@code b[b0 + p·ldb + j]}) into c at c0. */
    void rowTile(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0);

    /** {@code rows} ≤ MR rows of A read in place times an L-column strip into MR rows of out (stride ldo). */
    void narrowTile(int rows, int k, float[] a, int a0, int lda, float[] strip, float[] out, int ldo);
}
