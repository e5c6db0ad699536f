package simdvae.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import simdvae.core.CounterRng;
import simdvae.core.Simd;
import simdvae.core.WorkerPool;
import simdvae.kernels.AdamKernel;
import simdvae.kernels.Kernels;
import simdvae.kernels.ParallelKernels;

/**
 * Trains a {@link Vae} with Adam on minibatches, every step through the kernels on a worker pool. Owns the
 * optimiser state (gradients, Adam moments, step count) and the pool: close it when done.
 *
 * <p>Reproducible: the epoch's order is a seeded shuffle of (seed, epoch), ε for row r of step t is drawn from
 * (seed, t, r), and every kernel is bit-identical across widths and thread counts, so the same configuration and
 * data give the same parameter bits ({@link Vae#parametersSha256()}) at every width and thread count.
 */
public final class Trainer implements AutoCloseable {
    private static final long SHUFFLE_STREAM = 4L << 40;
    private static final long EPS_STREAM = 2L << 40;

    /** What to do when a step's loss is NaN or infinite. */
    public enum NonFinitePolicy {
        /** Throw a {@link SimdvaeException} naming the step; the parameters keep their last good values. */
        STOP,
        /** Drop the step (no update) and go on. */
        SKIP_STEP
    }

    private final Vae model;
    private final VaeConfig config;
    private final Architecture arch;
    private final float[] params;
    private final float[] grads;
    private final float[] m;
    private final float[] v;
    private final WorkerPool pool;
    private final ParallelKernels kernels;
    private final Workspace ws;
    private final CounterRng rng;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private NonFinitePolicy policy = NonFinitePolicy.STOP;
    private int[] order = new int[0];
    private long step;
    private long skipped;

    /** A trainer for {@code model} with the hyperparameters, threads and width of {@code model.config()}. */
    public Trainer(Vae model) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = model.config();
        this.arch = model.architecture();
        this.params = model.parameterBuffer();
        int n = params.length;
        this.grads = new float[n];
        this.m = new float[n];
        this.v = new float[n];
        Kernels k = Kernels.of(config.width());
        this.pool = new WorkerPool(config.effectiveThreads());
        this.kernels = new ParallelKernels(k, pool);
        this.ws = new Workspace(arch, config.batch());
        this.rng = new CounterRng(config.seed());
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    public Trainer onNonFinite(NonFinitePolicy p) {
        this.policy = Objects.requireNonNull(p, "policy");
        return this;
    }

    public Vae model() {
        return model;
    }

    /** The width the kernels run at, and why. */
    public Simd.Choice width() {
        return kernels.kernels().choice();
    }

    public int threads() {
        return pool.threads();
    }

    /** Adam steps taken so far. */
    public long steps() {
        return step;
    }

    /** Steps dropped under {@link NonFinitePolicy#SKIP_STEP}. */
    public long skippedSteps() {
        return skipped;
    }

    /** Trains for {@code config.epochs()} epochs. */
    public List<TrainingListener.EpochResult> train(Dataset data) {
        List<TrainingListener.EpochResult> results = new ArrayList<>();
        for (int e = 0; e < config.epochs(); e++) {
            results.add(trainEpoch(data, e));
        }
        return results;
    }

    /** One pass over {@code data} in the seeded order of epoch {@code epoch}; the last batch may be partial. */
    public TrainingListener.EpochResult trainEpoch(Dataset data, int epoch) {
        checkData(data);
        shuffle(data.size(), epoch);
        int n = data.size();
        int batch = config.batch();
        int batches = (n + batch - 1) / batch;
        long start = System.nanoTime();
        double lossSum = 0;
        int counted = 0;
        for (int bi = 0; bi < batches; bi++) {
            int from = bi * batch;
            int b = Math.min(batch, n - from);
            double loss = step(data, from, b);
            if (!Double.isNaN(loss)) {
                lossSum += loss * b;
                counted += b;
            }
            double rate = (from + b) / ((System.nanoTime() - start) / 1e9);
            for (TrainingListener l : listeners) {
                l.onStep(epoch, step, bi, batches, loss, rate);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TrainingListener.EpochResult r = new TrainingListener.EpochResult(epoch, lossSum / Math.max(1, counted),
                seconds, n / seconds);
        for (TrainingListener l : listeners) {
            l.onEpoch(r);
        }
        return r;
    }

    /** One Adam step on rows {@code order[from .. from + b)}; returns the batch's mean loss (NaN if skipped). */
    private double step(Dataset data, int from, int b) {
        int in = arch.input();
        int k = arch.latent();
        for (int r = 0; r < b; r++) {
            data.copyRow(order[from + r], ws.x, r * in);
        }
        ws.encode(kernels, params, b);
        long t = step + 1;
        for (int i = 0; i < b * k; i++) {
            ws.eps[i] = (float) rng.normal(EPS_STREAM + t, i);
        }
        Reparameterization.forward(b, k, ws.head, ws.eps, ws.z);
        ws.decode(kernels, params, b);
        double loss = ws.loss(kernels, b, 1f / b) / b;
        if (!Double.isFinite(loss)) {
            if (policy == NonFinitePolicy.STOP) {
                throw new SimdvaeException("training diverged at step " + t + ": the loss is " + loss
                        + " (NaN or infinite inputs, or a learning rate too high; the parameters keep their values"
                        + " from step " + step + ")");
            }
            skipped++;
            step = t;
            return Double.NaN;
        }
        ws.backward(kernels, params, grads, b);
        step = t;
        float alpha = AdamKernel.alpha(config.learningRate(), config.beta1(), config.beta2(), t);
        kernels.adam(params.length, params, grads, m, v, 0, alpha, (float) config.beta1(), (float) config.beta2(),
                (float) config.epsilon());
        return loss;
    }

    private void shuffle(int n, int epoch) {
        if (order.length != n) {
            order = new int[n];
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(SHUFFLE_STREAM + epoch, i, i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    private void checkData(Dataset data) {
        if (data.size() == 0) {
            throw new SimdvaeException("the training data set is empty");
        }
        if (data.features() != arch.input()) {
            throw new SimdvaeException("the data has " + data.features() + " values per row, the model expects "
                    + arch.input());
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        pool.close();
    }
}
