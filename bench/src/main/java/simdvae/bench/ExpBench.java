package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import simdvae.kernels.ExpScalar;

/** Our exp and sigmoid over one 50×784 minibatch of logits in [-8, 8]; {@code elements} counts floats/s. */
public class ExpBench extends KernelBench {
    @Setup
    public void check(Batch b) {
        b.requireSame("exp", ExpScalar.INSTANCE::exp, b.k.exp()::exp);
        b.requireSame("sigmoid", ExpScalar.INSTANCE::sigmoid, b.k.exp()::sigmoid);
    }

    @Benchmark
    public float[] exp(Batch b, Counters c) {
        b.k.exp().exp(b.x, 0, b.y, 0, b.size());
        return b.counted(c);
    }

    @Benchmark
    public float[] sigmoid(Batch b, Counters c) {
        b.k.exp().sigmoid(b.x, 0, b.y, 0, b.size());
        return b.counted(c);
    }
}
