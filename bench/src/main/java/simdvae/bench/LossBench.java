package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import simdvae.kernels.LossScalar;

/** The fused BCE + KL loss and gradient over one 50×784 minibatch; {@code elements} counts pixels per second. */
public class LossBench extends KernelBench {
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
