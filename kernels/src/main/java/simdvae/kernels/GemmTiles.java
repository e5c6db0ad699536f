package simdvae.kernels;

/**
 * The register tiles (micro-kernels) of {@link GemmVector}, at one width and for one vector register file: {@link
 * GemmTiles32Vector} (32 registers: AVX-512 at every width, ARM) and {@link GemmTiles16Vector} (16: AVX2 and SSE)
 * are templates, copied per width. A tile computes a block of C from a strip of B packed k-major
 * ({@code strip[s0 + p·NR + j]}, NR = {@link #vectors()}·L columns) and rows of A, each output element one FMA chain
 * over p from zero, so every tile of every shape gives the bits of {@link GemmScalar}. Tiles that read A in place
 * ({@link #tile}, {@link #shortTile}, {@link #narrowTile}) need A's rows contiguous in k:
 * {@code A[i, p] = a[a0 + i·lda + p]}.
 */
interface GemmTiles {
    /**
     * Lanes of this copy's vectors.
     *
     * @return L; a strip of {@link #tile} is NR columns wide, one of {@link #narrowTile} L
     */
    int lanes();

    /**
     * The register file these tiles are sized for.
     *
     * @return 16 or 32
     */
    int registers();

    /**
     * Vectors of a tile's columns, and of a packed strip of B.
     *
     * @return NR / L
     */
    int vectors();

    /**
     * The most rows of {@link #shortTile}: products of at most this many rows read B in place.
     *
     * @return its rows
     */
    int shortRows();

    /**
     * Packed strips of {@link #rowTilePacked}.
     *
     * @return its strips
     */
    int rowStrips();

    /**
     * Rows of {@link #tile} and {@link #tilePacked} (MR), and of a packed panel of A.
     *
     * @return MR
     */
    int rows();

    /**
     * The depth of a block of k in products whose A is packed into panels (0: no blocks): where blocks pay for
     * this tile (measured per register file).
     *
     * @return kc, or 0
     */
    int blockDepth();

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

    /** {@code rows} ≤ MR rows of A read in place times an NR-column strip into MR rows of out (stride ldo). */
    void tile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int o0, int ldo);

    /** {@link #tile} continuing the chains in out: each accumulator starts from {@code out}'s value, not zero. */
    void tileMore(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int o0, int ldo);

    /** MR rows of A from a packed panel ({@code pa[a0 + p·MR + r]}) times an NR-column strip into out. */
    void tilePacked(int k, float[] pa, int a0, float[] strip, int s0, float[] out, int o0, int ldo);

    /**
     * {@link #tilePacked} continuing the chains in out: each accumulator starts from {@code out}'s value instead of
     * zero (a block of k after the first; the chain over p is the same as in one call over all of k).
     */
    void tilePackedMore(int k, float[] pa, int a0, float[] strip, int s0, float[] out, int o0, int ldo);

    /**
     * {@link #tilePacked} that packs the strip as it goes: NR columns of B's rows read in place ({@code b[bRow +
     * p·ldb + j]}) into {@code strip[s0 + p·NR + j]} as well as into the product.
     */
    void tilePackingB(int k, float[] pa, int a0, float[] b, int bRow, int ldb, float[] strip, int s0, float[] out,
                      int o0, int ldo);

    /** {@link #tilePackingB} continuing the chains in out, as {@link #tilePackedMore}. */
    void tilePackingBMore(int k, float[] pa, int a0, float[] b, int bRow, int ldb, float[] strip, int s0, float[] out,
                          int o0, int ldo);

    /** {@code rows} ≤ shortRows() rows of A times NR columns of B's row p at {@code s0 + p·ld} into out. */
    void shortTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, int ld, float[] out);

    /** One row of A times rowVectors()·L columns of B read in place ({@code b[b0 + p·ldb + j]}) into c at c0. */
    void rowTile(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0);

    /**
     * One row of A times rowStrips() whole packed strips of NR columns, the first at {@code s0}, each {@code
     * stripSize} floats after the one before, into rowStrips()·NR columns of c at c0.
     */
    void rowTilePacked(int k, float[] a, int a0, float[] strips, int s0, int stripSize, float[] c, int c0);

    /**
     * {@code rows} ≤ narrowRows() rows of A read in place times an L-column strip ({@code strip[s0 + p·L + j]}) into
     * out (row stride ldo).
     */
    void narrowTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int ldo);

    /** {@link #narrowTile} continuing the chains held in out from {@code o0}: each starts from its stored value. */
    void narrowTileMore(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int o0,
                        int ldo);
}
