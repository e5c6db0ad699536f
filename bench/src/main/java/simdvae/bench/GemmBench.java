package simdvae.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.TearDown;
import simdvae.core.WorkerPool;
import simdvae.kernels.GemmScalar;
import simdvae.kernels.Layout;
import simdvae.kernels.ParallelKernels;

/**
 * GEMM on the VAE's products, single-threaded or split over a worker pool ({@code threads}). A shape is {@code LAYOUT_m_n_k}: the forward products (NN), the
 * input gradients (NT) and the weight gradients (TN) at batch 50 and 128, and the 4-wide latent head. The
 * {@code flop} counter gives flop/s (2·m·n·k per call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
    @Param({"scalar", "128", "256", "512", "auto"})
    public String width;

    @Param({"NN_50_512_784", "NN_50_784_512", "NT_50_512_784", "NT_50_784_512", "TN_784_512_50", "TN_512_784_50",
        "NN_50_4_512", "NN_128_512_784", "NT_128_512_784", "TN_784_512_128"})
    public String shape;

    @Param({"1"})
    public int threads;

    private WorkerPool pool;
    private ParallelKernels gemm;
    private Layout layout;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private float[] bias;
    private long flop;

    @Setup
    public void setup() {
        pool = new WorkerPool(threads);
        gemm = new ParallelKernels(BenchSupport.kernels(width), pool);
        String[] parts = shape.split("_");
        layout = Layout.valueOf(parts[0]);
        m = Integer.parseInt(parts[1]);
        n = Integer.parseInt(parts[2]);
        k = Integer.parseInt(parts[3]);
        a = BenchSupport.random(1, m * k, -1, 1);
        b = BenchSupport.random(2, k * n, -1, 1);
        c = new float[m * n];
        bias = layout == Layout.NN ? BenchSupport.random(3, n, -1, 1) : null;
        flop = 2L * m * n * k;
        float[] expected = new float[m * n];
        GemmScalar.INSTANCE.gemm(layout, m, n, k, a, 0, lda(), b, 0, ldb(), expected, 0, n, false, bias, 0,
                bias != null);
        run();
        BenchSupport.requireBitEqual(expected, c, "GEMM " + shape + " at " + width);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    private int lda() {
        return layout == Layout.TN ? m : k;
    }

    private int ldb() {
        return layout == Layout.NT ? k : n;
    }

    private void run() {
        gemm.gemm(layout, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, false, bias, 0, bias != null);
    }

    @Benchmark
    public float[] gemm(Counters counters) {
        run();
        counters.flop += flop;
        return c;
    }
}
