package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import simdvae.core.BitEquality;
import simdvae.kernels.BernoulliLossScalar;
import simdvae.kernels.GaussianLossScalar;
import simdvae.kernels.LossBatch;
import simdvae.kernels.LossKernel;
import simdvae.kernels.LossLayout;
import simdvae.kernels.MixedLossScalar;

/**
 * The fused loss-and-gradient kernels over one minibatch of 50 rows; {@code elements} counts features per second.
 * {@code bernoulli}: Bernoulli (BCE) + KL on 784 pixels. {@code gaussian}: Gaussian + KL on 392 features, so its
 * decoder output [mean | log σ²] is the same 50×784 array. {@code mixed}: a mixed table's loss ({@link #MIXED}: 16
 * numeric, 4 two-level and 12 categorical columns, a tenth of the cells missing), counted in decoder outputs.
 */
public class LossBench extends KernelBench {
    static final int FEATURES = Batch.PIXELS / 2;

    /** 16 Gaussian, 4 Bernoulli and 12 categorical columns of 2 to 40 levels: 156 decoder outputs a row. */
    static final LossLayout MIXED = LossLayout.of(16, 4, 3, 5, 8, 12, 4, 6, 10, 20, 40, 3, 7, 2);

    private LossBatch bernoulli;
    private LossBatch gaussian;
    private LossBatch mixed;
    private float[] mixedTargets;

    @Setup
    public void check(Batch b) {
        bernoulli = arguments(b, Batch.PIXELS, 1, b.y, b.dHead, b.loss);
        gaussian = arguments(b, FEATURES, 2, b.y, b.dHead, b.loss);
        requireSameAsReference(b, BernoulliLossScalar.INSTANCE, Batch.PIXELS, () -> bernoulli(b, new Counters()), "Bernoulli loss");
        requireSameAsReference(b, GaussianLossScalar.INSTANCE, FEATURES, () -> gaussian(b, new Counters()),
                "Gaussian loss");
        mixedTargets = mixedTargets();
        mixed = mixedArguments(b, b.y, b.dHead, b.loss);
        float[] dOut = new float[b.size()];
        float[] dHead = new float[b.dHead.length];
        float[] loss = new float[b.loss.length];
        MixedLossScalar.INSTANCE.lossAndGradient(mixedArguments(b, dOut, dHead, loss), 0, Batch.BATCH);
        mixed(b, new Counters());
        int used = Batch.BATCH * MIXED.outputColumns();
        BitEquality.require(java.util.Arrays.copyOf(dOut, used), java.util.Arrays.copyOf(b.y, used),
                "mixed loss output gradient at " + b.width);
        BitEquality.require(dHead, b.dHead, "mixed loss head gradient at " + b.width);
        BitEquality.require(loss, b.loss, "mixed loss values at " + b.width);
    }

    /** Valid targets for {@link #MIXED}, one in ten missing (NaN). */
    private static float[] mixedTargets() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        int groups = MIXED.groups();
        float[] t = new float[Batch.BATCH * groups];
        for (int i = 0; i < t.length; i++) {
            int g = i % groups;
            t[i] = r.nextInt(10) == 0 ? Float.NaN : g < MIXED.gaussian() ? (float) r.nextGaussian()
                    : g < MIXED.gaussian() + MIXED.bernoulli() ? r.nextInt(2)
                    : r.nextInt(MIXED.levels(g - MIXED.gaussian() - MIXED.bernoulli()));
        }
        return t;
    }

    private LossBatch mixedArguments(Batch b, float[] dOut, float[] dHead, float[] loss) {
        int cols = MIXED.outputColumns();
        return new LossBatch().sizes(Batch.BATCH, 0, Batch.LATENT).layout(MIXED).output(b.x, 0, cols)
                .targets(mixedTargets, 0, MIXED.groups()).head(b.head, 0, 2 * Batch.LATENT)
                .outputGradient(dOut, 0, cols).headGradient(dHead, 0, 2 * Batch.LATENT).losses(loss, 0)
                .weights(1f / Batch.BATCH, 1f);
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
        return b.counted(c);
    }

    @Benchmark
    public float[] mixed(Batch b, Counters c) {
        b.k.mixedLoss().lossAndGradient(mixed, 0, Batch.BATCH);
        c.elements += Batch.BATCH * MIXED.outputColumns();
        return b.y;
    }

    @Benchmark
    public float[] gaussian(Batch b, Counters c) {
        b.k.gaussianLoss().lossAndGradient(gaussian, 0, Batch.BATCH);
        c.elements += Batch.BATCH * FEATURES;
        return b.y;
    }
}
