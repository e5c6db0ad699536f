package simdvae.vae;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import simdvae.core.CounterRng;
import simdvae.core.Width;
import simdvae.core.WorkerPool;
import simdvae.kernels.GaussianLossKernel;
import simdvae.kernels.Kernels;
import simdvae.kernels.LossKernel;
import simdvae.kernels.ParallelKernels;

/**
 * A variational autoencoder: its {@link Architecture}, its parameters (all in one float buffer), its likelihood and
 * what it knows of its input columns ({@link Features}: names and the scaling fitted on the training data).
 * Inference ({@link #encode}, {@link #decode}, {@link #reconstruct}, {@link #sample}, {@link #evaluate},
 * {@link #score}, {@link #logLikelihood}) takes raw rows, may run from several threads at once, and gives the same
 * bits at every width and thread count; training goes through a {@link Trainer}, which owns the optimiser state.
 */
public final class Vae {
    private static final int INFERENCE_BATCH = 256;
    /** Fewer rows than this per thread run on the caller's thread alone: a hand-off costs more than they do. */
    private static final int MIN_ROWS_PER_THREAD = 32;
    /** Idle inference buffers kept for later calls (~6 MB each at the tutorial's size). */
    private static final int KEPT_IDLE = Runtime.getRuntime().availableProcessors();
    /** Helper threads for inference on many rows, shared by every model (see {@link #forBatches}). */
    private static final ExecutorService HELPERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("simdvae-inference-", 1).factory());

    private final VaeConfig config;
    private final Architecture arch;
    private final float[] params;
    private volatile Features features;
    private volatile boolean fitted;
    /** Idle inference buffers, reused by later calls: one call allocated ~6 MB and took most of a 1-row encode. */
    private final ConcurrentLinkedQueue<Inference> idle =
            new ConcurrentLinkedQueue<>();

    Vae(VaeConfig config, float[] params, Features features, boolean fitted) {
        this.config = config;
        this.arch = Architecture.of(config);
        if (params.length != arch.parameterCount()) {
            throw new SimdvaeException("parameter count " + params.length + " does not match " + arch + " ("
                    + arch.parameterCount() + ")");
        }
        this.params = params;
        this.features = features;
        this.fitted = fitted;
    }

    /**
     * A new model, drawn from {@code config.seed()}: Glorot-uniform weights and zero biases (Keras's defaults, the
     * tutorial's), or PyTorch's {@code nn.Linear} defaults (see {@link VaeConfig.Init}).
     *
     * @param config the model and run
     * @return the new model
     */
    public static Vae create(VaeConfig config) {
        Architecture arch = Architecture.of(config);
        float[] p = new float[arch.parameterCount()];
        CounterRng rng = new CounterRng(config.seed());
        int layer = 0;
        for (Dense d : arch.layers()) {
            boolean torch = config.init() == VaeConfig.Init.PYTORCH;
            double limit = torch ? 1 / Math.sqrt(d.in()) : Math.sqrt(6.0 / (d.in() + d.out()));
            for (int i = 0; i < d.in() * d.out(); i++) {
                p[d.weightOffset() + i] = (float) ((2 * rng.uniform(RngStreams.INIT + layer, i) - 1) * limit);
            }
            for (int i = 0; torch && i < d.out(); i++) {
                p[d.biasOffset() + i] = (float) ((2 * rng.uniform(RngStreams.BIAS + layer, i) - 1) * limit);
            }
            layer++;
        }
        return new Vae(config, p, Features.identity(), false);
    }

    /**
     * A model of {@code config} with the given parameters (in {@link Architecture} order, not copied) and features,
     * as a trainer that is not ours (data-parallel training, say) produced them.
     *
     * @param config   the model
     * @param params   its parameters
     * @param features its fitted scaling and names
     * @return the model
     */
    public static Vae of(VaeConfig config, float[] params, Features features) {
        return new Vae(config, params, features, true);
    }

    /**
     * The model's configuration.
     *
     * @return the configuration
     */
    public VaeConfig config() {
        return config;
    }

    /**
     * This model running inference at another SIMD width: a view that shares its parameters and features (the results
     * are the same bits; only the speed differs).
     *
     * @param width the width inference runs at
     * @return the view
     */
    public Vae withWidth(Width width) {
        return new Vae(config.withWidth(width), params, features, fitted);
    }

    /**
     * This model running inference on {@code threads} threads (0: every processor): a view that shares its parameters
     * and features (the results are the same bits; only the speed differs).
     *
     * @param threads threads for inference on many rows
     * @return the view
     */
    public Vae withThreads(int threads) {
        return new Vae(config.withThreads(threads), params, features, fitted);
    }

    /**
     * The architecture.
     *
     * @return the layers and the parameter layout
     */
    public Architecture architecture() {
        return arch;
    }

    /**
     * A copy of the parameters, in {@link Architecture} order.
     *
     * @return the copy
     */
    public float[] parameters() {
        return params.clone();
    }

    /** The live buffer, for the trainer. */
    float[] parameterBuffer() {
        return params;
    }

    /**
     * The decoder's distribution.
     *
     * @return Bernoulli or Gaussian
     */
    public Likelihood likelihood() {
        return config.likelihood();
    }

    /**
     * Column names and the fitted scaling (no names and no scaling before the first training).
     *
     * @return the features
     */
    public Features features() {
        return features;
    }

    /** Fits the scaling and takes the column names from the first training data; later calls change nothing. */
    synchronized Features fitTo(Dataset data) {
        if (!fitted) {
            features = Features.fit(config.effectiveScaling(), data);
            fitted = true;
        }
        return features;
    }

    /** Whether {@link #fitTo} has run (a loaded or resumed model counts as fitted). */
    boolean fitted() {
        return fitted;
    }

    /**
     * SHA-256 of the parameters as little-endian IEEE floats: equal hashes, bit-identical models.
     *
     * @return 64 hex digits
     */
    public String parametersSha256() {
        ByteBuffer bytes = ByteBuffer.allocate(params.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(params);
        return ModelFile.sha256Hex(bytes.array());
    }

    /**
     * μ and log σ² of each row.
     *
     * @param mu     a latent-size row per input row
     * @param logVar likewise
     */
    public record Encoding(float[][] mu, float[][] logVar) {
    }

    /**
     * Encodes raw rows (scaled as the model was fitted; values in [0, 1] for an unscaled Bernoulli model).
     *
     * @param x the rows
     * @return μ and log σ² of each
     */
    public Encoding encode(float[][] x) {
        return encode(Dataset.of(x));
    }

    /**
     * Encodes every row of a data set.
     *
     * @param data the rows
     * @return μ and log σ² of each
     */
    public Encoding encode(Dataset data) {
        checkFeatures(data);
        int latent = arch.latent();
        float[][] mu = new float[data.size()][latent];
        float[][] logVar = new float[data.size()][latent];
        forBatches(data.size(), (inf, start, b) -> {
            inf.encode(data, start, b);
            for (int r = 0; r < b; r++) {
                System.arraycopy(inf.ws.head, r * 2 * latent, mu[start + r], 0, latent);
                System.arraycopy(inf.ws.head, r * 2 * latent + latent, logVar[start + r], 0, latent);
            }
        });
        return new Encoding(mu, logVar);
    }

    /**
     * Decodes latent vectors to the decoder's mean in the data's units: pixel probabilities for a Bernoulli model
     * (unscaled if it was fitted with min-max scaling), the Gaussian's mean for a Gaussian one.
     *
     * @param z latent vectors
     * @return the decoder's mean for each, in the data's units
     */
    public float[][] decode(float[][] z) {
        return decode(z, false);
    }

    /**
     * The Gaussian decoder's log-variance per feature (log σ², in the data's units: the model's log σ² plus twice the
     * log of the feature's scale). A Bernoulli model has none.
     *
     * @param z latent vectors
     * @return log σ² per feature for each, in the data's units
     */
    public float[][] decodeLogVar(float[][] z) {
        if (!config.likelihood().hasVariance()) {
            throw new SimdvaeException("a " + config.likelihood().label() + " model has no output log-variance");
        }
        return decode(z, true);
    }

    private float[][] decode(float[][] z, boolean logVar) {
        int latent = arch.latent();
        int n = arch.input();
        int o = arch.outputWidth();
        Features f = features;
        boolean gaussian = config.likelihood().hasVariance();
        for (int i = 0; i < z.length; i++) {
            if (z[i].length != latent) {
                throw new SimdvaeException("latent vector " + i + " has " + z[i].length
                        + " values, the model's latent size is " + latent);
            }
        }
        float[][] out = new float[z.length][n];
        forBatches(z.length, (inf, start, b) -> {
            for (int r = 0; r < b; r++) {
                System.arraycopy(z[start + r], 0, inf.ws.z, r * latent, latent);
            }
            inf.ws.decode(inf.kernels, params, b);
            if (!gaussian) {
                inf.kernels.sigmoid(inf.ws.logits, 0, inf.ws.logits, 0, b * o);
            }
            for (int r = 0; r < b; r++) {
                float[] row = out[start + r];
                for (int j = 0; j < n; j++) {
                    row[j] = logVar
                            ? f.unscaleLogVar(GaussianLossKernel.logVar(inf.ws.logits[r * o + n + j]), j)
                            : f.unscale(inf.ws.logits[r * o + j], j);
                }
            }
        });
        return out;
    }

    /**
     * Decodes each row's μ: the model's reconstruction of its input, in the input's units.
     *
     * @param x the rows
     * @return their reconstructions
     */
    public float[][] reconstruct(float[][] x) {
        return decode(encode(x).mu());
    }

    /**
     * {@link #reconstruct(float[][])} of every row of a data set.
     *
     * @param data the rows
     * @return their reconstructions
     */
    public float[][] reconstruct(Dataset data) {
        return decode(encode(data).mu());
    }

    /**
     * New rows from z ~ N(0, I), drawn from {@code seed}: the decoder's mean (see {@link #decode}).
     *
     * @param n    how many
     * @param seed the draws' seed
     * @return the new rows
     */
    public float[][] sample(int n, long seed) {
        if (n < 1) {
            throw new SimdvaeException("number of samples must be at least 1, got " + n);
        }
        CounterRng rng = new CounterRng(seed);
        float[][] z = new float[n][arch.latent()];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < arch.latent(); q++) {
                z[i][q] = (float) rng.normal(0, (long) i * arch.latent() + q);
            }
        }
        return decode(z);
    }

    /**
     * Mean per-sample loss (the negative ELBO: the reconstruction's negative log-likelihood + KL, in nats) on a data
     * set.
     *
     * @param sampled with one z drawn per sample (seeded, so repeatable)
     * @param atMean  with z = μ
     */
    public record Evaluation(double sampled, double atMean) {
    }

    /**
     * The mean per-sample loss on a data set.
     *
     * @param data the rows
     * @return the mean losses
     */
    public Evaluation evaluate(Dataset data) {
        RowLosses l = rowLosses(data);
        double sampled = 0;
        double atMean = 0;
        for (int i = 0; i < data.size(); i++) {
            sampled += l.sampled[i];
            atMean += l.atMean[i];
        }
        return new Evaluation(sampled / data.size(), atMean / data.size());
    }

    /**
     * Per-row scores, in nats, for anomaly detection: higher is more anomalous.
     *
     * @param negativeElbo   the negative ELBO with one z ~ q(z|x) drawn per row (seeded: row i of a data set always
     *                       gets the same draw), as in {@link #evaluate}
     * @param reconstruction the reconstruction's negative log-likelihood −log p(x|z) at z = μ
     * @param kl             KL(q(z|x) ‖ N(0, I))
     */
    public record Scores(double[] negativeElbo, double[] reconstruction, double[] kl) {
    }

    /**
     * {@link Scores} of every row of {@code data} (raw rows, scaled as the model was fitted).
     *
     * @param data the rows
     * @return the scores, per row
     */
    public Scores score(Dataset data) {
        RowLosses l = rowLosses(data);
        double[] recon = new double[data.size()];
        for (int i = 0; i < recon.length; i++) {
            recon[i] = (double) l.atMean[i] - l.kl[i];
        }
        return new Scores(toDouble(l.sampled), recon, toDouble(l.kl));
    }

    /**
     * What an embedding application keeps of each row: μ, log σ² and a score that depends on the row alone, the
     * negative ELBO at z = μ (nats; {@link Scores#reconstruction()} + {@link Scores#kl()} of {@link #score}, the
     * same bits). One encoder and one decoder pass.
     *
     * @param mu     μ of each row
     * @param logVar log σ² of each row
     * @param score  the negative ELBO at z = μ of each row, nats
     */
    public record Embedding(float[][] mu, float[][] logVar, double[] score) {
    }

    /**
     * {@link Embedding} of every row of {@code data} (raw rows, scaled as the model was fitted).
     *
     * @param data the rows
     * @return the embedding, per row
     */
    public Embedding embed(Dataset data) {
        checkFeatures(data);
        int latent = arch.latent();
        int n = data.size();
        float[][] mu = new float[n][latent];
        float[][] logVar = new float[n][latent];
        double[] score = new double[n];
        forBatches(n, (inf, start, b) -> {
            Workspace ws = inf.ws;
            inf.encode(data, start, b);
            for (int r = 0; r < b; r++) {
                System.arraycopy(ws.head, r * 2 * latent, mu[start + r], 0, latent);
                System.arraycopy(ws.head, r * 2 * latent + latent, logVar[start + r], 0, latent);
                System.arraycopy(ws.head, r * 2 * latent, ws.z, r * latent, latent);
            }
            ws.decode(inf.kernels, params, b);
            inf.loss(b);
            for (int r = 0; r < b; r++) {
                score[start + r] = ws.loss[r];
            }
        });
        return new Embedding(mu, logVar, score);
    }

    private record RowLosses(float[] sampled, float[] atMean, float[] kl) {
    }

    /** Per row: the loss with a sampled z, the loss at z = μ, and the KL term (all as the loss kernel gives them). */
    private RowLosses rowLosses(Dataset data) {
        checkFeatures(data);
        int latent = arch.latent();
        int n = data.size();
        float[] sampled = new float[n];
        float[] atMean = new float[n];
        float[] kl = new float[n];
        CounterRng rng = new CounterRng(config.seed());
        forBatches(n, (inf, start, b) -> {
            Workspace ws = inf.ws;
            inf.encode(data, start, b);
            for (int i = 0; i < b * latent; i++) {
                ws.eps[i] = (float) rng.normal(RngStreams.EVAL, (long) start * latent + i);
            }
            Reparameterization.forward(b, latent, ws.head, ws.eps, ws.z);
            ws.decode(inf.kernels, params, b);
            inf.loss(b);
            System.arraycopy(ws.loss, 0, sampled, start, b);
            for (int r = 0; r < b; r++) {
                System.arraycopy(ws.head, r * 2 * latent, ws.z, r * latent, latent);
                kl[start + r] = inf.kl(r);
            }
            ws.decode(inf.kernels, params, b);
            inf.loss(b);
            System.arraycopy(ws.loss, 0, atMean, start, b);
        });
        return new RowLosses(sampled, atMean, kl);
    }

    /**
     * The importance-weighted estimate of log p(x) for every row (Burda et al., the metric VAE papers report): {@code
     * log (1/k) Σ_s p(x|z_s)·p(z_s)/q(z_s|x)} over {@code samples} draws z_s ~ q(z|x), in nats. The draws are seeded
     * per row and sample, and the log-mean-exp runs in double in sample order, so the result is the same at every
     * width and thread count. With k = 1 it is a one-sample ELBO; it rises towards log p(x) as k grows. Costs {@code
     * samples} decoder passes per row.
     *
     * @param data    the rows
     * @param samples importance samples a row, at least 1
     * @return log p(x) estimated for each row, nats
     */
    public double[] logLikelihood(Dataset data, int samples) {
        if (samples < 1) {
            throw new SimdvaeException("the number of importance samples must be at least 1, got " + samples);
        }
        checkFeatures(data);
        int latent = arch.latent();
        int n = data.size();
        double[] out = new double[n];
        CounterRng rng = new CounterRng(config.seed());
        forBatches(n, (inf, start, b) -> {
            Workspace ws = inf.ws;
            double[] max = inf.max;
            double[] acc = inf.acc;
            float[] kl = inf.kl;
            inf.encode(data, start, b);
            for (int r = 0; r < b; r++) {
                kl[r] = inf.kl(r);
                max[r] = Double.NEGATIVE_INFINITY;
                acc[r] = 0;
            }
            for (int s = 0; s < samples; s++) {
                for (int r = 0; r < b; r++) {
                    long base = ((long) (start + r) * samples + s) * latent;
                    for (int q = 0; q < latent; q++) {
                        ws.eps[r * latent + q] = (float) rng.normal(RngStreams.IW, base + q);
                    }
                }
                Reparameterization.forward(b, latent, ws.head, ws.eps, ws.z);
                ws.decode(inf.kernels, params, b);
                inf.loss(b);
                for (int r = 0; r < b; r++) {
                    // log p(x|z) + log p(z) − log q(z|x); the log 2π of the two Gaussians cancel
                    double logW = -((double) ws.loss[r] - kl[r]);
                    for (int q = 0; q < latent; q++) {
                        double lv = ws.head[r * 2 * latent + latent + q];
                        double e = ws.eps[r * latent + q];
                        double z = ws.z[r * latent + q];
                        logW += 0.5 * (lv + e * e - z * z);
                    }
                    // a running log-sum-exp, in sample order
                    if (logW > max[r]) {
                        acc[r] = acc[r] * Math.exp(max[r] - logW) + 1;
                        max[r] = logW;
                    } else {
                        acc[r] += Math.exp(logW - max[r]);
                    }
                }
            }
            for (int r = 0; r < b; r++) {
                out[start + r] = max[r] + Math.log(acc[r] / samples);
            }
        });
        return out;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /**
     * Writes the model file (see {@link ModelFile}); atomically replaces {@code file}.
     *
     * @param file where
     */
    public void save(Path file) {
        ModelFile.write(file, this);
    }

    /**
     * The model file's bytes (what {@link #save} writes), to ship a model without a file system.
     *
     * @return the bytes
     */
    public byte[] toBytes() {
        return ModelFile.bytes(this);
    }

    /**
     * A model from {@link #toBytes}; {@code name} says where the bytes came from in error messages.
     *
     * @param bytes a model file's bytes
     * @param name  what to call them in messages
     * @return the model
     */
    public static Vae fromBytes(byte[] bytes, String name) {
        return ModelFile.parse(bytes, name);
    }

    /**
     * Reads a model file written by {@link #save}.
     *
     * @param file the model file
     * @return the model
     */
    public static Vae load(Path file) {
        return ModelFile.read(file);
    }

    private void checkFeatures(Dataset data) {
        checkShape(data, arch.input(), "the data set");
    }

    /**
     * The one check of a data set against a model: not empty, and as many values a row as the model's input.
     *
     * @param data  the data
     * @param input the model's input width
     * @param what  what the data is, for the message ("the training data set")
     * @throws SimdvaeException naming {@code what} when the data does not fit
     */
    public static void checkShape(Dataset data, int input, String what) {
        if (data.size() == 0) {
            throw new SimdvaeException(what + " is empty");
        }
        if (data.columns() != input) {
            throw new SimdvaeException(what + " has " + data.columns() + " values a row, the model expects " + input);
        }
    }

    /** Work on rows {@code [start, start + b)} with one thread's buffers. */
    @FunctionalInterface
    private interface BatchTask {
        void run(Inference inf, int start, int b);
    }

    /**
     * Runs {@code task} over {@code n} rows in batches of at most {@value #INFERENCE_BATCH}. With more rows than
     * one thread should take alone, the model's threads (the caller and helpers from a shared pool of daemon threads
     * that end after a second idle) take equal batches in turn. Each row's outputs depend on that row alone (and its
     * index, for seeded draws), never on its batch or thread, so the results are the same bits at every thread count.
     */
    private void forBatches(int n, BatchTask task) {
        int threads = Math.min(config.effectiveThreads(), n / MIN_ROWS_PER_THREAD);
        if (threads <= 1) {
            try (Inference inf = inference()) {
                for (int start = 0; start < n; start += INFERENCE_BATCH) {
                    task.run(inf, start, Math.min(INFERENCE_BATCH, n - start));
                }
            }
            return;
        }
        // as many equal batches as a multiple of the thread count needs to keep each within the maximum
        int rounds = (n + threads * INFERENCE_BATCH - 1) / (threads * INFERENCE_BATCH);
        int size = (n + threads * rounds - 1) / (threads * rounds);
        int batches = (n + size - 1) / size;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            try (Inference inf = inference()) {
                for (int q; (q = next.getAndIncrement()) < batches; ) {
                    int start = q * size;
                    task.run(inf, start, Math.min(size, n - start));
                }
            }
        };
        Future<?>[] helpers = new Future<?>[threads - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = HELPERS.submit(work);
        }
        Throwable failure = null;
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(batches);
        }
        boolean interrupted = false;
        for (Future<?> h : helpers) {
            while (true) {
                try {
                    h.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : e.getCause();
                    next.set(batches);
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Buffers for one inference call: an idle one, or new ones when every one is in use (calls share nothing). */
    private Inference inference() {
        Inference inf = idle.poll();
        return inf != null ? inf : new Inference();
    }

    /**
     * Single-threaded buffers for one inference call, so concurrent calls share nothing; {@link #close} hands them
     * back for the next call (at most one per processor is kept).
     */
    private final class Inference implements AutoCloseable {
        final ParallelKernels kernels = new ParallelKernels(Kernels.of(config.width()), new WorkerPool(1));
        final Workspace ws = new Workspace(arch, INFERENCE_BATCH);
        final boolean unitRange = config.likelihood().needsUnitRange();
        /** Per-row scratch for {@link #logLikelihood}. */
        final double[] max = new double[INFERENCE_BATCH];
        final double[] acc = new double[INFERENCE_BATCH];
        final float[] kl = new float[INFERENCE_BATCH];

        /** Rows {@code [start, start + b)} of {@code data}, scaled, through the encoder: μ and log σ² in ws.head. */
        void encode(Dataset data, int start, int b) {
            Features f = features;
            for (int r = 0; r < b; r++) {
                f.load(data, start + r, ws.x, r * arch.input(), unitRange);
            }
            ws.encode(kernels, params, b);
        }

        /** Row r's KL term from ws.head, as the loss kernel computes it (ws.dHead is scratch here). */
        float kl(int r) {
            int latent = arch.latent();
            return LossKernel.klRow(latent, 1f, ws.head, r * 2 * latent, ws.dHead, r * 2 * latent);
        }

        /** The per-row negative ELBO of the batch in ws (β = 1: the plain ELBO) into ws.loss. */
        void loss(int b) {
            ws.loss(kernels, config.likelihood(), b, 1f, 1f);
        }

        @Override
        public void close() {
            if (idle.size() < KEPT_IDLE) {
                idle.offer(this);
            }
        }
    }
}
