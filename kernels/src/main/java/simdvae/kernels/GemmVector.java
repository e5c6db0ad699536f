package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * GEMM on the Vector API, vectorised over the columns of C: a 4-row × 2-vector register tile holds eight
 * accumulators, each lane one output element with its own FMA chain over k (no horizontal sums, so the result equals
 * {@link GemmScalar} bit for bit). Column tails use masked vectors. NT first transposes B into a per-thread scratch
 * panel so that every layout streams contiguous rows of B.
 *
 * <p>A template: {@link Specializer} makes one copy per width (see {@link Kernels}).
 */
public final class GemmVector implements GemmKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    private static final int MR = 4;

    private final ThreadLocal<float[]> transposeScratch = new ThreadLocal<>();

    @Override
    public void gemm(Layout layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
        GemmKernel.check(layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
        if (m == 0 || n == 0) {
            return;
        }
        int ai = layout == Layout.TN ? 1 : lda;
        int ap = layout == Layout.TN ? lda : 1;
        if (layout == Layout.NT) {
            float[] bt = transpose(b, bOff, ldb, n, k);
            tiles(m, n, k, a, aOff, ai, ap, bt, 0, n, c, cOff, ldc, accumulate, bias, biasOff, relu);
        } else {
            tiles(m, n, k, a, aOff, ai, ap, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu);
        }
    }

    /** B[n×k] (row stride ldb) into a k×n scratch panel of this thread. */
    private float[] transpose(float[] b, int bOff, int ldb, int n, int k) {
        float[] t = transposeScratch.get();
        int size = n * k;
        if (t == null || t.length < size) {
            t = new float[size];
            transposeScratch.set(t);
        }
        for (int j = 0; j < n; j++) {
            int src = bOff + j * ldb;
            for (int p = 0; p < k; p++) {
                t[p * n + j] = b[src + p];
            }
        }
        return t;
    }

    private static void tiles(int m, int n, int k, float[] a, int aOff, int ai, int ap, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean acc, float[] bias, int biasOff, boolean relu) {
        VectorMask<Float> all = S.maskAll(true);
        int i = 0;
        for (; i + MR <= m; i += MR) {
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                tile4x2(k, a, aOff + i * ai, ai, ap, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc,
                        acc, bias, biasOff + j, relu, all);
            }
            for (; j < n; j += L) {
                tile4x1(k, a, aOff + i * ai, ai, ap, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc,
                        acc, bias, biasOff + j, relu, S.indexInRange(j, n));
            }
        }
        for (; i < m; i++) {
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                tile1x2(k, a, aOff + i * ai, ap, b, bOff + j, ldb, c, cOff + i * ldc + j, acc, bias, biasOff + j,
                        relu, all);
            }
            for (; j < n; j += L) {
                tile1x1(k, a, aOff + i * ai, ap, b, bOff + j, ldb, c, cOff + i * ldc + j, acc, bias, biasOff + j,
                        relu, S.indexInRange(j, n));
            }
        }
    }

    private static void tile4x2(int k, float[] a, int pa, int ai, int ap, float[] b, int pb, int ldb,
                                float[] c, int pc, int ldc, boolean acc, float[] bias, int pbias, boolean relu,
                                VectorMask<Float> all) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, pa += ap, pb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
            FloatVector x = FloatVector.broadcast(S, a[pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[pa + ai]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[pa + 2 * ai]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[pa + 3 * ai]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        store(c00, c, pc, acc, bias, pbias, relu, all);
        store(c01, c, pc + L, acc, bias, pbias + L, relu, all);
        store(c10, c, pc + ldc, acc, bias, pbias, relu, all);
        store(c11, c, pc + ldc + L, acc, bias, pbias + L, relu, all);
        store(c20, c, pc + 2 * ldc, acc, bias, pbias, relu, all);
        store(c21, c, pc + 2 * ldc + L, acc, bias, pbias + L, relu, all);
        store(c30, c, pc + 3 * ldc, acc, bias, pbias, relu, all);
        store(c31, c, pc + 3 * ldc + L, acc, bias, pbias + L, relu, all);
    }

    private static void tile4x1(int k, float[] a, int pa, int ai, int ap, float[] b, int pb, int ldb,
                                float[] c, int pc, int ldc, boolean acc, float[] bias, int pbias, boolean relu,
                                VectorMask<Float> mask) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, pa += ap, pb += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, pb, mask);
            c0 = FloatVector.broadcast(S, a[pa]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[pa + ai]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[pa + 2 * ai]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[pa + 3 * ai]).fma(bv, c3);
        }
        store(c0, c, pc, acc, bias, pbias, relu, mask);
        store(c1, c, pc + ldc, acc, bias, pbias, relu, mask);
        store(c2, c, pc + 2 * ldc, acc, bias, pbias, relu, mask);
        store(c3, c, pc + 3 * ldc, acc, bias, pbias, relu, mask);
    }

    private static void tile1x2(int k, float[] a, int pa, int ap, float[] b, int pb, int ldb, float[] c, int pc,
                                boolean acc, float[] bias, int pbias, boolean relu, VectorMask<Float> all) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, pa += ap, pb += ldb) {
            FloatVector x = FloatVector.broadcast(S, a[pa]);
            c0 = x.fma(FloatVector.fromArray(S, b, pb), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, pb + L), c1);
        }
        store(c0, c, pc, acc, bias, pbias, relu, all);
        store(c1, c, pc + L, acc, bias, pbias + L, relu, all);
    }

    private static void tile1x1(int k, float[] a, int pa, int ap, float[] b, int pb, int ldb, float[] c, int pc,
                                boolean acc, float[] bias, int pbias, boolean relu, VectorMask<Float> mask) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, pa += ap, pb += ldb) {
            c0 = FloatVector.broadcast(S, a[pa]).fma(FloatVector.fromArray(S, b, pb, mask), c0);
        }
        store(c0, c, pc, acc, bias, pbias, relu, mask);
    }

    /** The epilogue of {@link GemmKernel}, lane by lane. */
    private static void store(FloatVector r, float[] c, int pc, boolean acc, float[] bias, int pbias, boolean relu,
                              VectorMask<Float> mask) {
        if (acc) {
            r = FloatVector.fromArray(S, c, pc, mask).add(r);
        }
        if (bias != null) {
            r = r.add(FloatVector.fromArray(S, bias, pbias, mask));
        }
        if (relu) {
            r = r.max(0f);
        }
        r.intoArray(c, pc, mask);
    }
}
