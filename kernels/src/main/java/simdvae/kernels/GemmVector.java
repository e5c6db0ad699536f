package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * GEMM on the Vector API, vectorised over the columns of C. Every lane is one output element with its own FMA chain
 * over k in ascending order, so the result equals {@link GemmScalar} bit for bit whatever the tiling.
 *
 * <ul>
 *   <li>B is packed two vectors of columns at a time into a contiguous k × 2L
 *       panel, zero-padded past n. The strip (≤ 100 KB for this VAE) stays in L2 and streams with a constant
 *       stride while every row tile of A passes over it; reading B in place instead strides by ldb, which
 *       aliases in L1 and defeats the prefetchers.</li>
 *   <li>The micro-kernel holds a register tile of {@value #MR} rows × 2 vectors (20 accumulators): per k step
 *       it loads two vectors and broadcasts ten values of A for 20 FMAs.</li>
 *   <li>A is read in place when its rows are contiguous in k (NN, NT); TN's A is first transposed into scratch.
 *       NT with fewer rows than columns is computed as its transpose {@code Cᵀ = B·Aᵀ}, so the big operand (the
 *       weights) is read in place and only the small one is packed; a product is the same bits either way. When
 *       many strips reuse A, A is packed once into {@value #MR}-row panels (TN's straight from its columns, with
 *       no transpose).</li>
 *   <li>Transposes (TN's A, NT's packed Aᵀ, Cᵀ back into C) move 16 × 16 blocks through registers with two-source
 *       permutes at 512 bits, element by element at other widths. Strips of at most four columns run on 128-bit
 *       vectors, and products of at most four rows on a short tile, so the latent head wastes neither lanes nor
 *       rows.</li>
 * </ul>
 * Packing buffers are per-thread and reused: no allocation once warm. A template: {@link Specializer} makes one
 * copy per width (see {@link Kernels}).
 */
public final class GemmVector implements GemmKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();

    /** A kernel at the width of this copy of the template (see {@link simdvae.core.Specializer}). */
    public GemmVector() {
    }
    /** Rows of a register tile. */
    static final int MR = 10;
    /** Four lanes, for strips of at most four columns (the N = 4 head) when L is wider. */
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    private static final int Q = S4.length();
    /** Columns of a register tile and of a packed strip of B. */
    private static final int NR = 2 * L;
    /** Rows of the short register tile, for products of at most this many rows (the transposed TN of the head). */
    private static final int SR = 4;
    /** Vectors (and columns) of a {@link #rowTile}. */
    private static final int RW_VECTORS = 16;
    private static final int RW = RW_VECTORS * L;
    /** Whether transposes go by 16 × 16 blocks in registers ({@link #transpose16}); other widths go element-wise. */
    private static final boolean BLOCKS = L == 16;
    private static final float[] LOW_HALVES = interleave(0);
    private static final float[] HIGH_HALVES = interleave(L / 2);

    private final ThreadLocal<float[]> strips = new ThreadLocal<>();
    private final ThreadLocal<float[]> tiles = new ThreadLocal<>();
    /** An operand transposed: TN's A, or the narrow TN's B. */
    private final ThreadLocal<float[]> transposed = new ThreadLocal<>();
    private final ThreadLocal<float[]> transposedC = new ThreadLocal<>();
    private final ThreadLocal<float[]> products = new ThreadLocal<>();
    private final ThreadLocal<float[]> blocks = new ThreadLocal<>();
    private final ThreadLocal<float[]> panels = new ThreadLocal<>();
    /**
     * Columns of C from which A is packed into panels ({@link #tilePacked}): the micro-kernel then addresses A from
     * one index, where ten row offsets read in place spill into vector registers and cost two extra instructions
     * per FMA (same-run A/B: +8 % on 1024³). Packing costs about one strip's worth of work, so it pays when 16
     * strips or more reuse A: with two threads each packs its own copy, and at 8 strips a thread the batch-50
     * epoch got 2 % slower.
     */
    private static final int PANELS_FROM = 16 * NR;
    /** The same for TN, where panels come straight from A's columns and save its transpose: from four strips. */
    private static final int TN_PANELS_FROM = 4 * NR;

    @Override
    public void gemm(Layout layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        GemmKernel.check(layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
        if (m == 0 || n == 0) {
            return;
        }
        switch (layout) {
            case NN -> product(m, n, k, a, aOff, lda, 1, b, bOff, ldb, 1, c, cOff, ldc, accumulate, bias, biasOff, relu);
            case TN -> {
                if (n <= L && n < m) {
                    transposedTN(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu);
                } else if (n >= TN_PANELS_FROM && (n % NR == 0 || n % NR > L)) {
                    // Panels of A straight from TN's A, no transpose; a narrow strip would need A's rows.
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
                              float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        float[] ct = scratch(transposedC, n * m);
        product(n, m, k, b, bOff, ldb, 1, a, aOff, 1, lda, ct, 0, m, false, null, 0, false);
        untranspose(ct, m, n, c, cOff, ldc, accumulate, bias, biasOff, relu);
    }

    /**
     * A narrow TN product (n ≤ L columns, more rows) as {@code Cᵀ[n×m] = Bᵀ[n×k]·A[k×m]}: the vectors then run
     * along m over A's rows as stored, with every lane used, and only the small B is transposed.
     */
    private void transposedTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        float[] bt = scratch(transposed, n * k);
        transpose(b, bOff, ldb, k, n, bt);
        float[] ct = scratch(transposedC, n * m);
        product(n, m, k, bt, 0, k, 1, a, aOff, lda, 1, ct, 0, m, false, null, 0, false);
        untranspose(ct, m, n, c, cOff, ldc, accumulate, bias, biasOff, relu);
    }

    /** C = epilogue(ct transposed), where {@code ct} holds the raw Cᵀ (n×m), transposed L × L blocks at a time. */
    private void untranspose(float[] ct, int m, int n, float[] c, int cOff, int ldc, boolean accumulate, float[] bias,
                             int biasOff, boolean relu) {
        int wi = BLOCKS ? m - m % L : 0;
        int wj = BLOCKS ? n - n % L : 0;
        float[] block = scratch(blocks, L * L);
        for (int j = 0; j < wj; j += L) {
            for (int i = 0; i < wi; i += L) {
                transpose16(ct, j * m + i, m, block, 0, L);
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

    /**
     * Transposes the L × L block of x at {@code src} (row stride ld) into {@code t} at {@code dst} (row stride ldt),
     * for L = 16. log₂16 rounds of a perfect shuffle in registers: output rows 2i and 2i + 1 interleave the low and
     * the high halves of rows i and i + 8, one two-source permute each. Every line of x is read once and whole.
     * (Gathers down x's columns, or rounds staged through memory, ran 3× slower: measured.)
     */
    private static void transpose16(float[] x, int src, int ld, float[] t, int dst, int ldt) {
        FloatVector lo = FloatVector.fromArray(S, LOW_HALVES, 0);
        FloatVector hi = FloatVector.fromArray(S, HIGH_HALVES, 0);
        FloatVector x0 = FloatVector.fromArray(S, x, src + 0 * ld);
        FloatVector x1 = FloatVector.fromArray(S, x, src + 1 * ld);
        FloatVector x2 = FloatVector.fromArray(S, x, src + 2 * ld);
        FloatVector x3 = FloatVector.fromArray(S, x, src + 3 * ld);
        FloatVector x4 = FloatVector.fromArray(S, x, src + 4 * ld);
        FloatVector x5 = FloatVector.fromArray(S, x, src + 5 * ld);
        FloatVector x6 = FloatVector.fromArray(S, x, src + 6 * ld);
        FloatVector x7 = FloatVector.fromArray(S, x, src + 7 * ld);
        FloatVector x8 = FloatVector.fromArray(S, x, src + 8 * ld);
        FloatVector x9 = FloatVector.fromArray(S, x, src + 9 * ld);
        FloatVector x10 = FloatVector.fromArray(S, x, src + 10 * ld);
        FloatVector x11 = FloatVector.fromArray(S, x, src + 11 * ld);
        FloatVector x12 = FloatVector.fromArray(S, x, src + 12 * ld);
        FloatVector x13 = FloatVector.fromArray(S, x, src + 13 * ld);
        FloatVector x14 = FloatVector.fromArray(S, x, src + 14 * ld);
        FloatVector x15 = FloatVector.fromArray(S, x, src + 15 * ld);
        FloatVector y0 = lo.selectFrom(x0, x8);
        FloatVector y1 = hi.selectFrom(x0, x8);
        FloatVector y2 = lo.selectFrom(x1, x9);
        FloatVector y3 = hi.selectFrom(x1, x9);
        FloatVector y4 = lo.selectFrom(x2, x10);
        FloatVector y5 = hi.selectFrom(x2, x10);
        FloatVector y6 = lo.selectFrom(x3, x11);
        FloatVector y7 = hi.selectFrom(x3, x11);
        FloatVector y8 = lo.selectFrom(x4, x12);
        FloatVector y9 = hi.selectFrom(x4, x12);
        FloatVector y10 = lo.selectFrom(x5, x13);
        FloatVector y11 = hi.selectFrom(x5, x13);
        FloatVector y12 = lo.selectFrom(x6, x14);
        FloatVector y13 = hi.selectFrom(x6, x14);
        FloatVector y14 = lo.selectFrom(x7, x15);
        FloatVector y15 = hi.selectFrom(x7, x15);
        x0 = lo.selectFrom(y0, y8);
        x1 = hi.selectFrom(y0, y8);
        x2 = lo.selectFrom(y1, y9);
        x3 = hi.selectFrom(y1, y9);
        x4 = lo.selectFrom(y2, y10);
        x5 = hi.selectFrom(y2, y10);
        x6 = lo.selectFrom(y3, y11);
        x7 = hi.selectFrom(y3, y11);
        x8 = lo.selectFrom(y4, y12);
        x9 = hi.selectFrom(y4, y12);
        x10 = lo.selectFrom(y5, y13);
        x11 = hi.selectFrom(y5, y13);
        x12 = lo.selectFrom(y6, y14);
        x13 = hi.selectFrom(y6, y14);
        x14 = lo.selectFrom(y7, y15);
        x15 = hi.selectFrom(y7, y15);
        y0 = lo.selectFrom(x0, x8);
        y1 = hi.selectFrom(x0, x8);
        y2 = lo.selectFrom(x1, x9);
        y3 = hi.selectFrom(x1, x9);
        y4 = lo.selectFrom(x2, x10);
        y5 = hi.selectFrom(x2, x10);
        y6 = lo.selectFrom(x3, x11);
        y7 = hi.selectFrom(x3, x11);
        y8 = lo.selectFrom(x4, x12);
        y9 = hi.selectFrom(x4, x12);
        y10 = lo.selectFrom(x5, x13);
        y11 = hi.selectFrom(x5, x13);
        y12 = lo.selectFrom(x6, x14);
        y13 = hi.selectFrom(x6, x14);
        y14 = lo.selectFrom(x7, x15);
        y15 = hi.selectFrom(x7, x15);
        x0 = lo.selectFrom(y0, y8);
        x1 = hi.selectFrom(y0, y8);
        x2 = lo.selectFrom(y1, y9);
        x3 = hi.selectFrom(y1, y9);
        x4 = lo.selectFrom(y2, y10);
        x5 = hi.selectFrom(y2, y10);
        x6 = lo.selectFrom(y3, y11);
        x7 = hi.selectFrom(y3, y11);
        x8 = lo.selectFrom(y4, y12);
        x9 = hi.selectFrom(y4, y12);
        x10 = lo.selectFrom(y5, y13);
        x11 = hi.selectFrom(y5, y13);
        x12 = lo.selectFrom(y6, y14);
        x13 = hi.selectFrom(y6, y14);
        x14 = lo.selectFrom(y7, y15);
        x15 = hi.selectFrom(y7, y15);
        x0.intoArray(t, dst + 0 * ldt);
        x1.intoArray(t, dst + 1 * ldt);
        x2.intoArray(t, dst + 2 * ldt);
        x3.intoArray(t, dst + 3 * ldt);
        x4.intoArray(t, dst + 4 * ldt);
        x5.intoArray(t, dst + 5 * ldt);
        x6.intoArray(t, dst + 6 * ldt);
        x7.intoArray(t, dst + 7 * ldt);
        x8.intoArray(t, dst + 8 * ldt);
        x9.intoArray(t, dst + 9 * ldt);
        x10.intoArray(t, dst + 10 * ldt);
        x11.intoArray(t, dst + 11 * ldt);
        x12.intoArray(t, dst + 12 * ldt);
        x13.intoArray(t, dst + 13 * ldt);
        x14.intoArray(t, dst + 14 * ldt);
        x15.intoArray(t, dst + 15 * ldt);
    }

    /** Lane t of the low (high) shuffle takes lane t/2 (+ L/2) of the first source when t is even, else the second. */
    private static float[] interleave(int half) {
        float[] idx = new float[L];
        for (int t = 0; t < L; t++) {
            idx[t] = half + t / 2 + (t % 2 == 0 ? 0 : L);
        }
        return idx;
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
                transpose16(x, off + r * ld + q, ld, t, q * rows + r, rows);
            }
        }
        for (int r = 0; r < rows; r++) {
            int src = off + r * ld;
            for (int q = r < wr ? wq : 0; q < cols; q++) {
                t[q * rows + r] = x[src + q];
            }
        }
    }

    /**
     * C = epilogue(A·B) where A[i,p] = a[aOff + i·lda + p·ap] and B[p,j] = b[bOff + p·bp + j·bj]. From 16
     * strips on (or when A's rows are not contiguous, ap ≠ 1, which only comes with wide strips) A is packed into
     * panels once and read from there. With {@code accumulate}, the raw products go to scratch
     * first, since C's old values are still needed.
     */
    private void product(int m, int n, int k, float[] a, int aOff, int lda, int ap, float[] b, int bOff, int bp,
                         int bj, float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        if (accumulate) {
            float[] tmp = scratch(products, m * n);
            product(m, n, k, a, aOff, lda, ap, b, bOff, bp, bj, tmp, 0, n, false, null, 0, false);
            finish(tmp, 0, n, m, n, c, cOff, ldc, bias, biasOff, relu);
            for (int i = 0; i < m; i++) {
                System.arraycopy(tmp, i * n, c, cOff + i * ldc, n);
            }
            return;
        }
        float[] strip = scratch(strips, k * NR);
        float[] out = scratch(tiles, MR * NR);
        boolean epilogue = bias != null || relu;
        // A product of a few rows (inference of one row, say) reads whole strips of B in place: packing B costs
        // as much as the product when each strip serves one short tile (one row of 784 × 512: 150 µs, mostly
        // packing). The FMA chain per element is the same either way, so are the bits.
        boolean shortRows = m <= SR && ap == 1;
        float[] pa = null;
        if (!shortRows && (ap != 1 || n >= PANELS_FROM)) {
            pa = scratch(panels, (m + MR - 1) / MR * MR * k);
            packA(m, k, a, aOff, lda, ap, pa);
        }
        int j0 = 0;
        if (m == 1 && ap == 1 && bj == 1) {
            // One row (inference of one input): B streamed row by row, RW columns at a time.
            for (; j0 + RW <= n; j0 += RW) {
                rowTile(k, a, aOff, b, bOff + j0, bp, c, cOff + j0);
                if (epilogue) {
                    finish(c, cOff + j0, ldc, 1, RW, null, 0, 0, bias, biasOff + j0, relu);
                }
            }
        }
        for (int j = j0; j < n; j += NR) {
            int cols = Math.min(NR, n - j);
            boolean narrow = cols <= L;
            boolean quarter = cols <= Q && L > Q;
            boolean inPlace = shortRows && cols == NR && bj == 1;
            if (inPlace) {
                shortTile(m, k, a, aOff, lda, b, bOff + j, bp, out);
                copyOut(out, m, cols, c, cOff + j, ldc);
                if (epilogue) {
                    finish(c, cOff + j, ldc, m, cols, null, 0, 0, bias, biasOff + j, relu);
                }
                continue;
            }
            if (quarter) {
                packQuarter(k, b, bOff + j * bj, bp, bj, cols, strip);
            } else if (bj != 1 && bp == 1) {
                packColumns(k, b, bOff + j * bj, bj, cols, strip, narrow ? L : NR);
            } else {
                pack(k, b, bOff + j * bj, bp, bj, cols, strip, narrow ? L : NR);
            }
            for (int i = 0; i < m; i += MR) {
                int rows = Math.min(MR, m - i);
                if (quarter) {
                    quarterTile(rows, k, a, aOff + i * lda, lda, strip, out);
                    copyOut(out, rows, cols, c, cOff + i * ldc + j, ldc);
                } else if (narrow) {
                    narrowTile(rows, k, a, aOff + i * lda, lda, strip, out);
                    copyOut(out, rows, cols, c, cOff + i * ldc + j, ldc);
                } else if (pa != null && rows == MR && cols == NR) {
                    tilePacked(k, pa, i * k, strip, c, cOff + i * ldc + j, ldc);
                } else if (pa != null) {
                    tilePacked(k, pa, i * k, strip, out, 0, NR);
                    copyOut(out, rows, cols, c, cOff + i * ldc + j, ldc);
                } else if (rows <= SR) {
                    shortTile(rows, k, a, aOff + i * lda, lda, strip, 0, NR, out);
                    copyOut(out, rows, cols, c, cOff + i * ldc + j, ldc);
                } else if (rows == MR && cols == NR) {
                    tile(rows, k, a, aOff + i * lda, lda, strip, c, cOff + i * ldc + j, ldc);
                } else {
                    tile(rows, k, a, aOff + i * lda, lda, strip, out, 0, NR);
                    copyOut(out, rows, cols, c, cOff + i * ldc + j, ldc);
                }
            }
            if (epilogue) {
                finish(c, cOff + j, ldc, m, cols, null, 0, 0, bias, biasOff + j, relu);
            }
        }
    }

    /**
     * A ({@code A[i,p] = a[aOff + i·lda + p·ap]}) in panels of MR rows, k-major within a panel:
     * {@code pa[i·k + p·MR + r] = A[i + r, p]}, the last row repeated past m. TN's A (ap = its ld) packs by
     * contiguous runs of MR, with no transpose.
     */
    private static void packA(int m, int k, float[] a, int aOff, int lda, int ap, float[] pa) {
        for (int i = 0; i < m; i += MR) {
            for (int p = 0, dst = i * k; p < k; p++, dst += MR) {
                int src = aOff + p * ap;
                for (int r = 0; r < MR; r++) {
                    pa[dst + r] = a[src + Math.min(i + r, m - 1) * lda];
                }
            }
        }
    }

    /**
     * {@code cols} ≤ {@code stride} columns of B into {@code strip[p·stride + j]}, zero past {@code cols}; the
     * stride is NR, or L for a narrow strip. Vector copies where B's rows are contiguous.
     */
    private static void pack(int k, float[] b, int off, int bp, int bj, int cols, float[] strip, int stride) {
        if (bj == 1 && cols == NR) {
            // The common whole strip on its own: the general loop below (a lane count, a branch and a mask per
            // vector) cost 2.5× as much, and packing was 40 % of the forward GEMMs in training (measured).
            for (int p = 0, src = off, dst = 0; p < k; p++, src += bp, dst += NR) {
                FloatVector.fromArray(S, b, src).intoArray(strip, dst);
                FloatVector.fromArray(S, b, src + L).intoArray(strip, dst + L);
            }
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0, src = off, dst = 0; p < k; p++, src += bp, dst += stride) {
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
    private static void packQuarter(int k, float[] b, int off, int bp, int bj, int cols, float[] strip) {
        for (int p = 0, src = off, dst = 0; p < k; p++, src += bp, dst += Q) {
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
    private static void packColumns(int k, float[] b, int off, int bj, int cols, float[] strip, int stride) {
        int wk = BLOCKS ? k - k % L : 0;
        for (int v = 0; v < stride; v += L) {
            int w = Math.max(0, Math.min(L, cols - v));
            int whole = w == L ? wk : 0;
            for (int p = 0; p < whole; p += L) {
                transpose16(b, off + p + v * bj, bj, strip, p * stride + v, stride);
            }
            for (int p = whole; p < k; p++) {
                int dst = p * stride + v;
                FloatVector.zero(S).intoArray(strip, dst);
                for (int q = 0; q < w; q++) {
                    strip[dst + q] = b[off + p + (v + q) * bj];
                }
            }
        }
    }

    /**
     * The micro-kernel: {@code rows} ≤ {@value #MR} rows of A (row-major from {@code a0}, row stride {@code lda})
     * times one packed strip, into {@value #MR} rows × NR columns of {@code out} (row stride {@code ldo}). 20 accumulators stay in vector
     * registers; every load in the k loop has a constant stride in p, so C2 hoists all bounds checks out of it.
     * Rows past {@code rows} repeat the last row and are not stored. (Masks are made here, not passed: a mask or
     * vector passed to a method that is not inlined is boxed.)
     */
    private static void tile(int rows, int k, float[] a, int a0, int lda, float[] strip, float[] out, int o0,
                             int ldo) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        int a4 = a0 + Math.min(4, rows - 1) * lda;
        int a5 = a0 + Math.min(5, rows - 1) * lda;
        int a6 = a0 + Math.min(6, rows - 1) * lda;
        int a7 = a0 + Math.min(7, rows - 1) * lda;
        int a8 = a0 + Math.min(8, rows - 1) * lda;
        int a9 = a0 + Math.min(9, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        FloatVector c80 = c00, c81 = c00;
        FloatVector c90 = c00, c91 = c00;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, strip, p * NR);
            FloatVector b1 = FloatVector.fromArray(S, strip, p * NR + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(S, a[a8 + p]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(S, a[a9 + p]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
        }
        // All 20 raw accumulators, unmasked: into C for a whole tile, else into a tile buffer that copyOut trims.
        // Masked stores and row tests here would make the method too big for C1's register allocator, and a
        // method C1 fails to compile may never reach C2 (then every vector is boxed: 1.3 GFLOP/s, measured).
        c00.intoArray(out, o0 + 0 * ldo);
        c01.intoArray(out, o0 + 0 * ldo + L);
        c10.intoArray(out, o0 + 1 * ldo);
        c11.intoArray(out, o0 + 1 * ldo + L);
        c20.intoArray(out, o0 + 2 * ldo);
        c21.intoArray(out, o0 + 2 * ldo + L);
        c30.intoArray(out, o0 + 3 * ldo);
        c31.intoArray(out, o0 + 3 * ldo + L);
        c40.intoArray(out, o0 + 4 * ldo);
        c41.intoArray(out, o0 + 4 * ldo + L);
        c50.intoArray(out, o0 + 5 * ldo);
        c51.intoArray(out, o0 + 5 * ldo + L);
        c60.intoArray(out, o0 + 6 * ldo);
        c61.intoArray(out, o0 + 6 * ldo + L);
        c70.intoArray(out, o0 + 7 * ldo);
        c71.intoArray(out, o0 + 7 * ldo + L);
        c80.intoArray(out, o0 + 8 * ldo);
        c81.intoArray(out, o0 + 8 * ldo + L);
        c90.intoArray(out, o0 + 9 * ldo);
        c91.intoArray(out, o0 + 9 * ldo + L);
    }

    /**
     * {@link #tile} on a packed panel of A ({@code pa[a0 + p·MR + r]} is row r at p), for all {@value #MR} rows.
     * Kept beside {@link #tile}, which reads A in place, because packing A pays only when many strips reuse it.
     */
    private static void tilePacked(int k, float[] pa, int a0, float[] strip, float[] out, int o0, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        FloatVector c80 = c00, c81 = c00;
        FloatVector c90 = c00, c91 = c00;
        for (int p = 0, q = a0; p < k; p++, q += MR) {
            FloatVector b0 = FloatVector.fromArray(S, strip, p * NR);
            FloatVector b1 = FloatVector.fromArray(S, strip, p * NR + L);
            FloatVector x = FloatVector.broadcast(S, pa[q + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[q + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[q + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, pa[q + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, pa[q + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, pa[q + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(S, pa[q + 8]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(S, pa[q + 9]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
        }
        // All 20 raw accumulators, unmasked: into C for a whole tile, else into a tile buffer that copyOut trims.
        // Masked stores and row tests here would make the method too big for C1's register allocator, and a
        // method C1 fails to compile may never reach C2 (then every vector is boxed: 1.3 GFLOP/s, measured).
        c00.intoArray(out, o0 + 0 * ldo);
        c01.intoArray(out, o0 + 0 * ldo + L);
        c10.intoArray(out, o0 + 1 * ldo);
        c11.intoArray(out, o0 + 1 * ldo + L);
        c20.intoArray(out, o0 + 2 * ldo);
        c21.intoArray(out, o0 + 2 * ldo + L);
        c30.intoArray(out, o0 + 3 * ldo);
        c31.intoArray(out, o0 + 3 * ldo + L);
        c40.intoArray(out, o0 + 4 * ldo);
        c41.intoArray(out, o0 + 4 * ldo + L);
        c50.intoArray(out, o0 + 5 * ldo);
        c51.intoArray(out, o0 + 5 * ldo + L);
        c60.intoArray(out, o0 + 6 * ldo);
        c61.intoArray(out, o0 + 6 * ldo + L);
        c70.intoArray(out, o0 + 7 * ldo);
        c71.intoArray(out, o0 + 7 * ldo + L);
        c80.intoArray(out, o0 + 8 * ldo);
        c81.intoArray(out, o0 + 8 * ldo + L);
        c90.intoArray(out, o0 + 9 * ldo);
        c91.intoArray(out, o0 + 9 * ldo + L);
    }

    /**
     * {@link #tile} for at most {@value #SR} rows (a transposed head: Cᵀ has n ≤ 4 rows; inference of a few rows):
     * {@value #SR} rows × 2 vectors into {@code out}, so short products do not pay for {@value #MR} rows. The two
     * vectors of row p of the strip start at {@code s0 + p·ld}: a packed strip (0, NR), or B read in place.
     */
    private static void shortTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, int ld,
                                  float[] out) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0, sp = s0; p < k; p++, sp += ld) {
            FloatVector b0 = FloatVector.fromArray(S, strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, strip, sp + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(out, 0);
        c01.intoArray(out, L);
        c10.intoArray(out, NR);
        c11.intoArray(out, NR + L);
        c20.intoArray(out, 2 * NR);
        c21.intoArray(out, 2 * NR + L);
        c30.intoArray(out, 3 * NR);
        c31.intoArray(out, 3 * NR + L);
    }

    /**
     * One row of A times {@value #RW_VECTORS} vectors' worth of B's columns, B read in place row after row
     * ({@code B[p, j] = b[b0 + p·ldb + j]}), into C at {@code c0}. With one row, B is read once and every strip
     * layout is pure overhead: this reads 8 cache lines a row of B where a strip reads two, so the hardware
     * prefetcher sees long runs, and none of {@link #shortTile}'s rows is a repeat. Each output element is still one
     * FMA chain in p order from zero, so the bits are those of every other path.
     */
    private static void rowTile(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector r0 = FloatVector.zero(S), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0, r8 = r0, r9 = r0, r10 = r0, r11 = r0, r12 = r0, r13 = r0, r14 = r0, r15 = r0;
        for (int p = 0, bp = b0; p < k; p++, bp += ldb) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            r0 = x.fma(FloatVector.fromArray(S, b, bp), r0);
            r1 = x.fma(FloatVector.fromArray(S, b, bp + L), r1);
            r2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), r2);
            r3 = x.fma(FloatVector.fromArray(S, b, bp + 3 * L), r3);
            r4 = x.fma(FloatVector.fromArray(S, b, bp + 4 * L), r4);
            r5 = x.fma(FloatVector.fromArray(S, b, bp + 5 * L), r5);
            r6 = x.fma(FloatVector.fromArray(S, b, bp + 6 * L), r6);
            r7 = x.fma(FloatVector.fromArray(S, b, bp + 7 * L), r7);
            r8 = x.fma(FloatVector.fromArray(S, b, bp + 8 * L), r8);
            r9 = x.fma(FloatVector.fromArray(S, b, bp + 9 * L), r9);
            r10 = x.fma(FloatVector.fromArray(S, b, bp + 10 * L), r10);
            r11 = x.fma(FloatVector.fromArray(S, b, bp + 11 * L), r11);
            r12 = x.fma(FloatVector.fromArray(S, b, bp + 12 * L), r12);
            r13 = x.fma(FloatVector.fromArray(S, b, bp + 13 * L), r13);
            r14 = x.fma(FloatVector.fromArray(S, b, bp + 14 * L), r14);
            r15 = x.fma(FloatVector.fromArray(S, b, bp + 15 * L), r15);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + L);
        r2.intoArray(c, c0 + 2 * L);
        r3.intoArray(c, c0 + 3 * L);
        r4.intoArray(c, c0 + 4 * L);
        r5.intoArray(c, c0 + 5 * L);
        r6.intoArray(c, c0 + 6 * L);
        r7.intoArray(c, c0 + 7 * L);
        r8.intoArray(c, c0 + 8 * L);
        r9.intoArray(c, c0 + 9 * L);
        r10.intoArray(c, c0 + 10 * L);
        r11.intoArray(c, c0 + 11 * L);
        r12.intoArray(c, c0 + 12 * L);
        r13.intoArray(c, c0 + 13 * L);
        r14.intoArray(c, c0 + 14 * L);
        r15.intoArray(c, c0 + 15 * L);
    }

    /** {@link #tile} for a narrow strip (one vector per k, stride L): {@value #MR} rows × 1 vector into {@code out}. */
    private static void narrowTile(int rows, int k, float[] a, int a0, int lda, float[] strip, float[] out) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        int a4 = a0 + Math.min(4, rows - 1) * lda;
        int a5 = a0 + Math.min(5, rows - 1) * lda;
        int a6 = a0 + Math.min(6, rows - 1) * lda;
        int a7 = a0 + Math.min(7, rows - 1) * lda;
        int a8 = a0 + Math.min(8, rows - 1) * lda;
        int a9 = a0 + Math.min(9, rows - 1) * lda;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, strip, p * L);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[a7 + p]).fma(bv, c7);
            c8 = FloatVector.broadcast(S, a[a8 + p]).fma(bv, c8);
            c9 = FloatVector.broadcast(S, a[a9 + p]).fma(bv, c9);
        }
        c0.intoArray(out, 0 * NR);
        c1.intoArray(out, 1 * NR);
        c2.intoArray(out, 2 * NR);
        c3.intoArray(out, 3 * NR);
        c4.intoArray(out, 4 * NR);
        c5.intoArray(out, 5 * NR);
        c6.intoArray(out, 6 * NR);
        c7.intoArray(out, 7 * NR);
        c8.intoArray(out, 8 * NR);
        c9.intoArray(out, 9 * NR);
    }

    /**
     * {@link #narrowTile} for at most four columns on 128-bit vectors: a wide vector would use 4 of its lanes, and
     * 128-bit FMAs issue at the same rate. Each lane is still one output element's FMA chain, so the bits are the
     * same at every width.
     */
    private static void quarterTile(int rows, int k, float[] a, int a0, int lda, float[] strip, float[] out) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        int a4 = a0 + Math.min(4, rows - 1) * lda;
        int a5 = a0 + Math.min(5, rows - 1) * lda;
        int a6 = a0 + Math.min(6, rows - 1) * lda;
        int a7 = a0 + Math.min(7, rows - 1) * lda;
        int a8 = a0 + Math.min(8, rows - 1) * lda;
        int a9 = a0 + Math.min(9, rows - 1) * lda;
        FloatVector c0 = FloatVector.zero(S4), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S4, strip, p * Q);
            c0 = FloatVector.broadcast(S4, a[a0 + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S4, a[a1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S4, a[a2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S4, a[a3 + p]).fma(bv, c3);
            c4 = FloatVector.broadcast(S4, a[a4 + p]).fma(bv, c4);
            c5 = FloatVector.broadcast(S4, a[a5 + p]).fma(bv, c5);
            c6 = FloatVector.broadcast(S4, a[a6 + p]).fma(bv, c6);
            c7 = FloatVector.broadcast(S4, a[a7 + p]).fma(bv, c7);
            c8 = FloatVector.broadcast(S4, a[a8 + p]).fma(bv, c8);
            c9 = FloatVector.broadcast(S4, a[a9 + p]).fma(bv, c9);
        }
        c0.intoArray(out, 0 * NR);
        c1.intoArray(out, 1 * NR);
        c2.intoArray(out, 2 * NR);
        c3.intoArray(out, 3 * NR);
        c4.intoArray(out, 4 * NR);
        c5.intoArray(out, 5 * NR);
        c6.intoArray(out, 6 * NR);
        c7.intoArray(out, 7 * NR);
        c8.intoArray(out, 8 * NR);
        c9.intoArray(out, 9 * NR);
    }

    /** The first {@code rows} × {@code cols} of a tile buffer into C. */
    private static void copyOut(float[] out, int rows, int cols, float[] c, int pc, int ldc) {
        VectorMask<Float> m0 = S.indexInRange(0, cols);
        VectorMask<Float> m1 = S.indexInRange(L, cols);
        for (int r = 0, row = pc; r < rows; r++, row += ldc) {
            FloatVector v0 = FloatVector.fromArray(S, out, r * NR);
            FloatVector v1 = FloatVector.fromArray(S, out, r * NR + L);
            if (cols == NR) {
                v0.intoArray(c, row);
                v1.intoArray(c, row + L);
            } else if (cols > L) {
                v0.intoArray(c, row);
                v1.intoArray(c, row + L, m1);
            } else {
                v0.intoArray(c, row, m0);
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
