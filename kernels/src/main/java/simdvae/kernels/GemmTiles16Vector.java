package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * {@link GemmTiles} on the Vector API for a file of 16 vector registers: x86 without AVX-512 (AVX2's ymm0–15, and
 * xmm0–15 at 128 bits), or an AVX-512 JVM started with {@code -XX:UseAVX=2}. A tile must fit its accumulators, its
 * vectors of B and its broadcasts of A: AVX2 has no broadcast memory operand, and C2 issues every broadcast of a k step
 * before the FMAs that use them, so all MR are live at once. {@link GemmTiles32Vector}'s 10 × 2 needs 20 + 2 + 10
 * registers (C2 spills, silently: 0.34–0.62× OpenBLAS on Zen 3); the 6 × 2 of BLIS's Haswell kernel needs 12 + 2 + 6 =
 * 20 here (it spills one accumulator, measured: 0.65× this tile); 3 rows × 3 vectors needs 9 + 3 + 3 = 15 and keeps 9
 * FMA chains in flight, enough for two 4-cycle FMA pipes. Measured alone over a strip in L1 under {@code -XX:UseAVX=2}:
 * 99 GFLOP/s at 256 bits against 94 for 4 × 2 and 67 for 6 × 2, and 58 against 50 at 128 bits. Each lane is one output
 * element's FMA chain over k in ascending order, as in every tile, so the bits are those of {@link GemmScalar}.
 * Unrolled by hand for the reasons {@link GemmTiles32Vector} gives. A template (see {@link Specializer}).
 */
final class GemmTiles16Vector implements GemmTiles {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    /** Vectors of a register tile and of a packed strip of B. */
    private static final int NV = 3;
    /** Columns of a register tile and of a packed strip of B. */
    private static final int NR = NV * L;
    /** Rows of a register tile and of a packed panel of A; also the most rows of {@link #shortTile}. */
    private static final int MR = 3;
    /** Rows of the narrow tile: 7 accumulators, B's vector and 7 broadcasts. */
    private static final int NARROW = 7;
    /** Vectors of a row tile: 12 accumulators and a broadcast (B's vectors are FMA memory operands). */
    private static final int RW_VECTORS = 12;
    /** Strips of a packed row tile: 12 accumulators. */
    private static final int ROW_STRIPS = 4;
    /**
     * Depth of a block of k: a block of the strip (256 × 3 vectors: 24 KB at 256 bits) stays in L1. Under
     * -XX:UseAVX=2, 15–20 % faster than unblocked on the 784-deep products (NN 50 and 256 × 512 × 784, 50 × 784 ×
     * 512; alternating runs); 128, 192 and 384 within the noise of 256.
     */
    private static final int KC = 256;

    /** Tiles at the width of this copy of the template. */
    public GemmTiles16Vector() {
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public int registers() {
        return 16;
    }

    @Override
    public int vectors() {
        return NV;
    }

    @Override
    public int rows() {
        return MR;
    }

    @Override
    public int shortRows() {
        return MR;
    }

    @Override
    public int blockDepth() {
        return KC;
    }

    @Override
    public int narrowRows() {
        return NARROW;
    }

    @Override
    public int rowVectors() {
        return RW_VECTORS;
    }

    @Override
    public int rowStrips() {
        return ROW_STRIPS;
    }

    /**
     * The micro-kernel: {@code rows} ≤ {@value #MR} rows of A (row-major from {@code a0}, row stride {@code lda})
     * times one packed strip, into {@value #MR} rows × NR columns of {@code out} (row stride {@code ldo}). Rows past
     * {@code rows} repeat the last row and are not stored.
     */
    @Override
    public void tile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int o0,
                     int ldo) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00;
        FloatVector c12 = c00, c20 = c00, c21 = c00, c22 = c00;
        for (int p = 0, sp = s0; p < k; p++, sp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, strip, sp + L);
            FloatVector b2 = FloatVector.fromArray(S, strip, sp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        c00.intoArray(out, o0 + 0 * ldo);
        c01.intoArray(out, o0 + 0 * ldo + L);
        c02.intoArray(out, o0 + 0 * ldo + 2 * L);
        c10.intoArray(out, o0 + 1 * ldo);
        c11.intoArray(out, o0 + 1 * ldo + L);
        c12.intoArray(out, o0 + 1 * ldo + 2 * L);
        c20.intoArray(out, o0 + 2 * ldo);
        c21.intoArray(out, o0 + 2 * ldo + L);
        c22.intoArray(out, o0 + 2 * ldo + 2 * L);
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
        FloatVector c00 = FloatVector.fromArray(S, out, o0 + 0 * ldo);
        FloatVector c01 = FloatVector.fromArray(S, out, o0 + 0 * ldo + L);
        FloatVector c02 = FloatVector.fromArray(S, out, o0 + 0 * ldo + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, out, o0 + 1 * ldo);
        FloatVector c11 = FloatVector.fromArray(S, out, o0 + 1 * ldo + L);
        FloatVector c12 = FloatVector.fromArray(S, out, o0 + 1 * ldo + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, out, o0 + 2 * ldo);
        FloatVector c21 = FloatVector.fromArray(S, out, o0 + 2 * ldo + L);
        FloatVector c22 = FloatVector.fromArray(S, out, o0 + 2 * ldo + 2 * L);
        for (int p = 0, sp = s0; p < k; p++, sp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, strip, sp + L);
            FloatVector b2 = FloatVector.fromArray(S, strip, sp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        c00.intoArray(out, o0 + 0 * ldo);
        c01.intoArray(out, o0 + 0 * ldo + L);
        c02.intoArray(out, o0 + 0 * ldo + 2 * L);
        c10.intoArray(out, o0 + 1 * ldo);
        c11.intoArray(out, o0 + 1 * ldo + L);
        c12.intoArray(out, o0 + 1 * ldo + 2 * L);
        c20.intoArray(out, o0 + 2 * ldo);
        c21.intoArray(out, o0 + 2 * ldo + L);
        c22.intoArray(out, o0 + 2 * ldo + 2 * L);
    }

    /** {@link #tile} on a packed panel of A ({@code pa[a0 + p·MR + r]} is row r at p), for all {@value #MR} rows. */
    @Override
    public void tilePacked(int k, float[] pa, int a0, float[] strip, int s0, float[] out, int o0, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00;
        FloatVector c12 = c00, c20 = c00, c21 = c00, c22 = c00;
        for (int p = 0, q = a0, sp = s0; p < k; p++, q += MR, sp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, strip, sp + L);
            FloatVector b2 = FloatVector.fromArray(S, strip, sp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, pa[q + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, pa[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, pa[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        c00.intoArray(out, o0 + 0 * ldo);
        c01.intoArray(out, o0 + 0 * ldo + L);
        c02.intoArray(out, o0 + 0 * ldo + 2 * L);
        c10.intoArray(out, o0 + 1 * ldo);
        c11.intoArray(out, o0 + 1 * ldo + L);
        c12.intoArray(out, o0 + 1 * ldo + 2 * L);
        c20.intoArray(out, o0 + 2 * ldo);
        c21.intoArray(out, o0 + 2 * ldo + L);
        c22.intoArray(out, o0 + 2 * ldo + 2 * L);
    }

    /**
     * {@link #tilePacked} packing the strip as it goes: B's rows are read in place ({@code b[bRow + p·ldb + j]}, NR
     * columns) and each vector is also stored into the strip for the row tiles after this one. The loads are the
     * ones the tile needs anyway, so packing costs only its stores (it was 13 % of NN 50 × 512 × 784 on its own).
     */
    @Override
    public void tilePackingB(int k, float[] pa, int a0, float[] b, int bRow, int ldb, float[] strip, int s0,
                             float[] out, int o0, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00;
        FloatVector c12 = c00, c20 = c00, c21 = c00, c22 = c00;
        for (int p = 0, q = a0, sp = s0, bp = bRow; p < k; p++, q += MR, sp += NR, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            b0.intoArray(strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            b1.intoArray(strip, sp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            b2.intoArray(strip, sp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, pa[q + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, pa[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, pa[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        c00.intoArray(out, o0 + 0 * ldo);
        c01.intoArray(out, o0 + 0 * ldo + L);
        c02.intoArray(out, o0 + 0 * ldo + 2 * L);
        c10.intoArray(out, o0 + 1 * ldo);
        c11.intoArray(out, o0 + 1 * ldo + L);
        c12.intoArray(out, o0 + 1 * ldo + 2 * L);
        c20.intoArray(out, o0 + 2 * ldo);
        c21.intoArray(out, o0 + 2 * ldo + L);
        c22.intoArray(out, o0 + 2 * ldo + 2 * L);
    }

    /**
     * {@link #tilePacked} continuing the FMA chains held in {@code out} (a block of k after the first: every
     * accumulator starts from its stored value, exactly the float the chain had reached).
     */
    @Override
    public void tilePackedMore(int k, float[] pa, int a0, float[] strip, int s0, float[] out, int o0, int ldo) {
        FloatVector c00 = FloatVector.fromArray(S, out, o0 + 0 * ldo);
        FloatVector c01 = FloatVector.fromArray(S, out, o0 + 0 * ldo + L);
        FloatVector c02 = FloatVector.fromArray(S, out, o0 + 0 * ldo + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, out, o0 + 1 * ldo);
        FloatVector c11 = FloatVector.fromArray(S, out, o0 + 1 * ldo + L);
        FloatVector c12 = FloatVector.fromArray(S, out, o0 + 1 * ldo + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, out, o0 + 2 * ldo);
        FloatVector c21 = FloatVector.fromArray(S, out, o0 + 2 * ldo + L);
        FloatVector c22 = FloatVector.fromArray(S, out, o0 + 2 * ldo + 2 * L);
        for (int p = 0, q = a0, sp = s0; p < k; p++, q += MR, sp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, strip, sp + L);
            FloatVector b2 = FloatVector.fromArray(S, strip, sp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, pa[q + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, pa[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, pa[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        c00.intoArray(out, o0 + 0 * ldo);
        c01.intoArray(out, o0 + 0 * ldo + L);
        c02.intoArray(out, o0 + 0 * ldo + 2 * L);
        c10.intoArray(out, o0 + 1 * ldo);
        c11.intoArray(out, o0 + 1 * ldo + L);
        c12.intoArray(out, o0 + 1 * ldo + 2 * L);
        c20.intoArray(out, o0 + 2 * ldo);
        c21.intoArray(out, o0 + 2 * ldo + L);
        c22.intoArray(out, o0 + 2 * ldo + 2 * L);
    }

    /** {@link #tilePackingB} continuing the chains held in {@code out}, as {@link #tilePackedMore}. */
    @Override
    public void tilePackingBMore(int k, float[] pa, int a0, float[] b, int bRow, int ldb, float[] strip, int s0,
                                 float[] out, int o0, int ldo) {
        FloatVector c00 = FloatVector.fromArray(S, out, o0 + 0 * ldo);
        FloatVector c01 = FloatVector.fromArray(S, out, o0 + 0 * ldo + L);
        FloatVector c02 = FloatVector.fromArray(S, out, o0 + 0 * ldo + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, out, o0 + 1 * ldo);
        FloatVector c11 = FloatVector.fromArray(S, out, o0 + 1 * ldo + L);
        FloatVector c12 = FloatVector.fromArray(S, out, o0 + 1 * ldo + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, out, o0 + 2 * ldo);
        FloatVector c21 = FloatVector.fromArray(S, out, o0 + 2 * ldo + L);
        FloatVector c22 = FloatVector.fromArray(S, out, o0 + 2 * ldo + 2 * L);
        for (int p = 0, q = a0, sp = s0, bp = bRow; p < k; p++, q += MR, sp += NR, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            b0.intoArray(strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            b1.intoArray(strip, sp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            b2.intoArray(strip, sp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, pa[q + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, pa[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, pa[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        c00.intoArray(out, o0 + 0 * ldo);
        c01.intoArray(out, o0 + 0 * ldo + L);
        c02.intoArray(out, o0 + 0 * ldo + 2 * L);
        c10.intoArray(out, o0 + 1 * ldo);
        c11.intoArray(out, o0 + 1 * ldo + L);
        c12.intoArray(out, o0 + 1 * ldo + 2 * L);
        c20.intoArray(out, o0 + 2 * ldo);
        c21.intoArray(out, o0 + 2 * ldo + L);
        c22.intoArray(out, o0 + 2 * ldo + 2 * L);
    }

    /**
     * {@link #tile} with B's rows anywhere ({@code strip[s0 + p·ld + j]}): a packed strip (0, NR), or B read in place
     * for a product of at most {@value #MR} rows (one row's inference reads B once; packing it would cost as much as
     * the product). Writes {@value #MR} rows × NR columns of {@code out} (stride NR).
     */
    @Override
    public void shortTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, int ld, float[] out) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00;
        FloatVector c12 = c00, c20 = c00, c21 = c00, c22 = c00;
        for (int p = 0, sp = s0; p < k; p++, sp += ld) {
            FloatVector b0 = FloatVector.fromArray(S, strip, sp);
            FloatVector b1 = FloatVector.fromArray(S, strip, sp + L);
            FloatVector b2 = FloatVector.fromArray(S, strip, sp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        c00.intoArray(out, 0 + 0 * NR);
        c01.intoArray(out, 0 + 0 * NR + L);
        c02.intoArray(out, 0 + 0 * NR + 2 * L);
        c10.intoArray(out, 0 + 1 * NR);
        c11.intoArray(out, 0 + 1 * NR + L);
        c12.intoArray(out, 0 + 1 * NR + 2 * L);
        c20.intoArray(out, 0 + 2 * NR);
        c21.intoArray(out, 0 + 2 * NR + L);
        c22.intoArray(out, 0 + 2 * NR + 2 * L);
    }

    /**
     * One row of A times {@value #RW_VECTORS} vectors' worth of B's columns, B read in place row after row
     * ({@code B[p, j] = b[b0 + p·ldb + j]}), into C at {@code c0}: 12 accumulators and the broadcast, B's vectors as
     * FMA memory operands. Each output element is one FMA chain in p order from zero.
     */
    @Override
    public void rowTile(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector r0 = FloatVector.zero(S), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0;
        FloatVector r6 = r0, r7 = r0, r8 = r0, r9 = r0, r10 = r0, r11 = r0;
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
    }

    /**
     * {@link #rowTile} on {@value #ROW_STRIPS} whole packed strips (a weight matrix packed once, {@link GemmPackedB}):
     * 12 accumulators. Each output element is still one FMA chain in p order from zero.
     */
    @Override
    public void rowTilePacked(int k, float[] a, int a0, float[] strips, int s0, int stripSize, float[] c, int c0) {
        int s1 = s0 + stripSize;
        int s2 = s1 + stripSize;
        int s3 = s2 + stripSize;
        FloatVector r0 = FloatVector.zero(S), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0;
        FloatVector r6 = r0, r7 = r0, r8 = r0, r9 = r0, r10 = r0, r11 = r0;
        for (int p = 0, q = 0; p < k; p++, q += NR) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            r0 = x.fma(FloatVector.fromArray(S, strips, s0 + q), r0);
            r1 = x.fma(FloatVector.fromArray(S, strips, s0 + q + L), r1);
            r2 = x.fma(FloatVector.fromArray(S, strips, s0 + q + 2 * L), r2);
            r3 = x.fma(FloatVector.fromArray(S, strips, s1 + q), r3);
            r4 = x.fma(FloatVector.fromArray(S, strips, s1 + q + L), r4);
            r5 = x.fma(FloatVector.fromArray(S, strips, s1 + q + 2 * L), r5);
            r6 = x.fma(FloatVector.fromArray(S, strips, s2 + q), r6);
            r7 = x.fma(FloatVector.fromArray(S, strips, s2 + q + L), r7);
            r8 = x.fma(FloatVector.fromArray(S, strips, s2 + q + 2 * L), r8);
            r9 = x.fma(FloatVector.fromArray(S, strips, s3 + q), r9);
            r10 = x.fma(FloatVector.fromArray(S, strips, s3 + q + L), r10);
            r11 = x.fma(FloatVector.fromArray(S, strips, s3 + q + 2 * L), r11);
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
    }

    /**
     * {@link #tile} for a narrow strip (one vector per k, {@code strip[s0 + p·L + j]}): {@value #NARROW} rows × 1
     * vector into {@code out} (row stride {@code ldo}). The 128-bit copy runs it for strips of at most four columns
     * (the N = 4 head) when the product's own width is wider. Each lane is still one output element's FMA chain.
     */
    @Override
    public void narrowTile(int rows, int k, float[] a, int a0, int lda, float[] strip, int s0, float[] out, int ldo) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        int a4 = a0 + Math.min(4, rows - 1) * lda;
        int a5 = a0 + Math.min(5, rows - 1) * lda;
        int a6 = a0 + Math.min(6, rows - 1) * lda;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0;
        for (int p = 0, sp = s0; p < k; p++, sp += L) {
            FloatVector bv = FloatVector.fromArray(S, strip, sp);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(bv, c6);
        }
        c0.intoArray(out, 0 * ldo);
        c1.intoArray(out, 1 * ldo);
        c2.intoArray(out, 2 * ldo);
        c3.intoArray(out, 3 * ldo);
        c4.intoArray(out, 4 * ldo);
        c5.intoArray(out, 5 * ldo);
        c6.intoArray(out, 6 * ldo);
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
        FloatVector c0 = FloatVector.fromArray(S, out, o0 + 0 * ldo);
        FloatVector c1 = FloatVector.fromArray(S, out, o0 + 1 * ldo);
        FloatVector c2 = FloatVector.fromArray(S, out, o0 + 2 * ldo);
        FloatVector c3 = FloatVector.fromArray(S, out, o0 + 3 * ldo);
        FloatVector c4 = FloatVector.fromArray(S, out, o0 + 4 * ldo);
        FloatVector c5 = FloatVector.fromArray(S, out, o0 + 5 * ldo);
        FloatVector c6 = FloatVector.fromArray(S, out, o0 + 6 * ldo);
        for (int p = 0, sp = s0; p < k; p++, sp += L) {
            FloatVector bv = FloatVector.fromArray(S, strip, sp);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(bv, c6);
        }
        c0.intoArray(out, o0 + 0 * ldo);
        c1.intoArray(out, o0 + 1 * ldo);
        c2.intoArray(out, o0 + 2 * ldo);
        c3.intoArray(out, o0 + 3 * ldo);
        c4.intoArray(out, o0 + 4 * ldo);
        c5.intoArray(out, o0 + 5 * ldo);
        c6.intoArray(out, o0 + 6 * ldo);
    }
}
