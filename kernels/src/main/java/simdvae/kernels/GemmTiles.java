package simdvae.kernels;

/**
 * The register tiles (micro-kernels) of {@link GemmVector}, at one width and for one vector register file: {@link
 * GemmTiles32Vector} (32 registers: AVX-512 at every width, ARM) and {@link GemmTiles16Vector} (16: AVX2 and SSE)
 * are templates, copied per width. A tile computes a block of C from a strip of B packed k-major
 * ({@code strip[s0 + p·stride + j]}) and rows of A, each output element one FMA chain over p from zero, so every tile
 * of every shape gives the bits of {@link GemmScalar}. Tiles that read A in place ({@link #tile}, {@link #shortTile},
 * {@link #narrowTile}) need A's rows contiguous in k: {@code A[i, p] = a[a0 + i·lda + p]}.
 */
interface GemmTiles {
    /** Rows of the short register tile, for products of at most this many rows. */
    int SR = 4;

    /**
     * Lanes of this copy's vectors.
     *
     * @return L; a strip of {@link #tile} is 2·L columns wide, one of {@link #narrowTile} L
     */
    int lanes();

    /**
     * The register file these tiles are sized for.
     *
     * @return 16 or 32
     */
    int registers();

    /**
     * Rows of {@link #tile} and {@link #tilePacked} (MR), and of a packed panel of A.
     *
     * @return MR
     */
    int rows();

    /**
     * Rows of {@link #narrowTile}.
     *
     * @return its rows
     */
    int narrowRows();

    /**
     * Vectors of {@link #rowTile}.
     *
     * @return its vectors (its columns over L)
     */
    int rowVectors();

    /** {@code rows} ≤ MR rows of A read in place times a 2·L-column strip into MR rows of out (stride ldo). */
    void tile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int o0, int ldo);

    /** MR rows of A from a packed panel ({@code pa[a0 + p·MR + r]}) times a 2·L-column strip into out. */
    void tilePacked(int k, float[] pa, int a0, float[] strip, int s0, float[] out, int o0, int ldo);

    /** {@code rows} ≤ SR rows of A times 2 vectors of B's row p at {@code s0 + p·ld} into out (stride 2·L). */
    void shortTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, int ld, float[] out);

    /** One row of A times rowVectors()·L columns of B read in place ({@code b[b0 + p·ldb + j]}) into c at c0. */
    void rowTile(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0);

    /**
     * One row of A times four whole packed strips of 2·L columns, the first at {@code s0}, each {@code stripSize}
     * floats after the one before, into 8·L columns of c at c0.
     */
    void rowTilePacked(int k, float[] a, int a0, float[] strips, int s0, int stripSize, float[] c, int c0);

    /**
     * {@code rows} ≤ narrowRows() rows of A read in place times an L-column strip ({@code strip[s0 + p·L + j]}) into
     * out (row stride ldo).
     */
    void narrowTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int ldo);
}
