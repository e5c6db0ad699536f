package simdvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 16 × 16 float transposes through 512-bit registers, for {@link GemmVector} at 512 bits (TN's A, NT's packed
 * operands, Cᵀ back into C). A plain class, not a template: it runs only at that one width, where 16 lanes make a
 * block a register per row. Other widths transpose element by element.
 */
final class Transpose16 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;
    private static final float[] LOW_HALVES = interleave(0);
    private static final float[] HIGH_HALVES = interleave(L / 2);

    private Transpose16() {
    }

    /**
     * Transposes the 16 × 16 block of x at {@code src} (row stride ld) into {@code t} at {@code dst} (row stride
     * ldt). log₂16 rounds of a perfect shuffle in registers: output rows 2i and 2i + 1 interleave the low and
     * the high halves of rows i and i + 8, one two-source permute each. Every line of x is read once and whole.
     * (Gathers down x's columns, or rounds staged through memory, ran 3× slower: measured.)
     */
    static void transpose16(float[] x, int src, int ld, float[] t, int dst, int ldt) {
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
}
