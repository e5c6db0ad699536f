package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import simdvae.kernels.GaussianLossScalar;
import simdvae.kernels.LossScalar;

/**
 * The fused loss-and-gradient kernels over one minibatch of 50 rows; {@code elements} counts features per second.
 * {@code loss}: Bernoulli (BCE) + KL on 784 pixels. {@code gaussian}: Gaussian + KL on 392 features, so its
 * decoder output [mean | log σ²] is the same 50×784 array.
 */
public class LossBench extends KernelBench {
    static final int FEATURES = Batch.PIXELS / 2;

    @Setup
    public void check(Batch b) {
        float[] ref = new float[b.size()];
        LossScalar.INSTANCE.bceKl(Batch.BATCH, Batch.PIXELS, Batch.LATENT, 1f / Batch.BATCH, 1f, b.x, 0,
                Batch.PIXELS, b.targets, 0, Batch.PIXELS, b.head, 0, 2 * Batch.LATENT, ref, 0, Batch.PIXELS,
                new float[b.dHead.length], 0, 2 * Batch.LATENT, b.loss, 0);
        loss(b, new Counters());
        BenchSupport.requireBitEqual(ref, b.y, "loss gradient at " + b.width);
        GaussianLossScalar.INSTANCE.gaussianKl(Batch.BATCH, FEATURES, Batch.LATENT, 1f / Batch.BATCH, 1f, b.x, 0,
                Batch.PIXELS, b.targets, 0, FEATURES, b.head, 0, 2 * Batch.LATENT, ref, 0, Batch.PIXELS,
                new float[b.dHead.length], 0, 2 * Batch.LATENT, b.loss, 0);
        gaussian(b, new Counters());
        BenchSupport.requireBitEqual(ref, b.y, "Gaussian loss gradient at " + b.width);
    }

    @Benchmark
    public float[] loss(Batch b, Counters c) {
        b.k.loss().bceKl(Batch.BATCH, Batch.PIXELS, Batch.LATENT, 1f / Batch.BATCH, 1f, b.x, 0, Batch.PIXELS,
                b.targets, 0, Batch.PIXELS, b.head, 0, 2 * Batch.LATENT, b.y, 0, Batch.PIXELS, b.dHead, 0,
                2 * Batch.LATENT, b.loss, 0);
        c.elements += b.size();
        return b.y;
    }

    @Benchmark
    public float[] gaussian(Batch b, Counters c) {
        b.k.gaussianLoss().gaussianKl(Batch.BATCH, FEATURES, Batch.LATENT, 1f / Batch.BATCH, 1f, b.x, 0,
                Batch.PIXELS, b.targets, 0, FEATURES, b.head, 0, 2 * Batch.LATENT, b.y, 0, Batch.PIXELS, b.dHead, 0,
                2 * Batch.LATENT, b.loss, 0);
        c.elements += Batch.BATCH * FEATURES;
        return b.y;
    }
}
