package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;
import simdvae.core.BitEquality;
import simdvae.core.Width;
import simdvae.core.WorkerPool;

class ColumnSumsTest {
    @Test
    void everyWidthAndThreadCountEqualsTheReferenceWhichIsAccurate() {
        try (WorkerPool pool = new WorkerPool(2)) {
            SeededCases.check(80, TestSupport.size(130), TestSupport.size(800), integers().between(0, 5),
                    (m, n, off, r) -> {
                int ld = n + r.nextInt(3);
                float[] x = TestSupport.gaussian(r, off + m * ld, 1);
                float[] init = TestSupport.gaussian(r, off + n, 1);
                boolean accumulate = r.nextBoolean();
                float[] expected = init.clone();
                ColumnSumsScalar.INSTANCE.columnSums(m, n, x, off, ld, expected, off, accumulate);
                for (int j = 0; j < n; j++) {
                    double exact = accumulate ? init[off + j] : 0;
                    double mag = Math.abs(exact);
                    for (int i = 0; i < m; i++) {
                        exact += x[off + i * ld + j];
                        mag += Math.abs(x[off + i * ld + j]);
                    }
                    assertTrue(Math.abs(expected[off + j] - exact) <= (m + 1) * 0x1p-24 * mag);
                }
                for (Width w : TestSupport.allWidths()) {
                    float[] got = init.clone();
                    Kernels.of(w).columnSums().columnSums(m, n, x, off, ld, got, off, accumulate);
                    BitEquality.require(expected, got, "column sums at " + w);
                    float[] par = init.clone();
                    new ParallelKernels(Kernels.of(w), pool).columnSums(m, n, x, off, ld, par, off,
                            accumulate);
                    BitEquality.require(expected, par, "parallel column sums at " + w);
                }
            });
        }
    }
}
