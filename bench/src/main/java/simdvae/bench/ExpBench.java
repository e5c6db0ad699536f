package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import simdvae.core.BitEquality;
import simdvae.kernels.ExpScalar;

/** Our exp and sigmoid over one 50×784 minibatch of logits in [-8, 8]; {@code elements} counts floats/s. */
public class ExpBench extends KernelBench {
    @Setup
    public void check(Batch b) {
        float[] ref = new float[b.size()];
        ExpScalar.INSTANCE.exp(b.x, 0, ref, 0, b.size());
        b.k.exp().exp(b.x, 0, b.y, 0, b.size());
        BitEquality.require(ref, b.y, "exp at " + b.width);
        ExpScalar.INSTANCE.sigmoid(b.x, 0, ref, 0, b.size());
        b.k.exp().sigmoid(b.x, 0, b.y, 0, b.size());
        BitEquality.require(ref, b.y, "sigmoid at " + b.width);
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
