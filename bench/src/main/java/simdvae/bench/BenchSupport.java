package simdvae.bench;

import java.util.SplittableRandom;
import simdvae.core.Simd;
import simdvae.core.UnsupportedWidthException;
import simdvae.core.Width;
import simdvae.kernels.Kernels;

/** What every benchmark's {@code @Setup} shares: the width parameter, data, and the agreement check. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** The kernels for a {@code width} parameter; an unsupported width stops this benchmark with the reason. */
    static Kernels kernels(String width) {
        return kernels(width, "auto");
    }

    /**
     * The kernels for a {@code width} and a {@code registers} parameter: {@code auto} for the register file this
     * JVM has (16 under {@code -XX:UseAVX=2}), or 16 or 32 to force that file's GEMM tile.
     */
    static Kernels kernels(String width, String registers) {
        try {
            Kernels k = registers.equals("auto") ? Kernels.of(Width.parse(width))
                    : Kernels.of(Width.parse(width), Integer.parseInt(registers));
            System.out.println("# kernels: " + k);
            return k;
        } catch (UnsupportedWidthException e) {
            throw new IllegalStateException("skipped: " + e.getMessage() + " (this CPU: " + Simd.maxBits()
                    + " bits)", e);
        }
    }

    /**
     * A model made by {@code make} whose inference reads its weights packed once ({@code packed}, the library's
     * default) or in place, by every product ({@code -Dsimdvae.packWeights=false}, read when a model is made): the
     * {@code packed} parameter of the inference benchmarks.
     */
    static <T> T withPackedWeights(boolean packed, java.util.function.Supplier<T> make) {
        System.setProperty("simdvae.packWeights", Boolean.toString(packed));
        try {
            return make.get();
        } finally {
            System.clearProperty("simdvae.packWeights");
        }
    }

    static float[] random(long seed, int n, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    /**
     * Runs {@code op} in windows of 250 ms until three windows in a row agree within 10 % of their rate (the JIT has
     * settled), or for {@code maxSeconds} at most.
     */
    static void warmUntilSteady(Runnable op, double maxSeconds) {
        long end = System.nanoTime() + (long) (maxSeconds * 1e9);
        double[] last = new double[3];
        int windows = 0;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            long ops = 0;
            while (System.nanoTime() - start < 250_000_000L) {
                op.run();
                ops++;
            }
            last[windows++ % 3] = ops / ((System.nanoTime() - start) / 1e9);
            if (windows >= 3) {
                double lo = Math.min(last[0], Math.min(last[1], last[2]));
                double hi = Math.max(last[0], Math.max(last[1], last[2]));
                if (hi - lo <= 0.1 * hi) {
                    return;
                }
            }
        }
    }
}
