package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import simdvae.core.BitEquality;
import simdvae.core.FloatMatrix;
import simdvae.core.Width;
import simdvae.core.WorkerPool;

class GemmTest {
    @RegisterExtension
    static final WorkerPools POOLS = new WorkerPools(2, 3);

    /** One random GEMM call: layout, offsets, leading dimensions and epilogue all drawn from the seed. */
    record Case(MatrixProduct product, float[] c) {
        static Case random(int m, int n, int k, long seed) {
            return of(Layout.values()[new SplittableRandom(seed).nextInt(3)], m, n, k, seed);
        }

        static Case of(Layout layout, int m, int n, int k, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int aRows = layout == Layout.TN ? k : m;
            int aCols = layout == Layout.TN ? m : k;
            int bRows = layout == Layout.NT ? n : k;
            int bCols = layout == Layout.NT ? k : n;
            int aOff = r.nextInt(8);
            int lda = aCols + r.nextInt(3);
            int bOff = r.nextInt(8);
            int ldb = bCols + r.nextInt(3);
            int cOff = r.nextInt(8);
            int ldc = n + r.nextInt(3);
            float[] a = TestSupport.gaussian(r, aOff + aRows * lda, 1);
            float[] b = TestSupport.gaussian(r, bOff + bRows * ldb, 1);
            float[] c = TestSupport.gaussian(r, cOff + m * ldc, 1);
            boolean withBias = r.nextBoolean();
            int biasOff = r.nextInt(4);
            float[] bias = withBias ? TestSupport.gaussian(r, biasOff + n, 1) : null;
            MatrixProduct p = new MatrixProduct().shape(layout, m, n, k).a(a, aOff, lda).b(b, bOff, ldb).c(c, cOff, ldc)
                    .accumulate(r.nextBoolean()).bias(bias, biasOff).relu(r.nextBoolean());
            return new Case(p, c);
        }

        /** The product into a fresh copy of C (which it may read when accumulating). */
        float[] run(GemmKernel kernel) {
            float[] out = c.clone();
            kernel.gemm(product.c(out, product.cOff, product.ldc));
            return out;
        }

        float[] run(ParallelKernels parallel) {
            float[] out = c.clone();
            parallel.gemm(product.c(out, product.cOff, product.ldc));
            return out;
        }

        @Override
        public String toString() {
            return product.toString();
        }
    }

    @Test
    void everyWidthEqualsTheScalarReferenceBitForBit() {
        TestSupport.requireVectorWidth();
        qt().withExamples(80).forAll(TestSupport.size(67), TestSupport.size(784), TestSupport.size(784), longs().all())
                .checkAssert((m, n, k, seed) -> {
                    Case c = Case.random(m, n, k, seed);
                    float[] expected = c.run(GemmScalar.INSTANCE);
                    for (var kernels : TestSupport.gemmKernels(false)) {
                        BitEquality.require(expected, c.run(kernels.getValue().gemm()), kernels.getKey() + " " + c);
                    }
                });
    }

    @Test
    void everyThreadCountAndWidthEqualsTheScalarReference() {
        qt().withExamples(30).forAll(TestSupport.size(67), TestSupport.size(600), TestSupport.size(300), longs().all())
                .checkAssert((m, n, k, seed) -> {
                    Case c = Case.random(m, n, k, seed);
                    float[] expected = c.run(GemmScalar.INSTANCE);
                    for (var kernels : TestSupport.gemmKernels(true)) {
                        for (WorkerPool pool : POOLS.all()) {
                            float[] got = c.run(new ParallelKernels(kernels.getValue(), pool));
                            BitEquality.require(expected, got, kernels.getKey() + " threads=" + pool.threads() + " "
                                    + c);
                        }
                    }
                });
    }

    /**
     * The products of a training step at batch 50, one by one: the latent head (n = 4) and the 2-wide decoder
     * input take the narrow and short tiles, the transposed layouts take whole 16 × 16 blocks and their edges.
     * Then those of inference on 1 to 4 rows, which read whole strips of B in place.
     */
    @Test
    void theVaesOwnProductsEqualTheScalarReference() {
        TestSupport.requireVectorWidth();
        Object[][] shapes = {
            {Layout.NN, 50, 512, 784}, {Layout.NN, 50, 4, 512}, {Layout.NN, 50, 512, 2}, {Layout.NN, 50, 784, 512},
            {Layout.NT, 50, 512, 784}, {Layout.NT, 50, 512, 4}, {Layout.NT, 50, 2, 512}, {Layout.NT, 50, 784, 512},
            {Layout.TN, 784, 512, 50}, {Layout.TN, 512, 4, 50}, {Layout.TN, 2, 512, 50}, {Layout.TN, 512, 784, 50},
            {Layout.NT, 32, 48, 64}, {Layout.TN, 48, 32, 64},
            {Layout.NN, 1, 512, 784}, {Layout.NN, 1, 4, 512}, {Layout.NN, 1, 512, 2}, {Layout.NN, 1, 784, 512},
            {Layout.NN, 4, 512, 784}, {Layout.NN, 3, 1030, 37}, {Layout.NN, 2, 33, 100}, {Layout.NT, 1, 784, 512},
            {Layout.NN, 1, 300, 57}, {Layout.NN, 1, 16, 5}, {Layout.NN, 50, 3, 512}, {Layout.NN, 37, 16, 33},
            {Layout.NN, 50, 10, 100},
        };
        long seed = 1;
        for (Object[] s : shapes) {
            Case c = Case.of((Layout) s[0], (int) s[1], (int) s[2], (int) s[3], seed++);
            float[] expected = c.run(GemmScalar.INSTANCE);
            for (var k : TestSupport.gemmKernels(false)) {
                BitEquality.require(expected, c.run(k.getValue().gemm()), k.getKey() + " " + c);
            }
        }
    }

    /**
     * The 16 × 16 register transposes (TN's A, NT's packed operands, Cᵀ back into C) run only at 512 bits; this
     * test says so in the report (skipped, with the reason) on a CPU without them, rather than passing silently.
     */
    @Test
    void blockTransposesAtFiveHundredTwelveBitsEqualTheScalarReference() {
        org.junit.jupiter.api.Assumptions.assumeTrue(simdvae.core.Simd.maxBits() >= 512, "the 16 x 16 register"
                + " transposes run only at 512 bits; this CPU's widest vector is " + simdvae.core.Simd.maxBits());
        Object[][] shapes = {
            {Layout.TN, 64, 48, 32}, {Layout.TN, 33, 17, 49}, {Layout.NT, 32, 64, 48}, {Layout.NT, 17, 33, 49},
            {Layout.TN, 16, 5, 80}, {Layout.NT, 48, 128, 32}, {Layout.TN, 160, 96, 16},
        };
        long seed = 100;
        for (Object[] s : shapes) {
            Case c = Case.of((Layout) s[0], (int) s[1], (int) s[2], (int) s[3], seed++);
            for (int r : TestSupport.REGISTER_FILES) {
                BitEquality.require(c.run(GemmScalar.INSTANCE), c.run(Kernels.of(Width.W512, r).gemm()), "512 bits, "
                        + r + " registers " + c);
            }
        }
    }

    /**
     * Products in blocks of k of any depth (the 16-register tiles block k by 256; any depth must give the same chain
     * per element): kernels made with {@code -Dsimdvae.kc} at 7, 40 and 100, both tiles, B as stored and packed.
     */
    @Test
    void blocksOfKOfAnyDepthGiveTheSameBits() {
        TestSupport.requireVectorWidth();
        java.util.List<GemmKernel> kernels = new java.util.ArrayList<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        try {
            for (int kc : new int[] {7, 40, 100}) {
                System.setProperty("simdvae.kc", Integer.toString(kc));
                for (Width w : TestSupport.vectorWidths()) {
                    for (int r : TestSupport.REGISTER_FILES) {
                        kernels.add(simdvae.core.Specializer.instantiate(java.lang.invoke.MethodHandles.lookup(),
                                GemmVector.class, GemmKernel.class, w, r));
                        names.add(w + " bits, " + r + " registers, kc=" + kc);
                    }
                }
            }
        } finally {
            System.clearProperty("simdvae.kc");
        }
        qt().withExamples(25).forAll(TestSupport.size(67), TestSupport.size(400), TestSupport.size(300), longs().all())
                .checkAssert((m, n, k, seed) -> {
                    Case c = Case.random(m, n, k, seed);
                    float[] expected = c.run(GemmScalar.INSTANCE);
                    for (int i = 0; i < kernels.size(); i++) {
                        BitEquality.require(expected, c.run(kernels.get(i)), names.get(i) + " " + c);
                    }
                    if (c.product().layout == Layout.NN) {
                        MatrixProduct p = c.product();
                        for (int i = 0; i < kernels.size(); i++) {
                            GemmKernel g = kernels.get(i);
                            float[] out = c.c().clone();
                            g.gemm(m, n, k, p.a, p.aOff, p.lda, g.pack(false, k, n, p.b, p.bOff, p.ldb, null), 0, out,
                                    p.cOff, p.ldc, p.accumulate, p.bias, p.biasOff, p.relu);
                            BitEquality.require(expected, out, names.get(i) + " packed B " + c);
                        }
                    }
                });
    }

    /** The reference itself against a double-precision product, within the FMA chain's error bound. */
    @Test
    void scalarReferenceIsAnAccurateProduct() {
        qt().withExamples(60).forAll(integers().between(1, 20), integers().between(1, 40), TestSupport.size(300),
                longs().all()).checkAssert((m, n, k, seed) -> {
                    Case cs = Case.random(m, n, k, seed);
                    float[] got = cs.run(GemmScalar.INSTANCE);
                    MatrixProduct c = cs.product();
                    float[] before = cs.c();
                    boolean ta = c.layout == Layout.TN;
                    boolean tb = c.layout == Layout.NT;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double exact = 0;
                            double magnitude = 0;
                            for (int p = 0; p < k; p++) {
                                double x = c.a[c.aOff + (ta ? p * c.lda + i : i * c.lda + p)];
                                double y = c.b[c.bOff + (tb ? j * c.ldb + p : p * c.ldb + j)];
                                exact += x * y;
                                magnitude += Math.abs(x * y);
                            }
                            int ci = c.cOff + i * c.ldc + j;
                            if (c.accumulate) {
                                exact += before[ci];
                                magnitude += Math.abs(before[ci]);
                            }
                            if (c.bias != null) {
                                exact += c.bias[c.biasOff + j];
                                magnitude += Math.abs(c.bias[c.biasOff + j]);
                            }
                            if (c.relu) {
                                exact = Math.max(exact, 0);
                            }
                            double bound = (k + 3) * 0x1p-24 * magnitude;
                            String where = c + " at (" + i + "," + j + "): " + got[ci] + " vs exact " + exact;
                            assertTrue(Math.abs(got[ci] - exact) <= bound, where);
                        }
                    }
                });
    }

    /**
     * C full of NaN before a product without accumulate: any read of C would leave a NaN. The shapes reach every
     * path of the vector GEMM: one row (row tile), a few rows (short tile, B in place), N ≤ 4 (quarter tile), a
     * narrow strip, whole tiles with A read in place and with A packed into panels (n ≥ 16 strips), ragged edges,
     * TN through its transpose, its panels and its transposed narrow form, NT both ways round; with a bias and ReLU.
     */
    @Test
    void cIsNeverReadWithoutAccumulate() {
        int[][] shapes = {{1, 784, 512}, {3, 64, 40}, {50, 4, 512}, {50, 16, 33}, {50, 512, 64}, {23, 40, 17},
            {31, 600, 9}, {50, 2, 512}, {23, 40, 400}, {42, 512, 784}};
        TestSupport.requireCNeverRead(Layout.values(), shapes, 11, (g, layout, m, n, k, a, lda, b, ldb, bias, c) ->
                g.gemm(layout, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false, bias, 0, true));
    }

    /** The matrix-view form is the same product: views with offsets and strides into larger arrays. */
    @Test
    void matrixViewsGiveTheSameProduct() {
        SplittableRandom r = new SplittableRandom(3);
        float[] big = TestSupport.gaussian(r, 5000, 1);
        FloatMatrix a = new FloatMatrix(big, 7, 6, 9, 11);      // 6x9, row stride 11
        FloatMatrix bNT = new FloatMatrix(big, 100, 5, 9, 9);   // 5x9, used transposed
        for (Width w : TestSupport.allWidths()) {
            FloatMatrix c = FloatMatrix.zeros(6, 5);
            Kernels.of(w).gemm().gemm(Layout.NT, a, bNT, c, false, null, 0, false);
            float[] expected = new float[30];
            GemmScalar.INSTANCE.gemm(Layout.NT, 6, 5, 9, big, 7, 11, big, 100, 9, expected, 0, 5, false, null, 0, false);
            BitEquality.require(expected, c.data(), "views at " + w);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Kernels.of(w).gemm().gemm(Layout.NN, a, bNT, FloatMatrix.zeros(6, 5), false, null, 0, false));
            assertTrue(e.getMessage().contains("cannot fill C 6x5"), e.getMessage());
        }
    }

    @Test
    void shapesThatDoNotFitAreRefusedWithAMessage() {
        for (Width w : TestSupport.allWidths()) {
            GemmKernel g = Kernels.of(w).gemm();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.gemm(Layout.NN, 3, 3,
                    3, new float[8], 0, 3, new float[9], 0, 3, new float[9], 0, 3, false, null, 0, false));
            assertTrue(e.getMessage().contains("A (3x3"), e.getMessage());
        }
    }
}
