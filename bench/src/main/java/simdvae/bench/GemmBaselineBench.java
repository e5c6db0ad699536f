package simdvae.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The baselines of {@link GemmBench}, on the same shapes, single-threaded: netlib's best pure-Java BLAS ({@code
 * netlib-java}: its Vector API VectorBLAS when the incubator module is present, which the JMH forks have) and its
 * binding to the system's native BLAS ({@code netlib-native}: whatever {@code libblas.so.3} is, e.g. OpenBLAS; run
 * with OPENBLAS_NUM_THREADS=1). {@code coretype} asks OpenBLAS for one of its kernels in this fork ({@code Haswell}:
 * AVX2's, {@code Nehalem}: SSE's; {@code env}: whatever OPENBLAS_CORETYPE says), so the kernels of 16-register CPUs
 * stand beside ours on one machine. The class and OpenBLAS kernel that actually ran are printed. Row-major products are passed to the column-major sgemm transposed. {@code @Setup} checks
 * the result against our scalar reference (to float rounding: these do not promise our bits).
 */
public class GemmBaselineBench extends GemmShapeBench {
    @Param({"netlib-java", "netlib-native"})
    public String impl;

    @Param({"env"})
    public String coretype;

    private BLAS blas;

    @Setup
    public void setup() {
        blas = switch (impl) {
            case "netlib-java" -> JavaBLAS.getInstance();
            case "netlib-native" -> {
                if (!coretype.equals("env")) {
                    NativeBlas.useCoretype(coretype);
                }
                try {
                    yield NativeBLAS.getInstance();
                } catch (RuntimeException | LinkageError e) {
                    throw new IllegalStateException("skipped: no native BLAS (libblas.so.3) on this machine: " + e);
                }
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
        parseShape();
        float[] expected = s.expected(null);
        multiply();
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - c[i]) > 1e-3f * (1 + Math.abs(expected[i]))) {
                throw new IllegalStateException(impl + " " + shape + " disagrees with the reference at " + i + ": "
                        + c[i] + " vs " + expected[i]);
            }
        }
        System.out.println("# baseline " + impl + ": " + blas.getClass().getName() + (impl.equals("netlib-native")
                ? ", " + NativeBlas.probe().description() : ""));
    }

    /** Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ. */
    @Override
    void multiply() {
        int m = s.m();
        int n = s.n();
        int k = s.k();
        switch (s.layout()) {
            case NN -> blas.sgemm("N", "N", n, m, k, 1f, s.b(), n, s.a(), k, 0f, c, n);
            case NT -> blas.sgemm("T", "N", n, m, k, 1f, s.b(), k, s.a(), k, 0f, c, n);
            case TN -> blas.sgemm("N", "T", n, m, k, 1f, s.b(), n, s.a(), m, 0f, c, n);
        }
    }
}
