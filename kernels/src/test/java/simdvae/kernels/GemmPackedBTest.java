package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import simdvae.core.BitEquality;
import simdvae.core.WorkerPool;

/**
 * Products on a B packed once ({@link GemmKernel#pack}): the bits of the same product on B as stored, at every
 * width, tile, thread count and column range, whether B is stored as is or transposed; a re-pack into the same
 * object follows B's new values and allocates no new one.
 */
class GemmPackedBTest {
    @RegisterExtension
    static final WorkerPools POOLS = new WorkerPools(2, 3);

    /** B (k × n, or n × k when transposed) with a row stride a little past its width, from an offset. */
    private record Operand(float[] b, int off, int ld, boolean transposed) {
        static Operand random(SplittableRandom r, int k, int n, boolean transposed) {
            int off = r.nextInt(5);
            int ld = (transposed ? k : n) + r.nextInt(3);
            return new Operand(TestSupport.gaussian(r, off + (transposed ? n : k) * ld, 1), off, ld, transposed);
        }
    }

    /**
     * The reference: columns [col, col + n) of B as stored, through the scalar reference's NN (or NT) product on B
     * itself; then each kernel's product on its own packed B over the same columns.
     */
    private static void check(int m, int n, int k, int col, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Operand bo = Operand.random(r, k, n, r.nextBoolean());
        int lda = k + r.nextInt(3);
        float[] a = TestSupport.gaussian(r, m * lda, 1);
        int ldc = cols + r.nextInt(3);
        float[] c0 = TestSupport.gaussian(r, m * ldc, 1);
        float[] bias = r.nextBoolean() ? TestSupport.gaussian(r, n, 1) : null;
        boolean accumulate = r.nextBoolean();
        boolean relu = r.nextBoolean();
        float[] expected = c0.clone();
        int bStart = bo.off + col * (bo.transposed ? bo.ld : 1);
        GemmScalar.INSTANCE.gemm(bo.transposed ? Layout.NT : Layout.NN, m, cols, k, a, 0, lda, bo.b, bStart, bo.ld,
                expected, 0, ldc, accumulate, bias, col, relu);
        String what = m + "x" + cols + "x" + k + " from column " + col + " of " + n + (bo.transposed ? " (B stored"
                + " transposed)" : "") + " accumulate=" + accumulate + " bias=" + (bias != null) + " relu=" + relu;
        for (Map.Entry<String, Kernels> e : TestSupport.gemmKernels(true)) {
            GemmKernel g = e.getValue().gemm();
            GemmPackedB packed = g.pack(bo.transposed, k, n, bo.b, bo.off, bo.ld, null);
            float[] c = c0.clone();
            g.gemm(m, cols, k, a, 0, lda, packed, col, c, 0, ldc, accumulate, bias, col, relu);
            BitEquality.require(expected, c, e.getKey() + " " + what);
            for (WorkerPool pool : POOLS.all()) {
                c = c0.clone();
                MatrixProduct p = new MatrixProduct().shape(Layout.NN, m, cols, k).a(a, 0, lda).b(packed, col)
                        .c(c, 0, ldc).accumulate(accumulate).bias(bias, col).relu(relu);
                new ParallelKernels(e.getValue(), pool).gemm(p);
                BitEquality.require(expected, c, e.getKey() + " threads=" + pool.threads() + " " + what);
            }
        }
    }

    @Test
    void aPackedBGivesTheBitsOfBAsStored() {
        TestSupport.requireVectorWidth();
        qt().withExamples(60).forAll(TestSupport.size(67), TestSupport.size(300), TestSupport.size(300), longs().all())
                .checkAssert((m, n, k, seed) -> check(m, n, k, 0, n, seed));
    }

    /** A product on some of a packed B's columns, from a strip's start: narrower than a strip, ragged, or whole. */
    @Test
    void aProductOnSomeColumnsFromAStripStartGivesTheSameBits() {
        TestSupport.requireVectorWidth();
        qt().withExamples(40).forAll(TestSupport.size(20), TestSupport.size(200), TestSupport.size(100), longs().all())
                .checkAssert((m, n, k, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    // a multiple of every kernel's strip: 2 or 3 vectors of 2 to 16 lanes
                    int stripCols = 96;
                    int col = n > stripCols ? stripCols * r.nextInt(n / stripCols) : 0;
                    int cols = 1 + r.nextInt(n - col);
                    check(m, n, k, col, cols, seed);
                });
    }

    /** The products of inference on the tutorial's model: the encoder's layers and heads, 1 to 256 rows. */
    @Test
    void theModelsInferenceProductsGiveTheSameBits() {
        TestSupport.requireVectorWidth();
        int[][] shapes = {{256, 512, 784}, {1, 512, 784}, {3, 512, 784}, {256, 4, 512}, {1, 4, 512}, {256, 784, 512},
            {1, 784, 512}, {256, 512, 2}, {1, 512, 2}, {50, 512, 784}, {4, 520, 33}, {1, 40, 9}, {13, 24, 7}};
        long seed = 7;
        for (int[] s : shapes) {
            check(s[0], s[1], s[2], 0, s[1], seed++);
        }
    }

    /** C full of NaN: without accumulate, no path of a product on a packed B reads C. */
    @Test
    void cIsNeverReadWithoutAccumulate() {
        int[][] shapes = {{1, 784, 512}, {3, 64, 40}, {50, 4, 512}, {50, 16, 33}, {50, 512, 64}, {23, 40, 17}};
        TestSupport.requireCNeverRead(new Layout[] {Layout.NN}, shapes, 5,
                (g, layout, m, n, k, a, lda, b, ldb, bias, c) -> g.gemm(m, n, k, a, 0, lda,
                        g.pack(false, k, n, b, 0, ldb, null), 0, c, 0, n, false, bias, 0, true));
    }

    /** After B changes (an optimizer step), a re-pack into the same object gives the new product. */
    @Test
    void aRepackIntoTheSameObjectFollowsTheNewValues() {
        SplittableRandom r = new SplittableRandom(9);
        int m = 12;
        int n = 70;
        int k = 33;
        float[] a = TestSupport.gaussian(r, m * k, 1);
        float[] b = TestSupport.gaussian(r, k * n, 1);
        for (Map.Entry<String, Kernels> e : TestSupport.gemmKernels(true)) {
            GemmKernel g = e.getValue().gemm();
            GemmPackedB packed = g.pack(false, k, n, b, 0, n, null);
            float[] b2 = b.clone();
            for (int i = 0; i < b2.length; i++) {
                b2[i] = b2[i] * 0.5f + 0.25f;
            }
            assertSame(packed, g.pack(false, k, n, b2, 0, n, packed), "a re-pack of the same size reuses the object");
            float[] expected = new float[m * n];
            GemmScalar.INSTANCE.gemm(Layout.NN, m, n, k, a, 0, k, b2, 0, n, expected, 0, n, false, null, 0, false);
            float[] c = new float[m * n];
            g.gemm(m, n, k, a, 0, k, packed, 0, c, 0, n, false, null, 0, false);
            BitEquality.require(expected, c, "re-packed at " + e.getKey());
        }
    }

    @Test
    void aPackedBFromAnotherWidthOrOfAnotherShapeIsRefusedWithAMessage() {
        TestSupport.requireVectorWidth();
        float[] b = new float[40 * 30];
        GemmPackedB scalarPacked = GemmScalar.INSTANCE.pack(false, 40, 30, b, 0, 30, null);
        GemmKernel vector = Kernels.of(TestSupport.vectorWidths().get(0)).gemm();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vector.gemm(2, 30, 40,
                new float[80], 0, 40, scalarPacked, 0, new float[60], 0, 30, false, null, 0, false));
        assertTrue(e.getMessage().contains("packed for the scalar reference"), e.getMessage());
        GemmPackedB packed = vector.pack(false, 40, 30, b, 0, 30, null);
        e = assertThrows(IllegalArgumentException.class, () -> vector.gemm(2, 30, 39, new float[80], 0, 39, packed, 0,
                new float[60], 0, 30, false, null, 0, false));
        assertTrue(e.getMessage().contains("reduction length 39"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vector.gemm(2, 10, 40, new float[80], 0, 40, packed, 3,
                new float[60], 0, 30, false, null, 0, false));
        assertTrue(e.getMessage().contains("not at the start of one of its strips"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vector.pack(false, 40, 30, b, 1, 30, null));
        assertTrue(e.getMessage().contains("B (40x30"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MatrixProduct().shape(Layout.NT, 2, 30, 40)
                .a(new float[80], 0, 40).b(packed, 0).c(new float[60], 0, 30).check());
        assertTrue(e.getMessage().contains("packed B is NN"), e.getMessage());
    }
}
