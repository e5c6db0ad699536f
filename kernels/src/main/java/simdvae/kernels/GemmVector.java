package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 * This file is the driver and the packing; the register tiles are {@code GemmTiles32Vector} or {@code
 * GemmTiles16Vector} (templates of their own, copied for this width and for 128 bits) and the 16 × 16 transposes
 * {@code Transpose16}. Packing buffers are per-thread and reused: no allocation once warm. A template: {@link
 * Specializer} makes one copy per width (see {@link Kernels}).
 *
 * <p>Long because each layout's path (in place, packed, transposed) and its packing routine sit together, so that
 * the choice between them reads in one place.
 */
public final class GemmVector implements GemmKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();

    /** Four lanes, for strips of at most four columns (the N = 4 head) when L is wider. */
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    private static final int Q = S4.length();
    /** Whether transposes go by 16 × 16 blocks in registers (Transpose16); other widths go element-wise. */
    private static final boolean BLOCKS = L == 16;


    /** The register tiles at this width. */
    private final GemmTiles tiles;
    /** The tiles at 128 bits, for strips of at most four columns when this width is wider; else the same tiles. */
    private final GemmTiles quarterTiles;
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
    private final ThreadLocal<float[]> blocks = new ThreadLocal<>();
    private final ThreadLocal<float[]> panels = new ThreadLocal<>();
    /** Edge tiles' chains between blocks of k ({@code blocked}). */
    private final ThreadLocal<float[]> edgeRowBuffers = new ThreadLocal<>();
    private final ThreadLocal<float[]> edgeColBuffers = new ThreadLocal<>();
    /** A narrow strip packed whole, and its chains between blocks of k. */
    private final ThreadLocal<float[]> narrowStrips = new ThreadLocal<>();
    private final ThreadLocal<float[]> narrowAccs = new ThreadLocal<>();
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
        tiles = Specializer.instantiate(lookup, template, GemmTiles.class, Width.ofBits(L * Float.SIZE));
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
        tile = new GemmTile(mr, nv, L, tiles.registers());
        outRows = Math.max(Math.max(mr, tiles.narrowRows()), quarterTiles.narrowRows());
    }

    /**
     * The register tile's shape.
     *
     * @return its rows (MR), and 2 vectors of columns
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
                } else if (n >= tnPanelsFrom && (n % nr == 0 || n % nr > L || !BLOCKS)) {
                    // Panels of A straight from TN's A, no transpose. A narrow last strip would need A's rows: it is
                    // padded to a whole one instead (a few idle lanes), except where 16 × 16 register transposes make
                    // A's transpose cheap (512 bits); at other widths the transpose goes element by element, and it
                    // took 9 % of TN_784_512_50 at 256 bits (strips of 24 leave 8 columns).
                    product(m, n, k, a, aOff, 1, lda, b, bOff, ldb, 1, c, cOff, ldc, accumulate, bias, biasOff, relu);
                } else {
                    float[] at = scratch(transposed, m * k);
                    transpose(a, aOff, lda, k, m, at);
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
        untranspose(ct, m, n, c, cOff, ldc, accumulate, bias, biasOff, relu);
    }

    /**
     * A narrow TN product (n ≤ L columns, more rows) as {@code Cᵀ[n×m] = Bᵀ[n×k]·A[k×m]}: the vectors then run
     * along m over A's rows as stored, with every lane used, and only the small B is transposed.
     */
    private void transposedTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff,
                              boolean relu) {
        float[] bt = scratch(transposed, n * k);
        transpose(b, bOff, ldb, k, n, bt);
        float[] ct = scratch(transposedC, n * m);
        product(n, m, k, bt, 0, k, 1, a, aOff, lda, 1, ct, 0, m, false, null, 0, false);
        untranspose(ct, m, n, c, cOff, ldc, accumulate, bias, biasOff, relu);
    }

    /** C = epilogue(ct transposed), where {@code ct} holds the raw Cᵀ (n×m), transposed L × L blocks at a time. */
    private void untranspose(float[] ct, int m, int n, float[] c, int cOff, int ldc, boolean accumulate,
                             float[] bias, int biasOff, boolean relu) {
        int wi = BLOCKS ? m - m % L : 0;
        int wj = BLOCKS ? n - n % L : 0;
        float[] block = scratch(blocks, L * L);
        for (int j = 0; j < wj; j += L) {
            for (int i = 0; i < wi; i += L) {
                Transpose16.transpose16(ct, j * m + i, m, block, 0, L);
                for (int e = 0; e < L; e++) {
                    int row = cOff + (i + e) * ldc + j;
                    FloatVector r = FloatVector.fromArray(S, block, e * L);
                    if (accumulate) {
                        r = FloatVector.fromArray(S, c, row).add(r);
                    }
                    if (bias != null) {
                        r = r.add(FloatVector.fromArray(S, bias, biasOff + j));
                    }
                    if (relu) {
                        r = r.max(0f);
                    }
                    r.intoArray(c, row);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = i < wi ? wj : 0; j < n; j++) {
                float r = ct[j * m + i];
                if (accumulate) {
                    r = c[row + j] + r;
                }
                if (bias != null) {
                    r = r + bias[biasOff + j];
                }
                c[row + j] = relu ? Math.max(r, 0f) : r;
            }
        }
    }

    /** This thread's array of {@code local}, grown to at least {@code size}: allocation-free once warm. */
    private static float[] scratch(ThreadLocal<float[]> local, int size) {
        float[] t = local.get();
        if (t == null || t.length < size) {
            t = new float[size + L]; // spare: masked tails never cross the end (that path allocates)
            local.set(t);
        }
        return t;
    }

    /** {@code x[rows×cols]} (row stride ld) into {@code t[cols×rows]}, L × L blocks at a time. */
    private void transpose(float[] x, int off, int ld, int rows, int cols, float[] t) {
        int wr = BLOCKS ? rows - rows % L : 0;
        int wq = BLOCKS ? cols - cols % L : 0;
        for (int r = 0; r < wr; r += L) {
            for (int q = 0; q < wq; q += L) {
                Transpose16.transpose16(x, off + r * ld + q, ld, t, q * rows + r, rows);
            }
        }
        for (int r = 0; r < rows; r++) {
            int src = off + r * ld;
            for (int q = r < wr ? wq : 0; q < cols; q++) {
                t[q * rows + r] = x[src + q];
            }
        }
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
            packStrip(k, b, bOff + j * bj, bp, bj, Math.min(nr, n - j), packed.data, j / nr * k * nr);
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
            finish(tmp, 0, n, m, n, c, cOff, ldc, bias, biasOff, relu);
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
            packA(m, k, a, aOff, lda, ap, mr, pa);
        }
        if (kc > 0 && k > kc && !shortRows && (pa != null || ap == 1)) {
            blocked(m, n, k, a, aOff, lda, ap, b, bOff, bp, bj, packed, pCol, pa, c, cOff, ldc, out);
            if (epilogue) {
                finish(c, cOff, ldc, m, n, null, 0, 0, bias, biasOff, relu);
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
                    finish(c, cOff + j0, ldc, 1, tiles.rowStrips() * nr, null, 0, 0, bias, biasOff + j0, relu);
                }
            }
        } else if (m == 1 && ap == 1 && bj == 1) {
            // One row (inference of one input): B streamed row by row, rw columns at a time.
            for (; j0 + rw <= n; j0 += rw) {
                tiles.rowTile(k, a, aOff, b, bOff + j0, bp, c, cOff + j0);
                if (epilogue) {
                    finish(c, cOff + j0, ldc, 1, rw, null, 0, 0, bias, biasOff + j0, relu);
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
                packStrip(k, b, bOff + j * bj, bp, bj, cols, strip, 0);
                sb = strip;
                s0 = 0;
            } else {
                packWhole(k, b, bOff + j * bj, bp, bj, cols, strip, 0);
                sb = strip;
                s0 = 0;
            }
            if (quarter || narrow) {
                narrowStrip(quarter ? quarterTiles : tiles, m, k, a, aOff, lda, sb, s0, cols, c, cOff + j, ldc, out);
            } else if (shortRows) {
                tiles.shortTile(m, k, a, aOff, lda, sb, s0, sld, out);
                copyOut(out, m, cols, c, cOff + j, ldc);
            } else {
                for (int i = 0; i < m; i += mr) {
                    int rows = Math.min(mr, m - i);
                    if (pa != null && rows == mr && cols == nr) {
                        tiles.tilePacked(k, pa, i * k, sb, s0, c, cOff + i * ldc + j, ldc);
                    } else if (pa != null) {
                        tiles.tilePacked(k, pa, i * k, sb, s0, out, 0, nr);
                        copyOut(out, rows, cols, c, cOff + i * ldc + j, ldc);
                    } else if (rows <= sr) {
                        tiles.shortTile(rows, k, a, aOff + i * lda, lda, sb, s0, nr, out);
                        copyOut(out, rows, cols, c, cOff + i * ldc + j, ldc);
                    } else if (rows == mr && cols == nr) {
                        tiles.tile(rows, k, a, aOff + i * lda, lda, sb, s0, c, cOff + i * ldc + j, ldc);
                    } else {
                        tiles.tile(rows, k, a, aOff + i * lda, lda, sb, s0, out, 0, nr);
                        copyOut(out, rows, cols, c, cOff + i * ldc + j, ldc);
                    }
                }
            }
            if (epilogue) {
                finish(c, cOff + j, ldc, m, cols, null, 0, 0, bias, biasOff + j, relu);
            }
        }
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

    /** A narrow strip ({@code cols} ≤ L columns at s0 of sb) under every row of A, read in place, into C at c0. */
    private void narrowStrip(GemmTiles t, int m, int k, float[] a, int aOff, int lda, float[] sb, int s0, int cols,
                             float[] c, int c0, int ldc, float[] out) {
        int step = t.narrowRows();
        for (int i = 0; i < m; i += step) {
            int rows = Math.min(step, m - i);
            t.narrowTile(rows, k, a, aOff + i * lda, lda, sb, s0, out, nr);
            copyOut(out, 0, rows, cols, c, c0 + i * ldc, ldc);
        }
    }

    /**
     * The raw product (no epilogue) in blocks of k, BLIS's loop order: for each block of kc, every strip's block of
     * B (kc × NR: packed now, or read from a packed B) passes under every row tile, so A's block (kc columns of its
     * panels, or of A itself read in place when {@code pa} is null) stays in L2 across the strips and the strip's
     * block in L1 across the row tiles. Unblocked, a
     * 256-row A's panels (800 KB) left L2 for every strip: 0.75× the speed of the same tiles over k = 256. Each
     * tile's chains wait in C between blocks (an edge tile's in a side buffer) and go on from there: every output is
     * the one chain over k it is in every other path.
     */
    private void blocked(int m, int n, int k, float[] a, int aOff, int lda, int ap, float[] b, int bOff, int bp,
                         int bj, GemmPackedB packed, int pCol, float[] pa, float[] c, int cOff, int ldc,
                         float[] out) {
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
                            packStrip(k, b, bOff + j * bj, bp, bj, cols, narrow, 0);
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
                        packWhole(kb, b, bOff + k0 * bp + j * bj, bp, bj, cols, strip, 0);
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
                copyOut(edgeCols, 0, m, cols, c, cOff + j, ldc);
            } else if (whole < m) {
                copyOut(edgeRows, s * mr * nr, m - whole, cols, c, cOff + whole * ldc + j, ldc);
            }
        }
    }

    /**
     * The strip of B's columns {@code [j, j + cols)} (from {@code off}) into {@code dst} at {@code d0}, as every
     * product reads it: {@value #Q} floats a row for a quarter strip, L for a narrow one, else nr.
     */
    private void packStrip(int k, float[] b, int off, int bp, int bj, int cols, float[] dst, int d0) {
        if (cols <= Q && L > Q) {
            packQuarter(k, b, off, bp, bj, cols, dst, d0);
        } else if (cols <= L) {
            packAt(k, b, off, bp, bj, cols, dst, d0, L);
        } else {
            packWhole(k, b, off, bp, bj, cols, dst, d0);
        }
    }

    /** {@code cols} ≤ NR columns of B as a whole strip, NR floats a row, zero-padded. */
    private void packWhole(int k, float[] b, int off, int bp, int bj, int cols, float[] dst, int d0) {
        packAt(k, b, off, bp, bj, cols, dst, d0, nr);
    }

    /** {@code cols} ≤ {@code stride} columns of B, {@code stride} floats a row: from its columns or its rows. */
    private void packAt(int k, float[] b, int off, int bp, int bj, int cols, float[] dst, int d0, int stride) {
        if (bj != 1 && bp == 1) {
            packColumns(k, b, off, bj, cols, dst, d0, stride);
        } else {
            pack(k, b, off, bp, bj, cols, dst, d0, stride);
        }
    }

    /**
     * A ({@code A[i,p] = a[aOff + i·lda + p·ap]}) in panels of MR rows, k-major within a panel:
     * {@code pa[i·k + p·MR + r] = A[i + r, p]}, the last row repeated past m. Row by row where A's rows are
     * contiguous (a 50 × 784 A: 12 µs, against 32 µs element by element across the rows, 8 % of the product at 256
     * bits); TN's A (ap = its ld) packs by contiguous runs of MR, with no transpose.
     */
    private static void packA(int m, int k, float[] a, int aOff, int lda, int ap, int mr, float[] pa) {
        for (int i = 0; i < m; i += mr) {
            if (ap == 1) {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + Math.min(i + r, m - 1) * lda;
                    for (int p = 0, dst = i * k + r; p < k; p++, dst += mr) {
                        pa[dst] = a[src + p];
                    }
                }
            } else if (i + mr <= m) {
                for (int p = 0, dst = i * k, src = aOff + i * lda; p < k; p++, dst += mr, src += ap) {
                    for (int r = 0; r < mr; r++) {
                        pa[dst + r] = a[src + r * lda];
                    }
                }
            } else {
                for (int p = 0, dst = i * k; p < k; p++, dst += mr) {
                    int src = aOff + p * ap;
                    for (int r = 0; r < mr; r++) {
                        pa[dst + r] = a[src + Math.min(i + r, m - 1) * lda];
                    }
                }
            }
        }
    }

    /**
     * {@code cols} ≤ {@code stride} columns of B into {@code strip[p·stride + j]}, zero past {@code cols}; the
     * stride is nr, or L for a narrow strip. Vector copies where B's rows are contiguous.
     */
    private void pack(int k, float[] b, int off, int bp, int bj, int cols, float[] strip, int d0, int stride) {
        if (bj == 1 && cols == nr) {
            // The common whole strip on its own: the general loop below (a lane count, a branch and a mask per
            // vector) cost 2.5× as much, and packing was 40 % of the forward GEMMs in training (measured).
            if (nv == 2) {
                for (int p = 0, src = off, dst = d0; p < k; p++, src += bp, dst += nr) {
                    FloatVector.fromArray(S, b, src).intoArray(strip, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(strip, dst + L);
                }
            } else {
                for (int p = 0, src = off, dst = d0; p < k; p++, src += bp, dst += nr) {
                    FloatVector.fromArray(S, b, src).intoArray(strip, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(strip, dst + L);
                    FloatVector.fromArray(S, b, src + 2 * L).intoArray(strip, dst + 2 * L);
                }
            }
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0, src = off, dst = d0; p < k; p++, src += bp, dst += stride) {
            for (int v = 0; v < stride; v += L) {
                int w = Math.min(L, cols - v);
                if (bj == 1 && w == L) {
                    FloatVector.fromArray(S, b, src + v).intoArray(strip, dst + v);
                } else if (bj == 1 && w > 0 && src + v + L <= b.length) {
                    FloatVector.fromArray(S, b, src + v, S.indexInRange(0, w)).intoArray(strip, dst + v);
                } else {
                    zero.intoArray(strip, dst + v);
                    for (int q = 0; q < w; q++) {
                        strip[dst + v + q] = b[src + (v + q) * bj];
                    }
                }
            }
        }
    }

    /**
     * {@link #pack} for a strip of at most {@value #Q} columns, {@value #Q} floats a row: at the stride of a whole
     * vector the strip of the k = 512 head filled L1 by itself, and its tile ran at half speed (measured).
     */
    private static void packQuarter(int k, float[] b, int off, int bp, int bj, int cols, float[] strip, int d0) {
        for (int p = 0, src = off, dst = d0; p < k; p++, src += bp, dst += Q) {
            if (bj == 1 && cols == Q) {
                FloatVector.fromArray(S4, b, src).intoArray(strip, dst);
            } else {
                for (int q = 0; q < Q; q++) {
                    strip[dst + q] = q < cols ? b[src + q * bj] : 0f;
                }
            }
        }
    }

    /**
     * {@link #pack} for a B whose columns are contiguous ({@code B[p,j] = b[off + p + j·bj]}, a transposed operand):
     * L × L blocks transposed in registers, the rest element by element.
     */
    private void packColumns(int k, float[] b, int off, int bj, int cols, float[] strip, int d0,
                                    int stride) {
        int wk = BLOCKS ? k - k % L : 0;
        for (int v = 0; v < stride; v += L) {
            int w = Math.max(0, Math.min(L, cols - v));
            int whole = w == L ? wk : 0;
            for (int p = 0; p < whole; p += L) {
                Transpose16.transpose16(b, off + p + v * bj, bj, strip, d0 + p * stride + v, stride);
            }
            for (int p = whole; p < k; p++) {
                int dst = d0 + p * stride + v;
                FloatVector.zero(S).intoArray(strip, dst);
                for (int q = 0; q < w; q++) {
                    strip[dst + q] = b[off + p + (v + q) * bj];
                }
            }
        }
    }

    /** The first {@code rows} × {@code cols} (≤ NR) of a tile buffer (NR floats a row) into C. */
    private void copyOut(float[] out, int rows, int cols, float[] c, int pc, int ldc) {
        copyOut(out, 0, rows, cols, c, pc, ldc);
    }

    /** {@link #copyOut(float[], int, int, float[], int, int)} from a buffer's offset {@code o0}. */
    private void copyOut(float[] out, int o0, int rows, int cols, float[] c, int pc, int ldc) {
        if (cols <= L) {
            // a narrow or quarter strip (the latent head): one masked store a row
            VectorMask<Float> m = S.indexInRange(0, cols);
            for (int r = 0, row = pc, src = o0; r < rows; r++, row += ldc, src += nr) {
                FloatVector.fromArray(S, out, src).intoArray(c, row, m);
            }
            return;
        }
        int whole = cols - cols % L;
        VectorMask<Float> tail = S.indexInRange(whole, cols);
        for (int r = 0, row = pc, src = o0; r < rows; r++, row += ldc, src += nr) {
            int v = 0;
            for (; v < whole; v += L) {
                FloatVector.fromArray(S, out, src + v).intoArray(c, row + v);
            }
            if (v < cols) {
                FloatVector.fromArray(S, out, src + v).intoArray(c, row + v, tail);
            }
        }
    }

    /**
     * The epilogue of {@link GemmKernel} over rows×cols of C that hold raw products: {@code r = (accumulate ? old +
     * r : r) + bias; max(r, 0)}. With accumulate, {@code old} comes from {@code prev} (C's values before the call).
     */
    private static void finish(float[] c, int cOff, int ldc, int rows, int cols, float[] prev, int pOff, int ldp,
                               float[] bias, int biasOff, boolean relu) {
        for (int i = 0; i < rows; i++) {
            int row = cOff + i * ldc;
            int old = pOff + i * ldp;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector r = FloatVector.fromArray(S, c, row + j, m);
                if (prev != null) {
                    r = FloatVector.fromArray(S, prev, old + j, m).add(r);
                }
                if (bias != null) {
                    r = r.add(FloatVector.fromArray(S, bias, biasOff + j, m));
                }
                if (relu) {
                    r = r.max(0f);
                }
                r.intoArray(c, row + j, m);
            }
        }
    }
}
