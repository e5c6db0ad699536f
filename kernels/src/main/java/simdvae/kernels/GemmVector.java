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
 *   <li>Register tiles of {@value #MR} rows × 4, 2 or 1 vectors (20, 10 or 5 accumulators); column tails are one
 *       masked vector. Rows past the end of a partial tile repeat the last row and are not stored.</li>
 *   <li>Column strips outermost, so the strip of B (k × 4 vectors) stays in L2 while every row tile streams by.</li>
 *   <li>NT with fewer rows than columns is computed as its transpose, {@code Cᵀ = B·Aᵀ}: packing the small Aᵀ
 *       (k × m) is far cheaper than transposing B (the weights), and a product is the same bits either way round.
 *       Otherwise NT transposes B into per-thread scratch.</li>
 * </ul>
 * A template: {@link Specializer} makes one copy per width (see {@link Kernels}).
 */
public final class GemmVector implements GemmKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    private static final int MR = 5;

    /** Packed or transposed operands. */
    private final ThreadLocal<float[]> scratch = new ThreadLocal<>();
    /** Raw products when accumulating into C. */
    private final ThreadLocal<float[]> products = new ThreadLocal<>();

    @Override
    public void gemm(Layout layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        GemmKernel.check(layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
        if (m == 0 || n == 0) {
            return;
        }
        switch (layout) {
            case NN -> product(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu,
                    accumulate ? scratch(products, m * n) : null);
            case TN -> product(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu,
                    accumulate ? scratch(products, m * n) : null);
            case NT -> {
                if (m <= n) {
                    transposedNT(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu);
                } else {
                    float[] bt = scratch(scratch, n * k);
                    transpose(b, bOff, ldb, n, k, bt);
                    product(m, n, k, a, aOff, lda, 1, bt, 0, n, c, cOff, ldc, accumulate, bias, biasOff, relu,
                            accumulate ? scratch(products, m * n) : null);
                }
            }
        }
    }

    /** {@code Cᵀ[n×m] = B[n×k]·Aᵀ[k×m]} into scratch, then C = epilogue(Cᵀ transposed back). */
    private void transposedNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean acc, float[] bias, int biasOff, boolean relu) {
        float[] buf = scratch(scratch, k * m + n * m);
        transpose(a, aOff, lda, m, k, buf);
        int ct = k * m;
        product(n, m, k, b, bOff, ldb, 1, buf, 0, m, buf, ct, m, false, null, 0, false, null);
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float r = buf[ct + j * m + i];
                if (acc) {
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

    /** {@code x[rows×cols]} (row stride ld) into {@code t[cols×rows]}. */
    private static void transpose(float[] x, int off, int ld, int rows, int cols, float[] t) {
        for (int r = 0; r < rows; r++) {
            int src = off + r * ld;
            for (int q = 0; q < cols; q++) {
                t[q * rows + r] = x[src + q];
            }
        }
    }

    /**
     * C = epilogue(op(A)·B) where op(A)[i,p] = a[aOff + i·ai + p·ap] and B is k×n with row stride ldb. With
     * {@code acc}, the raw products go to {@code tmp} (m×n) first, since C's old values are still needed.
     */
    private static void product(int m, int n, int k, float[] a, int aOff, int ai, int ap, float[] b, int bOff,
                                int ldb, float[] c, int cOff, int ldc, boolean acc, float[] bias, int biasOff,
                                boolean relu, float[] tmp) {
        if (acc) {
            product(m, n, k, a, aOff, ai, ap, b, bOff, ldb, tmp, 0, n, false, null, 0, false, null);
            finish(tmp, 0, n, m, n, c, cOff, ldc, bias, biasOff, relu);
            for (int i = 0; i < m; i++) {
                System.arraycopy(tmp, i * n, c, cOff + i * ldc, n);
            }
            return;
        }
        boolean epilogue = bias != null || relu;
        int j = 0;
        // 4-vector strips while more than three vectors of columns remain; the last vector may be partial
        for (; j + 3 * L < n; j += 4 * L) {
            int last = Math.min(L, n - j - 3 * L);
            for (int i = 0; i < m; i += MR) {
                tile4(m, i, k, a, aOff, ai, ap, b, bOff + j, ldb, c, cOff + j, ldc, last);
            }
            if (epilogue) {
                finish(c, cOff + j, ldc, m, 3 * L + last, null, 0, 0, bias, biasOff + j, relu);
            }
        }
        for (; j + 2 * L <= n; j += 2 * L) {
            for (int i = 0; i < m; i += MR) {
                tile2(m, i, k, a, aOff, ai, ap, b, bOff + j, ldb, c, cOff + j, ldc);
            }
            if (epilogue) {
                finish(c, cOff + j, ldc, m, 2 * L, null, 0, 0, bias, biasOff + j, relu);
            }
        }
        for (; j < n; j += L) {
            for (int i = 0; i < m; i += MR) {
                tile1(m, i, k, a, aOff, ai, ap, b, bOff + j, ldb, c, cOff + j, ldc, Math.min(L, n - j));
            }
            if (epilogue) {
                finish(c, cOff + j, ldc, m, Math.min(L, n - j), null, 0, 0, bias, biasOff + j, relu);
            }
        }
    }

    /**
     * Rows i..i+MR-1 × 4 vectors of columns, of which the last holds {@code last} ≤ L columns. {@code pb} and
     * {@code pc} point at the strip's first column. (The mask is made here, not passed: a mask or vector passed to
     * a method that is not inlined is boxed.)
     */
    private static void tile4(int m, int i, int k, float[] a, int aOff, int ai, int ap, float[] b, int pb, int ldb,
                              float[] c, int pc, int ldc, int last) {
        int rows = Math.min(MR, m - i);
        VectorMask<Float> m3 = S.indexInRange(0, last);
        boolean full = last == L;
        int a0 = aOff + i * ai;
        int a1 = aOff + Math.min(i + 1, m - 1) * ai;
        int a2 = aOff + Math.min(i + 2, m - 1) * ai;
        int a3 = aOff + Math.min(i + 3, m - 1) * ai;
        int a4 = aOff + Math.min(i + 4, m - 1) * ai;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        for (int p = 0, ka = 0, kb = pb; p < k; p++, ka += ap, kb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, kb);
            FloatVector b1 = FloatVector.fromArray(S, b, kb + L);
            FloatVector b2 = FloatVector.fromArray(S, b, kb + 2 * L);
            // loop-invariant test: C2 unswitches the loop, so full strips run without the mask
            FloatVector b3 = full ? FloatVector.fromArray(S, b, kb + 3 * L)
                    : FloatVector.fromArray(S, b, kb + 3 * L, m3);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ka]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + ka]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + ka]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + ka]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[a4 + ka]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
        }
        // Raw accumulators first (intoArray always inlines), then the epilogue over the finished rows: a call
        // carrying vectors outside the hot loop would not be inlined, and every vector would be boxed.
        int r0 = pc + i * ldc;
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c02.intoArray(c, r0 + 2 * L);
        c03.intoArray(c, r0 + 3 * L, m3);
        if (rows > 1) {
            c10.intoArray(c, r0 + ldc);
            c11.intoArray(c, r0 + ldc + L);
            c12.intoArray(c, r0 + ldc + 2 * L);
            c13.intoArray(c, r0 + ldc + 3 * L, m3);
        }
        if (rows > 2) {
            c20.intoArray(c, r0 + 2 * ldc);
            c21.intoArray(c, r0 + 2 * ldc + L);
            c22.intoArray(c, r0 + 2 * ldc + 2 * L);
            c23.intoArray(c, r0 + 2 * ldc + 3 * L, m3);
        }
        if (rows > 3) {
            c30.intoArray(c, r0 + 3 * ldc);
            c31.intoArray(c, r0 + 3 * ldc + L);
            c32.intoArray(c, r0 + 3 * ldc + 2 * L);
            c33.intoArray(c, r0 + 3 * ldc + 3 * L, m3);
        }
        if (rows > 4) {
            c40.intoArray(c, r0 + 4 * ldc);
            c41.intoArray(c, r0 + 4 * ldc + L);
            c42.intoArray(c, r0 + 4 * ldc + 2 * L);
            c43.intoArray(c, r0 + 4 * ldc + 3 * L, m3);
        }
    }

    /** Rows i..i+MR-1 × 2 vectors of columns. */
    private static void tile2(int m, int i, int k, float[] a, int aOff, int ai, int ap, float[] b, int pb, int ldb,
                              float[] c, int pc, int ldc) {
        int rows = Math.min(MR, m - i);
        int a0 = aOff + i * ai;
        int a1 = aOff + Math.min(i + 1, m - 1) * ai;
        int a2 = aOff + Math.min(i + 2, m - 1) * ai;
        int a3 = aOff + Math.min(i + 3, m - 1) * ai;
        int a4 = aOff + Math.min(i + 4, m - 1) * ai;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        for (int p = 0, ka = 0, kb = pb; p < k; p++, ka += ap, kb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, kb);
            FloatVector b1 = FloatVector.fromArray(S, b, kb + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ka]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + ka]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + ka]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + ka]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + ka]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
        }
        int r0 = pc + i * ldc;
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        if (rows > 1) {
            c10.intoArray(c, r0 + ldc);
            c11.intoArray(c, r0 + ldc + L);
        }
        if (rows > 2) {
            c20.intoArray(c, r0 + 2 * ldc);
            c21.intoArray(c, r0 + 2 * ldc + L);
        }
        if (rows > 3) {
            c30.intoArray(c, r0 + 3 * ldc);
            c31.intoArray(c, r0 + 3 * ldc + L);
        }
        if (rows > 4) {
            c40.intoArray(c, r0 + 4 * ldc);
            c41.intoArray(c, r0 + 4 * ldc + L);
        }
    }

    /** Rows i..i+MR-1 × one vector of {@code cols} ≤ L columns. */
    private static void tile1(int m, int i, int k, float[] a, int aOff, int ai, int ap, float[] b, int pb, int ldb,
                              float[] c, int pc, int ldc, int cols) {
        int rows = Math.min(MR, m - i);
        VectorMask<Float> mask = S.indexInRange(0, cols);
        int a0 = aOff + i * ai;
        int a1 = aOff + Math.min(i + 1, m - 1) * ai;
        int a2 = aOff + Math.min(i + 2, m - 1) * ai;
        int a3 = aOff + Math.min(i + 3, m - 1) * ai;
        int a4 = aOff + Math.min(i + 4, m - 1) * ai;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
        for (int p = 0, ka = 0, kb = pb; p < k; p++, ka += ap, kb += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, kb, mask);
            c0 = FloatVector.broadcast(S, a[a0 + ka]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a1 + ka]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a2 + ka]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a3 + ka]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[a4 + ka]).fma(bv, c4);
        }
        int r0 = pc + i * ldc;
        c0.intoArray(c, r0, mask);
        if (rows > 1) {
            c1.intoArray(c, r0 + ldc, mask);
        }
        if (rows > 2) {
            c2.intoArray(c, r0 + 2 * ldc, mask);
        }
        if (rows > 3) {
            c3.intoArray(c, r0 + 3 * ldc, mask);
        }
        if (rows > 4) {
            c4.intoArray(c, r0 + 4 * ldc, mask);
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
