package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * {@link GemmTiles} on the Vector API for a file of 32 vector registers (AVX-512 at every width through AVX512VL;
 * NEON and SVE): a 10-row × 2-vector tile holds 20 accumulators and 2 vectors of B; AVX-512 folds each broadcast of
 * A into its FMA ({@code {1toN}}), and where broadcasts take registers (NEON's {@code ld1r}) C2 issues a k step's ten
 * at once, 32 in all.
 * Each lane is one output element's FMA chain over k in ascending order. The code is unrolled by hand (named
 * accumulators, not arrays or loops over vectors): C2 keeps only named vectors in registers, and a vector passed to a
 * method it does not inline is boxed. The 20-store blocks of {@link #tile} and {@link #tilePacked} are repeated for
 * that reason. A template (see {@link Specializer}).
 */
final class GemmTiles32Vector implements GemmTiles {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    /** Columns of a register tile and of a packed strip of B. */
    private static final int NR = 2 * L;
    /** Rows of a register tile and of a packed panel of A. */
    private static final int MR = 10;
    /** Rows of {@link #shortTile}: 8 accumulators, for products of at most this many rows. */
    private static final int SR = 4;
    /** Vectors of a row tile: 16 accumulators and a broadcast. */
    private static final int RW_VECTORS = 16;
    /** Strips of a packed row tile: 8 accumulators. */
    private static final int ROW_STRIPS = 4;

    /** Tiles at the width of this copy of the template. */
    public GemmTiles32Vector() {
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public int registers() {
        return 32;
    }

    @Override
    public int vectors() {
        return 2;
    }

    @Override
    public int shortRows() {
        return SR;
    }

    @Override
    public int rowStrips() {
        return ROW_STRIPS;
    }

    @Override
    public int rows() {
        return MR;
    }

    /**
     * No blocks of k: with AVX-512's broadcast operands, blocks of 192 or 256 measured 2–7 % slower than one pass
     * over k (512 and 256 bits, 50 and 256 × 512 × 784, B packed or not; alternating runs), as an earlier attempt
     * found (README).
     */
    @Override
    public int blockDepth() {
        return 0;
    }

    @Override
    public int narrowRows() {
        return MR;
    }

    @Override
    public int rowVectors() {
        return RW_VECTORS;
    }

    /**
     * The micro-kernel: {@code rows} ≤ {@value #MR} rows of A (row-major from {@code a0}, row stride {@code lda})
     * times one packed strip, into {@value #MR} rows × NR columns of {@code out} (row stride {@code ldo}). 20
     * accumulators stay in vector registers; every load in the k loop has a constant stride in p, so C2 hoists all
     * bounds checks out of it. Rows past {@code rows} repeat the last row and are not stored. (Masks are made here,
     * not passed: a mask or vector passed to a method that is not inlined is boxed.)
     */
    @Override
    public void tile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int o0,
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
        for (int p = 0, sp = s0; p < k; p++, sp += NR) {
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
     * {@link #tile} continuing the FMA chains held in {@code out} (a block of k after the first: every accumulator
     * starts from its stored value, exactly the float the chain had reached).
     */
    @Override
    public void tileMore(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int o0,
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
        FloatVector c00 = FloatVector.fromArray(S, out, o0 + 0 * ldo);
        FloatVector c01 = FloatVector.fromArray(S, out, o0 + 0 * ldo + L);
        FloatVector c10 = FloatVector.fromArray(S, out, o0 + 1 * ldo);
        FloatVector c11 = FloatVector.fromArray(S, out, o0 + 1 * ldo + L);
        FloatVector c20 = FloatVector.fromArray(S, out, o0 + 2 * ldo);
        FloatVector c21 = FloatVector.fromArray(S, out, o0 + 2 * ldo + L);
        FloatVector c30 = FloatVector.fromArray(S, out, o0 + 3 * ldo);
        FloatVector c31 = FloatVector.fromArray(S, out, o0 + 3 * ldo + L);
        FloatVector c40 = FloatVector.fromArray(S, out, o0 + 4 * ldo);
        FloatVector c41 = FloatVector.fromArray(S, out, o0 + 4 * ldo + L);
        FloatVector c50 = FloatVector.fromArray(S, out, o0 + 5 * ldo);
        FloatVector c51 = FloatVector.fromArray(S, out, o0 + 5 * ldo + L);
        FloatVector c60 = FloatVector.fromArray(S, out, o0 + 6 * ldo);
        FloatVector c61 = FloatVector.fromArray(S, out, o0 + 6 * ldo + L);
        FloatVector c70 = FloatVector.fromArray(S, out, o0 + 7 * ldo);
        FloatVector c71 = FloatVector.fromArray(S, out, o0 + 7 * ldo + L);
        FloatVector c80 = FloatVector.fromArray(S, out, o0 + 8 * ldo);
        FloatVector c81 = FloatVector.fromArray(S, out, o0 + 8 * ldo + L);
        FloatVector c90 = FloatVector.fromArray(S, out, o0 + 9 * ldo);
        FloatVector c91 = FloatVector.fromArray(S, out, o0 + 9 * ldo + L);
        for (int p = 0, sp = s0; p < k; p++, sp += NR) {
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
    @Override
    public void tilePacked(int k, float[] pa, int a0, float[] strip, int s0, float[] out, int o0, int ldo) {
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
        for (int p = 0, q = a0, sp = s0; p < k; p++, q += MR, sp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, strip, sp + L);
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
     * {@link #tilePacked} packing the strip as it goes: B's rows are read in place ({@code b[bRow + p·ldb + j]}, NR
     * columns) and each vector is also stored into the strip for the row tiles after this one. The loads are the
     * ones the tile needs anyway, so packing costs only its stores (it was 13 % of NN 50 × 512 × 784 on its own).
     */
    @Override
    public void tilePackingB(int k, float[] pa, int a0, float[] b, int bRow, int ldb, float[] strip, int s0,
                             float[] out, int o0, int ldo) {
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
        for (int p = 0, q = a0, sp = s0, bp = bRow; p < k; p++, q += MR, sp += NR, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            b0.intoArray(strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            b1.intoArray(strip, sp + L);
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
     * {@link #tilePacked} continuing the FMA chains held in {@code out} (a block of k after the first: every
     * accumulator starts from its stored value, exactly the float the chain had reached).
     */
    @Override
    public void tilePackedMore(int k, float[] pa, int a0, float[] strip, int s0, float[] out, int o0, int ldo) {
        FloatVector c00 = FloatVector.fromArray(S, out, o0 + 0 * ldo);
        FloatVector c01 = FloatVector.fromArray(S, out, o0 + 0 * ldo + L);
        FloatVector c10 = FloatVector.fromArray(S, out, o0 + 1 * ldo);
        FloatVector c11 = FloatVector.fromArray(S, out, o0 + 1 * ldo + L);
        FloatVector c20 = FloatVector.fromArray(S, out, o0 + 2 * ldo);
        FloatVector c21 = FloatVector.fromArray(S, out, o0 + 2 * ldo + L);
        FloatVector c30 = FloatVector.fromArray(S, out, o0 + 3 * ldo);
        FloatVector c31 = FloatVector.fromArray(S, out, o0 + 3 * ldo + L);
        FloatVector c40 = FloatVector.fromArray(S, out, o0 + 4 * ldo);
        FloatVector c41 = FloatVector.fromArray(S, out, o0 + 4 * ldo + L);
        FloatVector c50 = FloatVector.fromArray(S, out, o0 + 5 * ldo);
        FloatVector c51 = FloatVector.fromArray(S, out, o0 + 5 * ldo + L);
        FloatVector c60 = FloatVector.fromArray(S, out, o0 + 6 * ldo);
        FloatVector c61 = FloatVector.fromArray(S, out, o0 + 6 * ldo + L);
        FloatVector c70 = FloatVector.fromArray(S, out, o0 + 7 * ldo);
        FloatVector c71 = FloatVector.fromArray(S, out, o0 + 7 * ldo + L);
        FloatVector c80 = FloatVector.fromArray(S, out, o0 + 8 * ldo);
        FloatVector c81 = FloatVector.fromArray(S, out, o0 + 8 * ldo + L);
        FloatVector c90 = FloatVector.fromArray(S, out, o0 + 9 * ldo);
        FloatVector c91 = FloatVector.fromArray(S, out, o0 + 9 * ldo + L);
        for (int p = 0, q = a0, sp = s0; p < k; p++, q += MR, sp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, strip, sp + L);
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

    /** {@link #tilePackingB} continuing the chains held in {@code out}, as {@link #tilePackedMore}. */
    @Override
    public void tilePackingBMore(int k, float[] pa, int a0, float[] b, int bRow, int ldb, float[] strip, int s0,
                                 float[] out, int o0, int ldo) {
        FloatVector c00 = FloatVector.fromArray(S, out, o0 + 0 * ldo);
        FloatVector c01 = FloatVector.fromArray(S, out, o0 + 0 * ldo + L);
        FloatVector c10 = FloatVector.fromArray(S, out, o0 + 1 * ldo);
        FloatVector c11 = FloatVector.fromArray(S, out, o0 + 1 * ldo + L);
        FloatVector c20 = FloatVector.fromArray(S, out, o0 + 2 * ldo);
        FloatVector c21 = FloatVector.fromArray(S, out, o0 + 2 * ldo + L);
        FloatVector c30 = FloatVector.fromArray(S, out, o0 + 3 * ldo);
        FloatVector c31 = FloatVector.fromArray(S, out, o0 + 3 * ldo + L);
        FloatVector c40 = FloatVector.fromArray(S, out, o0 + 4 * ldo);
        FloatVector c41 = FloatVector.fromArray(S, out, o0 + 4 * ldo + L);
        FloatVector c50 = FloatVector.fromArray(S, out, o0 + 5 * ldo);
        FloatVector c51 = FloatVector.fromArray(S, out, o0 + 5 * ldo + L);
        FloatVector c60 = FloatVector.fromArray(S, out, o0 + 6 * ldo);
        FloatVector c61 = FloatVector.fromArray(S, out, o0 + 6 * ldo + L);
        FloatVector c70 = FloatVector.fromArray(S, out, o0 + 7 * ldo);
        FloatVector c71 = FloatVector.fromArray(S, out, o0 + 7 * ldo + L);
        FloatVector c80 = FloatVector.fromArray(S, out, o0 + 8 * ldo);
        FloatVector c81 = FloatVector.fromArray(S, out, o0 + 8 * ldo + L);
        FloatVector c90 = FloatVector.fromArray(S, out, o0 + 9 * ldo);
        FloatVector c91 = FloatVector.fromArray(S, out, o0 + 9 * ldo + L);
        for (int p = 0, q = a0, sp = s0, bp = bRow; p < k; p++, q += MR, sp += NR, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            b0.intoArray(strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            b1.intoArray(strip, sp + L);
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
    @Override
    public void shortTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, int ld,
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
    @Override
    public void rowTile(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector r0 = FloatVector.zero(S), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
        FloatVector r8 = r0, r9 = r0, r10 = r0, r11 = r0, r12 = r0, r13 = r0, r14 = r0, r15 = r0;
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

    /**
     * {@link #rowTile} on {@value #ROW_STRIPS} whole packed strips (a weight matrix packed once, {@link GemmPackedB}):
     * 8 accumulators,
     * enough to keep both FMA ports busy while B streams from L2, where one row's product is bound anyway. Each
     * output element is still one FMA chain in p order from zero.
     */
    @Override
    public void rowTilePacked(int k, float[] a, int a0, float[] strips, int s0, int stripSize, float[] c, int c0) {
        int s1 = s0 + stripSize;
        int s2 = s1 + stripSize;
        int s3 = s2 + stripSize;
        FloatVector r0 = FloatVector.zero(S), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
        for (int p = 0, q = 0; p < k; p++, q += NR) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            r0 = x.fma(FloatVector.fromArray(S, strips, s0 + q), r0);
            r1 = x.fma(FloatVector.fromArray(S, strips, s0 + q + L), r1);
            r2 = x.fma(FloatVector.fromArray(S, strips, s1 + q), r2);
            r3 = x.fma(FloatVector.fromArray(S, strips, s1 + q + L), r3);
            r4 = x.fma(FloatVector.fromArray(S, strips, s2 + q), r4);
            r5 = x.fma(FloatVector.fromArray(S, strips, s2 + q + L), r5);
            r6 = x.fma(FloatVector.fromArray(S, strips, s3 + q), r6);
            r7 = x.fma(FloatVector.fromArray(S, strips, s3 + q + L), r7);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + L);
        r2.intoArray(c, c0 + 2 * L);
        r3.intoArray(c, c0 + 3 * L);
        r4.intoArray(c, c0 + 4 * L);
        r5.intoArray(c, c0 + 5 * L);
        r6.intoArray(c, c0 + 6 * L);
        r7.intoArray(c, c0 + 7 * L);
    }

    /**
     * {@link #tile} for a narrow strip (one vector per k, stride L): {@value #MR} rows × 1 vector into {@code out}
     * (row stride {@code ldo}). The 128-bit copy of this class runs it for strips of at most four columns (the N = 4
     * head) when the product's own width is wider: a wide vector would use 4 of its lanes, and 128-bit FMAs issue at
     * the same rate. Each lane is still one output element's FMA chain, so the bits are the same at every width.
     */
    @Override
    public void narrowTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int ldo) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        int a4 = a0 + Math.min(4, rows - 1) * lda;
        int a5 = a0 + Math.min(5, rows - 1) * lda;
        int a6 = a0 + Math.min(6, rows - 1) * lda;
        int a7 = a0 + Math.min(7, rows - 1) * lda;
        int a8 = a0 + Math.min(8, rows - 1) * lda;
        int a9 = a0 + Math.min(9, rows - 1) * lda;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
        FloatVector c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        for (int p = 0, sp = s0; p < k; p++, sp += L) {
            FloatVector bv = FloatVector.fromArray(S, strip, sp);
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
        c0.intoArray(out, 0 * ldo);
        c1.intoArray(out, 1 * ldo);
        c2.intoArray(out, 2 * ldo);
        c3.intoArray(out, 3 * ldo);
        c4.intoArray(out, 4 * ldo);
        c5.intoArray(out, 5 * ldo);
        c6.intoArray(out, 6 * ldo);
        c7.intoArray(out, 7 * ldo);
        c8.intoArray(out, 8 * ldo);
        c9.intoArray(out, 9 * ldo);
    }

    /** {@link #narrowTile} continuing the chains held in {@code out} from {@code o0} (a block of k after the first). */
    @Override
    public void narrowTileMore(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out,
                               int o0, int ldo) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        int a4 = a0 + Math.min(4, rows - 1) * lda;
        int a5 = a0 + Math.min(5, rows - 1) * lda;
        int a6 = a0 + Math.min(6, rows - 1) * lda;
        int a7 = a0 + Math.min(7, rows - 1) * lda;
        int a8 = a0 + Math.min(8, rows - 1) * lda;
        int a9 = a0 + Math.min(9, rows - 1) * lda;
        FloatVector c0 = FloatVector.fromArray(S, out, o0 + 0 * ldo);
        FloatVector c1 = FloatVector.fromArray(S, out, o0 + 1 * ldo);
        FloatVector c2 = FloatVector.fromArray(S, out, o0 + 2 * ldo);
        FloatVector c3 = FloatVector.fromArray(S, out, o0 + 3 * ldo);
        FloatVector c4 = FloatVector.fromArray(S, out, o0 + 4 * ldo);
        FloatVector c5 = FloatVector.fromArray(S, out, o0 + 5 * ldo);
        FloatVector c6 = FloatVector.fromArray(S, out, o0 + 6 * ldo);
        FloatVector c7 = FloatVector.fromArray(S, out, o0 + 7 * ldo);
        FloatVector c8 = FloatVector.fromArray(S, out, o0 + 8 * ldo);
        FloatVector c9 = FloatVector.fromArray(S, out, o0 + 9 * ldo);
        for (int p = 0, sp = s0; p < k; p++, sp += L) {
            FloatVector bv = FloatVector.fromArray(S, strip, sp);
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
        c0.intoArray(out, o0 + 0 * ldo);
        c1.intoArray(out, o0 + 1 * ldo);
        c2.intoArray(out, o0 + 2 * ldo);
        c3.intoArray(out, o0 + 3 * ldo);
        c4.intoArray(out, o0 + 4 * ldo);
        c5.intoArray(out, o0 + 5 * ldo);
        c6.intoArray(out, o0 + 6 * ldo);
        c7.intoArray(out, o0 + 7 * ldo);
        c8.intoArray(out, o0 + 8 * ldo);
        c9.intoArray(out, o0 + 9 * ldo);
    }
}
