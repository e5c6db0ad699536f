package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import simdvae.kernels.ReluScalar;

/** ReLU forward and backward over one 50×784 minibatch; {@code elements} counts floats produced per second. */
public class ReluBench extends KernelBench {
    @Setup
    public void check(Batch b) {
        b.requireSame("relu", ReluScalar.INSTANCE::forward, b.k.relu()::forward);
    }

    @Benchmark
    public float[] relu(Batch b, Counters c) {
        b.k.relu().forward(b.x, 0, b.y, 0, b.size());
        return b.counted(c);
    }

    @Benchmark
    public float[] reluBackward(Batch b, Counters c) {
        b.k.relu().backward(b.x, 0, b.targets, 0, b.y, 0, b.size());
        return b.counted(c);
    }
}
