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
import simdvae.kernels.AdamKernel;
import simdvae.kernels.AdamScalar;
import simdvae.kernels.ColumnSumsScalar;
import simdvae.kernels.ExpScalar;
import simdvae.kernels.Kernels;
import simdvae.kernels.LossScalar;
import simdvae.kernels.ReluScalar;

/**
 * The elementwise kernel families on one minibatch of the VAE (batch 50 × 784 pixels, or the 50×512 hidden layer),
 * single-threaded. The {@code elements} counter gives floats produced per second. One benchmark method per family:
 * {@code relu}, {@code reluBackward}, {@code exp}, {@code sigmoid}, {@code loss} (fused BCE + KL), {@code
 * columnSums}, {@code adam} (over the whole default parameter vector, 807,700 floats).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {
    static final int BATCH = 50;
    static final int PIXELS = 784;
    static final int HIDDEN = 512;
    static final int LATENT = 2;
    static final int PARAMS = 807_700;

    @Param({"scalar", "128", "256", "512", "auto"})
    public String width;

    private Kernels k;
    private float[] x;
    private float[] y;
    private float[] targets;
    private float[] head;
    private float[] dHead;
    private float[] loss;
    private float[] hidden;
    private float[] sums;
    private float[] p;
    private float[] g;
    private float[] m;
    private float[] v;
    private float alpha;

    @Setup
    public void setup() {
        k = BenchSupport.kernels(width);
        int n = BATCH * PIXELS;
        x = BenchSupport.random(1, n, -8, 8);
        y = new float[n];
        targets = BenchSupport.random(2, n, 0, 1);
        head = BenchSupport.random(3, BATCH * 2 * LATENT, -2, 2);
        dHead = new float[BATCH * 2 * LATENT];
        loss = new float[BATCH];
        hidden = BenchSupport.random(4, BATCH * HIDDEN, -1, 1);
        sums = new float[HIDDEN];
        p = BenchSupport.random(5, PARAMS, -0.1f, 0.1f);
        g = BenchSupport.random(6, PARAMS, -0.01f, 0.01f);
        m = new float[PARAMS];
        v = new float[PARAMS];
        alpha = AdamKernel.alpha(1e-3, 0.9, 0.999, 10);
        checkAgainstReferences();
    }

    private void checkAgainstReferences() {
        float[] ref = new float[y.length];
        ExpScalar.INSTANCE.exp(x, 0, ref, 0, x.length);
        k.exp().exp(x, 0, y, 0, x.length);
        BenchSupport.requireBitEqual(ref, y, "exp at " + width);
        ExpScalar.INSTANCE.sigmoid(x, 0, ref, 0, x.length);
        k.exp().sigmoid(x, 0, y, 0, x.length);
        BenchSupport.requireBitEqual(ref, y, "sigmoid at " + width);
        ReluScalar.INSTANCE.forward(x, 0, ref, 0, x.length);
        k.relu().forward(x, 0, y, 0, x.length);
        BenchSupport.requireBitEqual(ref, y, "relu at " + width);
        float[] refHead = new float[dHead.length];
        LossScalar.INSTANCE.bceKl(BATCH, PIXELS, LATENT, 1f / BATCH, x, 0, PIXELS, targets, 0, PIXELS, head, 0,
                2 * LATENT, ref, 0, PIXELS, refHead, 0, 2 * LATENT, loss, 0);
        lossStep();
        BenchSupport.requireBitEqual(ref, y, "loss gradient at " + width);
        float[] refSums = new float[HIDDEN];
        ColumnSumsScalar.INSTANCE.columnSums(BATCH, HIDDEN, hidden, 0, HIDDEN, refSums, 0, false);
        k.columnSums().columnSums(BATCH, HIDDEN, hidden, 0, HIDDEN, sums, 0, false);
        BenchSupport.requireBitEqual(refSums, sums, "column sums at " + width);
        float[] p2 = p.clone();
        float[] m2 = new float[PARAMS];
        float[] v2 = new float[PARAMS];
        AdamScalar.INSTANCE.update(PARAMS, p2, g, m2, v2, 0, alpha, 0.9f, 0.999f, 1e-7f);
        float[] p3 = p.clone();
        k.adam().update(PARAMS, p3, g, new float[PARAMS], new float[PARAMS], 0, alpha, 0.9f, 0.999f, 1e-7f);
        BenchSupport.requireBitEqual(p2, p3, "adam at " + width);
    }

    private void lossStep() {
        k.loss().bceKl(BATCH, PIXELS, LATENT, 1f / BATCH, x, 0, PIXELS, targets, 0, PIXELS, head, 0, 2 * LATENT,
                y, 0, PIXELS, dHead, 0, 2 * LATENT, loss, 0);
    }

    @Benchmark
    public float[] relu(Counters c) {
        k.relu().forward(x, 0, y, 0, x.length);
        c.elements += x.length;
        return y;
    }

    @Benchmark
    public float[] reluBackward(Counters c) {
        k.relu().backward(x, 0, targets, 0, y, 0, x.length);
        c.elements += x.length;
        return y;
    }

    @Benchmark
    public float[] exp(Counters c) {
        k.exp().exp(x, 0, y, 0, x.length);
        c.elements += x.length;
        return y;
    }

    @Benchmark
    public float[] sigmoid(Counters c) {
        k.exp().sigmoid(x, 0, y, 0, x.length);
        c.elements += x.length;
        return y;
    }

    @Benchmark
    public float[] loss(Counters c) {
        lossStep();
        c.elements += x.length;
        return y;
    }

    @Benchmark
    public float[] columnSums(Counters c) {
        k.columnSums().columnSums(BATCH, HIDDEN, hidden, 0, HIDDEN, sums, 0, false);
        c.elements += hidden.length;
        return sums;
    }

    @Benchmark
    public float[] adam(Counters c) {
        k.adam().update(PARAMS, p, g, m, v, 0, alpha, 0.9f, 0.999f, 1e-7f);
        c.elements += PARAMS;
        return p;
    }
}
