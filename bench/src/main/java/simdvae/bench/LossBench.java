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
import simdvae.kernels.LossScalar;

/** The fused BCE + KL loss and gradient over one 50×784 minibatch; {@code elements} counts pixels per second. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LossBench {
    @Setup
    public void check(Batch b) {
        float[] ref = new float[b.size()];
        LossScalar.INSTANCE.bceKl(Batch.BATCH, Batch.PIXELS, Batch.LATENT, 1f / Batch.BATCH, b.x, 0, Batch.PIXELS,
                b.targets, 0, Batch.PIXELS, b.head, 0, 2 * Batch.LATENT, ref, 0, Batch.PIXELS,
                new float[b.dHead.length], 0, 2 * Batch.LATENT, b.loss, 0);
        loss(b, new Counters());
        BenchSupport.requireBitEqual(ref, b.y, "loss gradient at " + b.width);
    }

    @Benchmark
    public float[] loss(Batch b, Counters c) {
        b.k.loss().bceKl(Batch.BATCH, Batch.PIXELS, Batch.LATENT, 1f / Batch.BATCH, b.x, 0, Batch.PIXELS, b.targets,
                0, Batch.PIXELS, b.head, 0, 2 * Batch.LATENT, b.y, 0, Batch.PIXELS, b.dHead, 0, 2 * Batch.LATENT,
                b.loss, 0);
        c.elements += b.size();
        return b.y;
    }
}
