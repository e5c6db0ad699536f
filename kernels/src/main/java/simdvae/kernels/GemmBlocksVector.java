package simdvae.kernels;

import static simdvae.kernels.GemmPacking.scratch;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * {@link GemmBlocks} on the Vector API, at the width of this copy of the template ({@link Specializer}; {@link
 * GemmVector} makes one with each of its copies, on its own tiles and packing). The 16-register tiles ask for blocks
 * of k ({@link GemmTiles#blockDepth}): their strips of three vectors outgrow L1 over a deep k.
 */
final class GemmBlocksVector implements GemmBlocks {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    /** Lanes of a quarter strip (at most four columns, on 128-bit tiles when L is wider). */
    private static final int Q = FloatVector.SPECIES_128.length();

    /** The register tiles at this width. */
    private final GemmTiles tiles;
    /** The tiles at 128 bits, for strips of at most four columns when this width is wider; else the same tiles. */
    private final GemmTiles quarterTiles;
    private final GemmPacking packing;
    /** Rows of a register tile and of a panel of A (MR). */
    private final int mr;
    /** Columns of a register tile and of a packed strip of B (nr = NV·L). */
    private final int nr;
    /** The most depth of a block of k. */
    private final int kc;
    private final ThreadLocal<float[]> strips = new ThreadLocal<>();
    /** Edge tiles' chains between blocks of k. */
    private final ThreadLocal<float[]> edgeRowBuffers = new ThreadLocal<>();
    private final ThreadLocal<float[]> edgeColBuffers = new ThreadLocal<>();
    /** A narrow strip packed whole, and its chains between blocks of k. */
    private final ThreadLocal<float[]> narrowStrips = new ThreadLocal<>();
    private final ThreadLocal<float[]> narrowAccs = new ThreadLocal<>();

    /**
     * Blocks of k on the tiles and packing of one {@link GemmVector} copy, all of this width.
     *
     * @param tiles        the register tiles
     * @param quarterTiles the 128-bit tiles (the same tiles at 128 bits)
     * @param packing      the packing routines
     * @param kc           the most depth of a block, at least 1
     */
    public GemmBlocksVector(GemmTiles tiles, GemmTiles quarterTiles, GemmPacking packing, int kc) {
        if (tiles.lanes() != L || packing.lanes() != L || kc < 1) {
            throw new IllegalStateException("blocks of " + kc + " at " + L + " lanes on tiles of " + tiles.lanes()
                    + " and packing of " + packing.lanes());
        }
        this.tiles = tiles;
        this.quarterTiles = quarterTiles;
        this.packing = packing;
        this.mr = tiles.rows();
        this.nr = tiles.vectors() * L;
        this.kc = kc;
    }

    /**
     * Whether a strip's block is packed by its first row tile as it goes ({@code GemmTiles.tilePackingB}): a whole
     * strip of a B whose rows are contiguous, not packed beforehand, under A's panels. In blocks of k only: there
     * (16 registers, 784- and 512-deep products) it ran 4–12 % faster than packing first; in one pass over k with
     * AVX-512's tiles it measured −7 % to +3 % (TN at k = 50 lost: its B is small), so it is not used there.
     */
    private static boolean fused(float[] pa, GemmPackedB packed, int bj, int cols, int nr) {
        return pa != null && packed == null && bj == 1 && cols == nr;
    }

    /**
     * The raw product (no epilogue) in blocks of k, BLIS's loop order: for each block of kc, every strip's block of
     * B (kc × NR: packed now, or read from a packed B) passes under every row tile, so A's block (kc columns of its
     * panels, or of A itself read in place when {@code pa} is null) stays in L2 across the strips and the strip's
     * block in L1 across the row tiles. Unblocked, a 256-row A's panels (800 KB) left L2 for every strip: 0.75× the
     * speed of the same tiles over k = 256. Each tile's chains wait in C between blocks (an edge tile's in a side
     * buffer) and go on from there: every output is the one chain over k it is in every other path.
     */
    @Override
    public void product(int m, int n, int k, float[] a, int aOff, int lda, int ap, float[] b, int bOff, int bp,
                        int bj, GemmPackedB packed, int pCol, float[] pa, float[] c, int cOff, int ldc) {
        int whole = m - m % mr; // rows in whole tiles
        int rowsUp = (m + mr - 1) / mr * mr;
        int stripCount = (n + nr - 1) / nr;
        float[] strip = packed == null ? scratch(strips, k * nr) : null;
        // The last row tile of each whole strip, when m is not a multiple of MR; the last strip when it is partial.
        float[] edgeRows = scratch(edgeRowBuffers, stripCount * mr * nr);
        float[] edgeCols = scratch(edgeColBuffers, rowsUp * nr);
        int narrowStep = Math.max(tiles.narrowRows(), quarterTiles.narrowRows());
        int narrowRowsUp = m + narrowStep; // rows a narrow tile may write (the last one repeats its last row)
        float[] narrow = packed == null ? scratch(narrowStrips, k * L) : null;
        float[] narrowAcc = scratch(narrowAccs, narrowRowsUp * L);
        int narrowAt = -1;
        int narrowCols = 0;
        // Blocks of equal depth, at most kc: 784 as 4 × 196, not 3 × 256 and a 16-deep block whose tiles are all
        // call and no work (measured 3 % of NN 50 × 512 × 784).
        int depth = (k + (k + kc - 1) / kc - 1) / ((k + kc - 1) / kc);
        for (int k0 = 0; k0 < k; k0 += depth) {
            int kb = Math.min(depth, k - k0);
            boolean first = k0 == 0;
            for (int j = 0, s = 0; j < n; j += nr, s++) {
                int cols = Math.min(nr, n - j);
                int held = packed == null ? cols : Math.min(nr, packed.n - (pCol + j));
                if (held <= L && ap == 1) {
                    // The narrow strip in blocks too: a big A read in place (NT's W) would otherwise stream from
                    // L3 once more for it alone (17 % of NT 50 × 512 × 784). Its chains wait in narrowAcc.
                    boolean quarter = held <= Q && L > Q;
                    GemmTiles t = quarter ? quarterTiles : tiles;
                    float[] sb = packed == null ? narrow : packed.data;
                    int s0 = (packed == null ? 0 : (pCol + j) / nr * k * nr) + k0 * t.lanes();
                    if (first) {
                        if (packed == null) {
                            packing.packStrip(k, b, bOff + j * bj, bp, bj, cols, narrow, 0);
                        }
                        java.util.Arrays.fill(narrowAcc, 0, narrowRowsUp * L, 0f); // each chain starts at +0
                    }
                    int step = t.narrowRows();
                    for (int i = 0; i < m; i += step) {
                        t.narrowTileMore(Math.min(step, m - i), kb, a, aOff + i * lda + k0, lda, sb, s0, narrowAcc,
                                i * L, L);
                    }
                    narrowAt = j;
                    narrowCols = cols;
                    continue;
                }
                float[] sb;
                int s0;
                if (packed != null) {
                    sb = packed.data;
                    s0 = (pCol + j) / nr * k * nr + k0 * nr;
                } else {
                    if (!fused(pa, packed, bj, cols, nr)) {
                        packing.packWhole(kb, b, bOff + k0 * bp + j * bj, bp, bj, cols, strip, 0);
                    }
                    sb = strip;
                    s0 = 0;
                }
                boolean fuse = fused(pa, packed, bj, cols, nr);
                boolean partial = cols < nr;
                for (int i = 0; i < m; i += mr) {
                    float[] dst;
                    int d0;
                    int ld;
                    if (partial) {
                        dst = edgeCols;
                        d0 = i * nr;
                        ld = nr;
                    } else if (i < whole) {
                        dst = c;
                        d0 = cOff + i * ldc + j;
                        ld = ldc;
                    } else {
                        dst = edgeRows;
                        d0 = s * mr * nr;
                        ld = nr;
                    }
                    if (fuse && i == 0 && first) {
                        tiles.tilePackingB(kb, pa, 0, b, bOff + j, bp, sb, s0, dst, d0, ld);
                    } else if (fuse && i == 0) {
                        tiles.tilePackingBMore(kb, pa, k0 * mr, b, bOff + k0 * bp + j, bp, sb, s0, dst, d0, ld);
                    } else if (pa != null && first) {
                        tiles.tilePacked(kb, pa, i * k, sb, s0, dst, d0, ld);
                    } else if (pa != null) {
                        tiles.tilePackedMore(kb, pa, i * k + k0 * mr, sb, s0, dst, d0, ld);
                    } else if (first) {
                        tiles.tile(Math.min(mr, m - i), kb, a, aOff + i * lda, lda, sb, s0, dst, d0, ld);
                    } else {
                        tiles.tileMore(Math.min(mr, m - i), kb, a, aOff + i * lda + k0, lda, sb, s0, dst, d0, ld);
                    }
                }
            }
        }
        if (narrowAt >= 0) {
            VectorMask<Float> tail = S.indexInRange(0, narrowCols);
            for (int r = 0; r < m; r++) {
                FloatVector.fromArray(S, narrowAcc, r * L).intoArray(c, cOff + r * ldc + narrowAt, tail);
            }
        }
        for (int j = 0, s = 0; j < n; j += nr, s++) {
            int cols = Math.min(nr, n - j);
            int held = packed == null ? cols : Math.min(nr, packed.n - (pCol + j));
            if (held <= L && ap == 1) {
                continue;
            }
            if (cols < nr) {
                packing.copyOut(edgeCols, 0, m, cols, c, cOff + j, ldc);
            } else if (whole < m) {
                packing.copyOut(edgeRows, s * mr * nr, m - whole, cols, c, cOff + whole * ldc + j, ldc);
            }
        }
    }
}
