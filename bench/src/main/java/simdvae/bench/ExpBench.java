package simdvae.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import simdvae.kernels.ExpScalar;

/** Our exp and sigmoid over one 50×784 minibatch of logits in [-8, 8]; {@code elements} counts floats/s. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ExpBench {
    @Setup
    public void check(Batch b) {
        float[] ref = new float[b.size()];
        ExpScalar.INSTANCE.exp(b.x, 0, ref, 0, b.size());
        b.k.exp().exp(b.x, 0, b.y, 0, b.size());
        BenchSupport.requireBitEqual(ref, b.y, "exp at " + b.width);
        ExpScalar.INSTANCE.sigmoid(b.x, 0, ref, 0, b.size());
        b.k.exp().sigmoid(b.x, 0, b.y, 0, b.size());
        BenchSupport.requireBitEqual(ref, b.y, "sigmoid at " + b.width);
    }

    @Benchmark
    public float[] exp(Batch b, Counters c) {
        b.k.exp().exp(b.x, 0, b.y, 0, b.size());
        c.elements += b.size();
        return b.y;
    }

    @Benchmark
    public float[] sigmoid(Batch b, Counters c) {
        b.k.exp().sigmoid(b.x, 0, b.y, 0, b.size());
        c.elements += b.size();
        return b.y;
    }
}
