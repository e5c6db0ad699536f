package simdvae.kernels;

import static simdvae.kernels.GemmPacking.scratch;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.FloatMatrix;
import simdvae.core.Specializer;
import simdvae.core.Width;

/**
 * GEMM on the Vector API, vectorised over the columns of C. Every lane is one output element with its own FMA chain
 * over k in ascending order, so the result equals {@link GemmScalar} bit for bit whatever the tiling.
 *
 * <ul>
 *   <li>The micro-kernel holds a register tile of MR rows × NV vectors sized to the JIT's vector register file
 *       ({@link simdvae.core.RegisterFile}, decided once at start-up): 10 × 2 (20 accumulators) with 32 registers,
 *       3 × 3 (9) with 16, where AVX2 cannot fold broadcasts of A into FMAs and C2 keeps all MR live (see {@code
 *       GemmTiles16Vector}). The shape changes which outputs share a tile, never an output's chain.</li>
 *   <li>B is packed NV vectors of columns at a time into contiguous k × NR strips, zero-padded past n; reading B
 *       in place instead strides by ldb, which aliases in L1 and defeats the prefetchers. B may also come packed
 *       once ({@link GemmPackedB}: a model's weights), in the strips this class would pack.</li>
 *   <li>Where the tiles ask for it (16 registers: {@code GemmTiles.blockDepth}), k runs in blocks of 256 in BLIS's
 *       loop order — for each block, every strip's block under every row tile — so a strip's block stays in L1 and
 *       A's block in L2; chains wait in C between blocks. The first row tile packs each strip block as it goes.</li>
 *   <li>A is read in place when its rows are contiguous in k (NN, NT); TN's A is first transposed into scratch.
 *       NT with fewer rows than columns is computed as its transpose {@code Cᵀ = B·Aᵀ}, so the big operand (the
 *       weights) is read in place and only the small one is packed; a product is the same bits either way. When
 *       many strips reuse A, A is packed once into MR-row panels (TN's straight from its columns, with
 *       no transpose, its last strip padded where no register transpose would make A's transpose cheap).</li>
 *   <li>Transposes (TN's A, NT's packed Aᵀ, Cᵀ back into C) move 16 × 16 blocks through registers with two-source
 *       permutes at 512 bits, element by element at other widths. Strips of at most four columns run on 128-bit
 *       vectors, and products of a few rows on a short tile, so the latent head wastes neither lanes nor rows.</li>
 * </ul>
 * This file is the driver: which path each layout takes, and the products in one pass over k. The register tiles
 * are {@code GemmTiles32Vector} or {@code GemmTiles16Vector} (copied for this width and for 128 bits), the packing
 * and the moves of results into C {@link GemmPackingVector}, the products in blocks of k {@link GemmBlocksVector}:
 * templates of their own, each copied for this width with this class, so that every one sees its species as a
 * constant. Packing buffers are per-thread and reused: no allocation once warm. A template: {@link Specializer}
 * makes one copy per width (see {@link Kernels}).
 */
public final class GemmVector implements GemmKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();

    /** Four lanes, for strips of at most four columns (the N = 4 head) when L is wider. */
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    private static final int Q = S4.length();
    /** Whether transposes go by 16 × 16 blocks in registers (Transpose16); other widths go element-wise. */
    private static final boolean TRANSPOSE16 = L == 16;

    /** The register tiles at this width. */
    private final GemmTiles tiles;
    /** The tiles at 128 bits, for strips of at most four columns when this width is wider; else the same tiles. */
    private final GemmTiles quarterTiles;
    /** Packing and the moves of results into C, at this width. */
    private final GemmPacking packing;
    /** Products in blocks of k, at this width; null where the tiles run over all of k at once. */
    private final GemmBlocks blocked;
    /** The register tile, for reports. */
    private final GemmTile tile;
    /** Rows of the tile buffer: the most rows any tile writes. */
    private final int outRows;
    /** Rows of a register tile and of a panel of A (MR). */
    private final int mr;
    /** Vectors of a register tile and of a packed strip of B (2 or 3). */
    private final int nv;
    /** Columns of a register tile and of a packed strip of B (nr = nv·L). */
    private final int nr;
    /** The most rows of a product that reads B in place ({@code GemmTiles.shortTile}). */
    private final int sr;
    /** Columns of a row tile ({@code GemmTiles.rowTile}). */
    private final int rw;
    private final ThreadLocal<float[]> strips = new ThreadLocal<>();
    private final ThreadLocal<float[]> tileBuffers = new ThreadLocal<>();
    /** An operand transposed: TN's A, or the narrow TN's B. */
    private final ThreadLocal<float[]> transposed = new ThreadLocal<>();
    private final ThreadLocal<float[]> transposedC = new ThreadLocal<>();
    private final ThreadLocal<float[]> products = new ThreadLocal<>();
    private final ThreadLocal<float[]> panels = new ThreadLocal<>();
    /**
     * Columns of C from which A is packed into panels ({@code GemmTiles.tilePacked}): the micro-kernel then addresses A
     * from one index, where ten row offsets read in place spill into vector registers and cost two extra instructions
     * per FMA (same-run A/B: +8 % on 1024³). Packing costs about one strip's worth of work, so it pays when 16 strips
     * or more reuse A: with two threads each packs its own copy, and at 8 strips a thread the batch-50 epoch got 2 %
     * slower.
     */
    private final int panelsFrom;
    /** The same for TN, where panels come straight from A's columns and save its transpose: from four strips. */
    private final int tnPanelsFrom;
    /** Depth of a block of k where A is packed into panels (0: none), the tiles' choice. */
    private final int kc;

    /**
     * A kernel at the width of this copy of the template (see {@link simdvae.core.Specializer}), with its register
     * tiles copied for the same width (and for 128 bits, for strips of at most four columns), sized for a file of
     * {@code registers} vector registers.
     *
     * @param registers 16 (x86 without AVX-512) or 32
     */
    public GemmVector(int registers) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Class<?> template = switch (registers) {
            case 16 -> GemmTiles16Vector.class;
            case 32 -> GemmTiles32Vector.class;
            default -> throw new IllegalArgumentException("GEMM tiles for " + registers + " registers: 16 or 32");
        };
        Width width = Width.ofBits(L * Float.SIZE);
        tiles = Specializer.instantiate(lookup, template, GemmTiles.class, width);
        quarterTiles = L > Q ? Specializer.instantiate(lookup, template, GemmTiles.class, Width.ofBits(Q * Float.SIZE))
                : tiles;
        if (tiles.lanes() != L || quarterTiles.lanes() != Math.min(L, Q)) {
            throw new IllegalStateException("GEMM tiles of " + tiles.lanes() + " and " + quarterTiles.lanes()
                    + " lanes for a " + L + "-lane product");
        }
        mr = tiles.rows();
        nv = tiles.vectors();
        nr = nv * L;
        sr = tiles.shortRows();
        rw = tiles.rowVectors() * L;
        panelsFrom = 16 * nr;
        tnPanelsFrom = 4 * nr;
        // -Dsimdvae.kc=N: another depth (0: none), read when a kernel is made; for tests of every depth and experiments
        kc = Integer.getInteger("simdvae.kc", tiles.blockDepth());
        packing = Specializer.instantiate(lookup, GemmPackingVector.class, GemmPacking.class, width, nv);
        blocked = kc > 0 ? Specializer.instantiate(lookup, GemmBlocksVector.class, GemmBlocks.class, width, tiles,
                quarterTiles, packing, kc) : null;
        tile = new GemmTile(mr, nv, L, tiles.registers());
        outRows = Math.max(Math.max(mr, tiles.narrowRows()), quarterTiles.narrowRows());
    }

    /**
     * The register tile's shape.
     *
     * @return its rows (MR), vectors of columns (NV) and lanes
     */
    @Override
    public GemmTile tile() {
        return tile;
    }

    @Override
    public void gemm(Layout layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        GemmKernel.check(layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
        if (m == 0 || n == 0) {
            return;
        }
        switch (layout) {
            case NN -> product(m, n, k, a, aOff, lda, 1, b, bOff, ldb, 1, c, cOff, ldc, accumulate, bias, biasOff,
                    relu);
            case TN -> {
                if (n <= L && n < m) {
                    transposedTN(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu);
                } else if (n >= tnPanelsFrom && (n % nr == 0 || n % nr > L || !TRANSPOSE16)) {
                    // Panels of A straight from TN's A, no transpose. A narrow last strip would need A's rows: it is
                    // padded to a whole one instead (a few idle lanes), except where 16 × 16 register transposes make
                    // A's transpose cheap (512 bits); at other widths the transpose goes element by element, and it
                    // took 9 % of TN_784_512_50 at 256 bits (strips of 24 leave 8 columns).
                    product(m, n, k, a, aOff, 1, lda, b, bOff, ldb, 1, c, cOff, ldc, accumulate, bias, biasOff, relu);
                } else {
                    float[] at = scratch(transposed, m * k);
                    packing.transpose(a, aOff, lda, k, m, at);
                    product(m, n, k, at, 0, k, 1, b, bOff, ldb, 1, c, cOff, ldc, accumulate, bias, biasOff, relu);
                }
            }
            case NT -> {
                if (m <= n) {
                    transposedNT(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu);
                } else {
                    product(m, n, k, a, aOff, lda, 1, b, bOff, 1, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu);
                }
            }
        }
    }

    /** {@code Cᵀ[n×m] = B[n×k]·Aᵀ[k×m]} into scratch, then C = epilogue(Cᵀ transposed back). */
    private void transposedNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff,
                              boolean relu) {
        float[] ct = scratch(transposedC, n * m);
        product(n, m, k, b, bOff, ldb, 1, a, aOff, 1, lda, ct, 0, m, false, null, 0, false);
        packing.untranspose(ct, m, n, c, cOff, ldc, accumulate, bias, biasOff, relu);
    }

    /**
     * A narrow TN product (n ≤ L columns, more rows) as {@code Cᵀ[n×m] = Bᵀ[n×k]·A[k×m]}: the vectors then run
     * along m over A's rows as stored, with every lane used, and only the small B is transposed.
     */
    private void transposedTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff,
                              boolean relu) {
        float[] bt = scratch(transposed, n * k);
        packing.transpose(b, bOff, ldb, k, n, bt);
        float[] ct = scratch(transposedC, n * m);
        product(n, m, k, bt, 0, k, 1, a, aOff, lda, 1, ct, 0, m, false, null, 0, false);
        packing.untranspose(ct, m, n, c, cOff, ldc, accumulate, bias, biasOff, relu);
    }

    @Override
    public GemmPackedB pack(boolean transposed, int k, int n, float[] b, int bOff, int ldb, GemmPackedB into) {
        FloatMatrix.checkFits("B", b, bOff, transposed ? n : k, transposed ? k : n, ldb);
        int strips = (n + nr - 1) / nr;
        GemmPackedB packed = GemmPackedB.fits(into, k, n, L, nr) ? into
                : new GemmPackedB(k, n, L, nr, Math.multiplyExact(Math.multiplyExact(strips, k), nr));
        int bp = transposed ? 1 : ldb;
        int bj = transposed ? ldb : 1;
        for (int j = 0; j < n; j += nr) {
            packing.packStrip(k, b, bOff + j * bj, bp, bj, Math.min(nr, n - j), packed.data, j / nr * k * nr);
        }
        return packed;
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int lda, GemmPackedB b, int bCol, float[] c, int cOff,
                     int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        GemmKernel.checkPacked(m, n, k, a, aOff, lda, b, bCol, L, nr, c, cOff, ldc, bias, biasOff);
        if (m == 0 || n == 0) {
            return;
        }
        product(m, n, k, a, aOff, lda, 1, null, 0, 0, 1, b, bCol, c, cOff, ldc, accumulate, bias, biasOff, relu);
    }

    /** C = epilogue(A·B) with B read as stored ({@link #product(int, int, int, float[], int, int, int, float[], int,
     *  int, int, GemmPackedB, int, float[], int, int, boolean, float[], int, boolean)} with no packed B). */
    private void product(int m, int n, int k, float[] a, int aOff, int lda, int ap, float[] b, int bOff, int bp,
                         int bj, float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff,
                         boolean relu) {
        product(m, n, k, a, aOff, lda, ap, b, bOff, bp, bj, null, 0, c, cOff, ldc, accumulate, bias, biasOff, relu);
    }

    /**
     * C = epilogue(A·B) where A[i,p] = a[aOff + i·lda + p·ap] and B[p,j] = b[bOff + p·bp + j·bj], or B's columns
     * from {@code pCol} of {@code packed} when it is not null. From 16 strips on (or when A's rows are not
     * contiguous, ap ≠ 1, which only comes with wide strips) A is packed into panels once and read from there. With
     * {@code accumulate}, the raw products go to scratch first, since C's old values are still needed.
     */
    private void product(int m, int n, int k, float[] a, int aOff, int lda, int ap, float[] b, int bOff, int bp,
                         int bj, GemmPackedB packed, int pCol, float[] c, int cOff, int ldc, boolean accumulate,
                         float[] bias, int biasOff, boolean relu) {
        if (accumulate) {
            float[] tmp = scratch(products, m * n);
            product(m, n, k, a, aOff, lda, ap, b, bOff, bp, bj, packed, pCol, tmp, 0, n, false, null, 0, false);
            packing.finish(tmp, 0, n, m, n, c, cOff, ldc, bias, biasOff, relu);
            for (int i = 0; i < m; i++) {
                System.arraycopy(tmp, i * n, c, cOff + i * ldc, n);
            }
            return;
        }
        // The narrow, quarter and short tiles read A in place along its rows, so A's rows must be contiguous. Only TN's
        // panels come with ap != 1, and then a narrow strip is packed as a whole one, zero-padded (see gemm).
        float[] strip = packed == null ? scratch(strips, k * nr) : null;
        float[] out = scratch(tileBuffers, outRows * nr);
        boolean epilogue = bias != null || relu;
        // A product of a few rows (inference of one row, say) reads whole strips of B in place: packing B costs
        // as much as the product when each strip serves one short tile (one row of 784 × 512: 150 µs, mostly
        // packing). The FMA chain per element is the same either way, so are the bits.
        boolean shortRows = m <= sr && ap == 1;
        float[] pa = null;
        if (!shortRows && (ap != 1 || n >= panelsFrom)) {
            pa = scratch(panels, (m + mr - 1) / mr * mr * k);
            packing.packA(m, k, a, aOff, lda, ap, mr, pa);
        }
        if (kc > 0 && k > kc && !shortRows && (pa != null || ap == 1)) {
            blocked.product(m, n, k, a, aOff, lda, ap, b, bOff, bp, bj, packed, pCol, pa, c, cOff, ldc);
            if (epilogue) {
                packing.finish(c, cOff, ldc, m, n, null, 0, 0, bias, biasOff, relu);
            }
            return;
        }
        int j0 = 0;
        if (m == 1 && packed != null) {
            // One row on packed strips: four strips at a time, 8 accumulators.
            int size = k * nr;
            for (; j0 + tiles.rowStrips() * nr <= n; j0 += tiles.rowStrips() * nr) {
                tiles.rowTilePacked(k, a, aOff, packed.data, (pCol + j0) / nr * size, size, c, cOff + j0);
                if (epilogue) {
                    packing.finish(c, cOff + j0, ldc, 1, tiles.rowStrips() * nr, null, 0, 0, bias, biasOff + j0, relu);
                }
            }
        } else if (m == 1 && ap == 1 && bj == 1) {
            // One row (inference of one input): B streamed row by row, rw columns at a time.
            for (; j0 + rw <= n; j0 += rw) {
                tiles.rowTile(k, a, aOff, b, bOff + j0, bp, c, cOff + j0);
                if (epilogue) {
                    packing.finish(c, cOff + j0, ldc, 1, rw, null, 0, 0, bias, biasOff + j0, relu);
                }
            }
        }
        for (int j = j0; j < n; j += nr) {
            int cols = Math.min(nr, n - j);
            // The columns the strip holds: a packed B's strip may be wider than the columns this call uses, and its
            // layout (a whole, narrow or quarter strip) is the one it was packed with.
            int held = packed == null ? cols : Math.min(nr, packed.n - (pCol + j));
            boolean narrow = held <= L && ap == 1;
            boolean quarter = held <= Q && L > Q && ap == 1;
            // The strip: packed once, read in place (whole strips for a few rows), or packed now.
            float[] sb;
            int s0;
            int sld = nr;
            if (packed != null) {
                sb = packed.data;
                s0 = (pCol + j) / nr * k * nr;
            } else if (shortRows && cols == nr && bj == 1) {
                sb = b;
                s0 = bOff + j;
                sld = bp;
            } else if (narrow) {
                packing.packStrip(k, b, bOff + j * bj, bp, bj, cols, strip, 0);
                sb = strip;
                s0 = 0;
            } else {
                packing.packWhole(k, b, bOff + j * bj, bp, bj, cols, strip, 0);
                sb = strip;
                s0 = 0;
            }
            if (quarter || narrow) {
                narrowStrip(quarter ? quarterTiles : tiles, m, k, a, aOff, lda, sb, s0, cols, c, cOff + j, ldc, out);
            } else if (shortRows) {
                tiles.shortTile(m, k, a, aOff, lda, sb, s0, sld, out);
                packing.copyOut(out, 0, m, cols, c, cOff + j, ldc);
            } else {
                for (int i = 0; i < m; i += mr) {
                    int rows = Math.min(mr, m - i);
                    if (pa != null && rows == mr && cols == nr) {
                        tiles.tilePacked(k, pa, i * k, sb, s0, c, cOff + i * ldc + j, ldc);
                    } else if (pa != null) {
                        tiles.tilePacked(k, pa, i * k, sb, s0, out, 0, nr);
                        packing.copyOut(out, 0, rows, cols, c, cOff + i * ldc + j, ldc);
                    } else if (rows <= sr) {
                        tiles.shortTile(rows, k, a, aOff + i * lda, lda, sb, s0, nr, out);
                        packing.copyOut(out, 0, rows, cols, c, cOff + i * ldc + j, ldc);
                    } else if (rows == mr && cols == nr) {
                        tiles.tile(rows, k, a, aOff + i * lda, lda, sb, s0, c, cOff + i * ldc + j, ldc);
                    } else {
                        tiles.tile(rows, k, a, aOff + i * lda, lda, sb, s0, out, 0, nr);
                        packing.copyOut(out, 0, rows, cols, c, cOff + i * ldc + j, ldc);
                    }
                }
            }
            if (epilogue) {
                packing.finish(c, cOff + j, ldc, m, cols, null, 0, 0, bias, biasOff + j, relu);
            }
        }
    }

    /** A narrow strip ({@code cols} ≤ L columns at s0 of sb) under every row of A, read in place, into C at c0. */
    private void narrowStrip(GemmTiles t, int m, int k, float[] a, int aOff, int lda, float[] sb, int s0, int cols,
                             float[] c, int c0, int ldc, float[] out) {
        int step = t.narrowRows();
        for (int i = 0; i < m; i += step) {
            int rows = Math.min(step, m - i);
            t.narrowTile(rows, k, a, aOff + i * lda, lda, sb, s0, out, nr);
            packing.copyOut(out, 0, rows, cols, c, c0 + i * ldc, ldc);
        }
    }

}
