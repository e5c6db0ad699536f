package simdvae.kernels;

import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import simdvae.core.Simd;
import simdvae.core.Width;

/** Shapes, data and comparisons shared by the kernel tests. */
public final class TestSupport {
    private TestSupport() {
    }

    /** Sizes that stress vector tails at every width: 1, lanes−1, lanes, lanes+1, primes, the VAE's sizes. */
    static final List<Integer> SPECIAL_SIZES = List.of(1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 47, 63,
            64, 65, 97, 127, 128, 129, 512, 784);

    /** A size: half the time a special one, else anything in [1, max]. */
    static Gen<Integer> size(int max) {
        List<Integer> specials = new ArrayList<>();
        for (int s : SPECIAL_SIZES) {
            if (s <= max) {
                specials.add(s);
            }
        }
        return Generate.oneOf(Generate.pick(specials), integers().between(1, max));
    }

    /**
     * Skips the calling test, saying why, when this CPU runs no vector width (or C2 is off): every equivalence
     * would then compare the scalar reference with itself and pass without testing anything.
     */
    public static void requireVectorWidth() {
        Assumptions.assumeFalse(vectorWidths().isEmpty(), "no vector width runs here ("
                + Simd.current().reason() + "): the vector-versus-scalar equivalence cannot run");
    }

    /** Every vector width this CPU runs natively (scalar excluded: it is the reference). */
    static List<Width> vectorWidths() {
        List<Width> widths = new ArrayList<>(Simd.supportedWidths());
        widths.remove(Width.SCALAR);
        return widths;
    }

    /** The register files whose GEMM tiles every vector width is tested with, whatever this JVM has. */
    static final int[] REGISTER_FILES = {16, 32};

    /**
     * The GEMM kernels to hold against the scalar reference: every vector width with every register file's tile,
     * and (with {@code scalar}) the scalar reference itself, each with a label naming width and tile.
     */
    static List<java.util.Map.Entry<String, Kernels>> gemmKernels(boolean scalar) {
        List<java.util.Map.Entry<String, Kernels>> out = new ArrayList<>();
        if (scalar) {
            out.add(java.util.Map.entry("scalar", Kernels.of(Width.SCALAR)));
        }
        for (Width w : vectorWidths()) {
            for (int r : REGISTER_FILES) {
                Kernels k = Kernels.of(w, r);
                out.add(java.util.Map.entry(w + " bits, tile " + k.gemmTile(), k));
            }
        }
        return out;
    }

    /** A product into {@code c} (m × n, row stride n) with a bias and ReLU and without accumulate. */
    interface ProductIntoC {
        void run(GemmKernel g, Layout layout, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] bias,
                 float[] c);
    }

    /**
     * C full of NaN before a product without accumulate, for every layout and shape given (random operands from
     * {@code seed}) and every GEMM kernel: any read of C would leave a NaN, so each result must be the reference's.
     */
    static void requireCNeverRead(Layout[] layouts, int[][] shapes, long seed, ProductIntoC product) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Layout layout : layouts) {
            for (int[] shape : shapes) {
                int m = shape[0];
                int n = shape[1];
                int k = shape[2];
                float[] a = gaussian(r, m * k, 1);
                float[] b = gaussian(r, k * n, 1);
                float[] bias = gaussian(r, n, 1);
                int lda = layout == Layout.TN ? m : k;
                int ldb = layout == Layout.NT ? k : n;
                float[] expected = new float[m * n];
                GemmScalar.INSTANCE.gemm(layout, m, n, k, a, 0, lda, b, 0, ldb, expected, 0, n, false, bias, 0, true);
                for (var kernels : gemmKernels(true)) {
                    float[] c = new float[m * n];
                    java.util.Arrays.fill(c, Float.NaN);
                    product.run(kernels.getValue().gemm(), layout, m, n, k, a, lda, b, ldb, bias, c);
                    simdvae.core.BitEquality.require(expected, c, layout + " " + m + "x" + n + "x" + k + " at "
                            + kernels.getKey());
                }
            }
        }
    }

    /** Every width, scalar included. */
    static List<Width> allWidths() {
        return Simd.supportedWidths();
    }

    static float[] gaussian(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (scale * gauss(r));
        }
        return a;
    }

    static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    /** A standard normal draw (Box–Muller): the one copy the tests share. */
    public static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /**
     * The per-feature terms contract of a loss family, for one batch: asking for terms changes no other output bit
     * of the reference; every width's kernel writes the reference's outputs and terms; and each row's terms add up
     * to its loss less its KL term (computed here in double from the head). {@code run} runs a kernel without terms
     * and {@code withTerms} with them, each returning {gradient, head gradient, losses[, terms]}.
     */
    static void checkTerms(LossKernel reference, java.util.function.Function<Kernels, LossKernel> family,
                           java.util.function.Function<LossKernel, float[][]> run,
                           java.util.function.Function<LossKernel, float[][]> withTerms, float[] head, int batch,
                           int features, int latent) {
        float[][] plain = run.apply(reference);
        float[][] ref = withTerms.apply(reference);
        for (int q = 0; q < 3; q++) {
            simdvae.core.BitEquality.require(plain[q], ref[q], "asking for terms changes nothing else");
        }
        for (simdvae.core.Width w : allWidths()) {
            float[][] got = withTerms.apply(family.apply(Kernels.of(w)));
            for (int q = 0; q < 4; q++) {
                simdvae.core.BitEquality.require(ref[q], got[q], "output " + q + " with terms at " + w);
            }
        }
        for (int i = 0; i < batch; i++) {
            double sum = 0;
            for (int j = 0; j < features; j++) {
                sum += ref[3][i * features + j];
            }
            double kl = LossDefinitions.kl(q -> head[q], i * 2 * latent, latent);
            double tol = 1e-5 * (Math.abs(sum) + kl + features) + 1e-4;
            org.junit.jupiter.api.Assertions.assertTrue(Math.abs(ref[2][i] - kl - sum) <= tol, "row " + i
                    + ": terms " + sum + " + KL " + kl + " against loss " + ref[2][i]);
        }
    }
}
