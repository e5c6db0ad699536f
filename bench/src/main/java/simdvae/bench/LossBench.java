package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import simdvae.core.BitEquality;
import simdvae.kernels.GaussianLossScalar;
import simdvae.kernels.LossBatch;
import simdvae.kernels.LossKernel;
import simdvae.kernels.BernoulliLossScalar;

/**
 * The fused loss-and-gradient kernels over one minibatch of 50 rows; {@code elements} counts features per second.
 * {@code bernoulli}: Bernoulli (BCE) + KL on 784 pixels. {@code gaussian}: Gaussian + KL on 392 features, so its
 * decoder output [mean | log σ²] is the same 50×784 array.
 */
public class LossBench extends KernelBench {
    static final int FEATURES = Batch.PIXELS / 2;

    private LossBatch bernoulli;
    private LossBatch gaussian;

    @Setup
    public void check(Batch b) {
        bernoulli = arguments(b, Batch.PIXELS, 1, b.y, b.dHead, b.loss);
        gaussian = arguments(b, FEATURES, 2, b.y, b.dHead, b.loss);
        requireSameAsReference(b, BernoulliLossScalar.INSTANCE, Batch.PIXELS, () -> bernoulli(b, new Counters()), "Bernoulli loss");
        requireSameAsReference(b, GaussianLossScalar.INSTANCE, FEATURES, () -> gaussian(b, new Counters()),
                "Gaussian loss");
    }

    private static LossBatch arguments(Batch b, int features, int outputsPerFeature, float[] dOut, float[] dHead,
                                       float[] loss) {
        return LossBatch.dense(Batch.BATCH, features, Batch.LATENT, outputsPerFeature, b.x, b.targets, b.head, dOut,
                dHead, loss).weights(1f / Batch.BATCH, 1f);
    }

    /** The output gradient, the head gradient and every row's loss, all bit for bit. */
    private static void requireSameAsReference(Batch b, LossKernel reference, int features, Runnable run,
                                               String what) {
        float[] dOut = new float[b.size()];
        float[] dHead = new float[b.dHead.length];
        float[] loss = new float[b.loss.length];
        reference.lossAndGradient(arguments(b, features, reference.outputsPerFeature(), dOut, dHead, loss), 0,
                Batch.BATCH);
        run.run();
        BitEquality.require(dOut, b.y, what + " output gradient at " + b.width);
        BitEquality.require(dHead, b.dHead, what + " head gradient at " + b.width);
        BitEquality.require(loss, b.loss, what + " values at " + b.width);
    }

    @Benchmark
    public float[] bernoulli(Batch b, Counters c) {
        b.k.bernoulliLoss().lossAndGradient(bernoulli, 0, Batch.BATCH);
        c.elements += b.size();
        return b.y;
    }

    @Benchmark
    public float[] gaussian(Batch b, Counters c) {
        b.k.gaussianLoss().lossAndGradient(gaussian, 0, Batch.BATCH);
        c.elements += Batch.BATCH * FEATURES;
        return b.y;
    }
}
