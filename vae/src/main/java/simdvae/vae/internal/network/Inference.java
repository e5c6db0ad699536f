package simdvae.vae.internal.network;

import java.util.concurrent.ConcurrentLinkedQueue;
import simdvae.core.CounterRng;
import simdvae.core.WorkerPool;
import simdvae.kernels.GaussianLossKernel;
import simdvae.kernels.Kernels;
import simdvae.kernels.LossKernel;
import simdvae.kernels.ParallelKernels;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.RngStreams;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;

/**
 * Single-threaded buffers for a model's inference (the activations of up to {@value #BATCH} rows, and scratch), and
 * in {@link Runner} how a call gets them and spreads its rows over the model's threads. Calls share nothing, so a
 * model may be used from several threads at once.
 */
public final class Inference implements AutoCloseable {
    /** Rows a pass at most. */
    public static final int BATCH = 256;

    private final ModelView vae;
    private final Runner owner;
    final ParallelKernels kernels;
    final Workspace ws;
    /** The model's weights packed by these kernels, as the current call found them (null: read from the buffer). */
    private PackedLayers weights;
    /** Per-row scratch for {@code Vae.logLikelihood}. */
    final double[] max = new double[BATCH];
    final double[] acc = new double[BATCH];
    final float[] kl = new float[BATCH];
    /** Per-row, per-column reconstruction terms, made on first use (scores per column). */
    private float[] terms;

    private Inference(ModelView vae, Runner owner) {
        this.vae = vae;
        this.owner = owner;
        this.kernels = new ParallelKernels(Kernels.of(vae.runtime().width()), new WorkerPool(1));
        this.ws = new Workspace(vae.architecture(), BATCH, vae.columnCount());
    }

    /** Rows {@code [start, start + b)} of {@code data}, scaled, through the encoder: μ and log σ² in ws.head. */
    void encode(Dataset data, int start, int b) {
        RowInput rows = vae.rows();
        int input = vae.architecture().input();
        int targets = vae.architecture().targets();
        boolean unitRange = vae.likelihood().needsUnitRange();
        for (int r = 0; r < b; r++) {
            rows.toInput(data, start + r, ws.raw, ws.x, r * input, ws.t, r * targets, unitRange, vae.unseenLevels());
        }
        if (weights != null) {
            ws.encode(kernels, weights, vae.parameters(), b);
        } else {
            ws.encode(kernels, vae.parameters(), b);
        }
    }

    /** z in ws.z → the decoder's output in ws.logits. */
    void decode(int b) {
        if (weights != null) {
            ws.decode(kernels, weights, vae.parameters(), b);
        } else {
            ws.decode(kernels, vae.parameters(), b);
        }
    }

    /** Row r's KL term from ws.head, as the loss kernel computes it (ws.dHead is scratch here). */
    float kl(int r) {
        int latent = vae.architecture().latent();
        return LossKernel.klRow(latent, 1f, ws.head, r * 2 * latent, ws.dHead, r * 2 * latent);
    }

    /**
     * The per-row negative ELBO of the batch in ws (β = 1: the plain ELBO) into ws.loss; a table's missing cells
     * count at their expected value (scores) or not at all (the likelihood of the observed cells).
     */
    void loss(int b, boolean missingAtExpectation) {
        ws.loss(kernels, vae.likelihood(), b, 1f, 1f, missingAtExpectation);
    }

    /**
     * {@link #loss} as scores count it (missing cells at their expected cost); with {@code perColumn} (null for
     * none), each row's reconstruction term per column into {@code perColumn[start + r]}.
     */
    void lossAsScores(int b, float[][] perColumn, int start) {
        if (perColumn == null) {
            loss(b, true);
            return;
        }
        int targets = vae.architecture().targets();
        if (terms == null) {
            terms = new float[BATCH * targets];
        }
        ws.lossWithTerms(kernels, vae.likelihood(), b, terms);
        Schema columns = vae.rows().features().schema();
        for (int r = 0; r < b; r++) {
            float[] row = perColumn[start + r];
            for (int j = 0; j < row.length; j++) {
                row[j] = terms[r * targets + (columns != null ? columns.group(j) : j)];
            }
        }
    }

    /** Hands the buffers back for a later call. */
    @Override
    public void close() {
        owner.giveBack(this);
    }

    /** Work on rows {@code [start, start + b)} with one thread's buffers. */
    @FunctionalInterface
    interface BatchTask {
        void run(Inference inf, int start, int b);
    }

    /**
     * Runs a model's inference work over rows: batches of at most {@value #BATCH}, on the model's threads when there
     * are enough rows (the JVM's {@link WorkerPool#shared} pool of that size: contiguous rows a thread, the lowest
     * failed part's failure thrown, as every kernel's). Each row's outputs depend on that row alone (and its index,
     * for seeded draws), never on its batch or thread, so the results are the same bits at every thread count. Idle
     * buffers are kept for later calls (one call's allocation, ~6 MB at the tutorial's size, took most of a one-row
     * encode). The weights are packed for the width's kernels once, at the first call after the parameters last changed
     * ({@link PackedLayers}), and every batch of every call reads that packing: the same bits as the weights in
     * place, and no packing of B's strips in the products.
     */
    public static final class Runner {
        /** Fewer rows than this a thread run on the caller's thread alone: a hand-off costs more than they do. */
        private static final int MIN_ROWS_PER_THREAD = 32;
        /** Idle buffers kept at most. */
        private static final int KEPT_IDLE = Runtime.getRuntime().availableProcessors();

        private final ModelView vae;
        private final ConcurrentLinkedQueue<Inference> idle = new ConcurrentLinkedQueue<>();
        /** {@code -Dsimdvae.packWeights=false} when the runner is made: products read the weights in place (A/B). */
        private final boolean packs = !"false".equals(System.getProperty("simdvae.packWeights"));
        /** The model's packing for this runner's kernels, looked up at the first call. */
        private volatile PackedLayers packed;

        /**
         * A runner for {@code vae}.
         *
         * @param vae the model
         */
        public Runner(ModelView vae) {
            this.vae = vae;
        }

        /**
         * The rows' losses, as {@code Vae.evaluate} and {@code Vae.score} combine them, and when asked for the
         * reconstruction term at z = μ per column (null otherwise).
         */
        public record RowLosses(float[] sampled, float[] atMean, float[] kl, float[][] terms) {
        }

        /**
         * μ and log σ² of each row.
         *
         * @param mu     a latent-size row per input row
         * @param logVar likewise
         */
        public record Latents(float[][] mu, float[][] logVar) {
        }

        /**
         * μ, log σ², the negative ELBO at z = μ and (when asked for) the reconstruction terms per column of each row.
         *
         * @param mu        μ of each row
         * @param logVar    log σ² of each row
         * @param score     the negative ELBO at z = μ, nats
         * @param perColumn the reconstruction term per column, or null
         */
        public record Embedded(float[][] mu, float[][] logVar, double[] score, float[][] perColumn) {
        }

        /**
         * μ and log σ² of every row.
         *
         * @param data the rows
         * @return the latents
         */
        public Latents encode(Dataset data) {
            int latent = vae.architecture().latent();
            float[][] mu = new float[data.size()][latent];
            float[][] logVar = new float[data.size()][latent];
            forBatches(data.size(), (inf, start, b) -> {
                inf.encode(data, start, b);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(inf.ws.head, r * 2 * latent, mu[start + r], 0, latent);
                    System.arraycopy(inf.ws.head, r * 2 * latent + latent, logVar[start + r], 0, latent);
                }
            });
            return new Latents(mu, logVar);
        }

        /**
         * The decoder's mean (or, with {@code logVar}, its log-variance) of each z, in the data's units.
         *
         * @param z      latent vectors
         * @param logVar whether to give log-variances
         * @return one row a z
         */
        public float[][] decode(float[][] z, boolean logVar) {
            int latent = vae.architecture().latent();
            int o = vae.architecture().outputWidth();
            Features f = vae.rows().features();
            Schema columns = f.schema();
            if (columns != null) {
                float[][] out = new float[z.length][columns.count()];
                forBatches(z.length, (inf, start, b) -> {
                    for (int r = 0; r < b; r++) {
                        System.arraycopy(z[start + r], 0, inf.ws.z, r * latent, latent);
                    }
                    inf.decode(b);
                    for (int r = 0; r < b; r++) {
                        RowOutput.decode(f, inf.ws.logits, r * o, logVar, out[start + r]);
                    }
                });
                return out;
            }
            int n = vae.architecture().input();
            boolean gaussian = vae.likelihood().hasVariance();
            float[][] out = new float[z.length][n];
            forBatches(z.length, (inf, start, b) -> {
                for (int r = 0; r < b; r++) {
                    System.arraycopy(z[start + r], 0, inf.ws.z, r * latent, latent);
                }
                inf.decode(b);
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
         * μ, log σ² and the negative ELBO at z = μ of every row: one encoder and one decoder pass.
         *
         * @param data      the rows
         * @param perColumn whether to give each row's reconstruction term per column
         * @return the embedding
         */
        public Embedded embed(Dataset data, boolean perColumn) {
            int latent = vae.architecture().latent();
            int n = data.size();
            float[][] mu = new float[n][latent];
            float[][] logVar = new float[n][latent];
            double[] score = new double[n];
            float[][] terms = perColumn ? new float[n][vae.columnCount()] : null;
            forBatches(n, (inf, start, b) -> {
                Workspace ws = inf.ws;
                inf.encode(data, start, b);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(ws.head, r * 2 * latent, mu[start + r], 0, latent);
                    System.arraycopy(ws.head, r * 2 * latent + latent, logVar[start + r], 0, latent);
                    System.arraycopy(ws.head, r * 2 * latent, ws.z, r * latent, latent);
                }
                inf.decode(b);
                inf.lossAsScores(b, terms, start);
                for (int r = 0; r < b; r++) {
                    score[start + r] = ws.loss[r];
                }
            });
            return new Embedded(mu, logVar, score, terms);
        }

        /**
         * Per row: the loss with a sampled z, the loss at z = μ, and the KL term (all as the loss kernel gives them).
         *
         * @param data      the rows
         * @param perColumn whether to give each row's reconstruction term per column at z = μ
         * @param firstRow  the index of the first row in the whole the rows continue (the draws of z are the whole's)
         * @return the losses
         */
        public RowLosses rowLosses(Dataset data, boolean perColumn, long firstRow) {
            int latent = vae.architecture().latent();
            int n = data.size();
            float[] sampled = new float[n];
            float[] atMean = new float[n];
            float[] kl = new float[n];
            float[][] terms = perColumn ? new float[n][vae.columnCount()] : null;
            CounterRng rng = new CounterRng(vae.seed());
            forBatches(n, (inf, start, b) -> {
                Workspace ws = inf.ws;
                inf.encode(data, start, b);
                for (int i = 0; i < b * latent; i++) {
                    ws.eps[i] = (float) rng.normal(RngStreams.EVAL, (firstRow + start) * latent + i);
                }
                Reparameterization.forward(b, latent, ws.head, ws.eps, ws.z);
                inf.decode(b);
                inf.loss(b, true);
                System.arraycopy(ws.loss, 0, sampled, start, b);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(ws.head, r * 2 * latent, ws.z, r * latent, latent);
                    kl[start + r] = inf.kl(r);
                }
                inf.decode(b);
                inf.lossAsScores(b, terms, start);
                System.arraycopy(ws.loss, 0, atMean, start, b);
            });
            return new RowLosses(sampled, atMean, kl, terms);
        }

        /**
         * The importance-weighted estimate of log p(x) of every row, with {@code samples} draws a row.
         *
         * @param data    the rows
         * @param samples  importance samples a row
         * @param firstRow the index of the first row in the whole the rows continue
         * @return log p(x) estimated for each row, nats
         */
        public double[] logLikelihood(Dataset data, int samples, long firstRow) {
            return ImportanceSampling.logLikelihood(this, vae, data, samples, firstRow);
        }

        void forBatches(int n, BatchTask task) {
            PackedLayers weights = weights();
            int threads = Math.min(vae.runtime().effectiveThreads(), n / MIN_ROWS_PER_THREAD);
            if (threads <= 1) {
                batches(0, n, weights, task);
            } else {
                WorkerPool.shared(threads).forEach(n, MIN_ROWS_PER_THREAD,
                        (from, to) -> batches(from, to, weights, task));
            }
        }

        /** The packed weights, packed now if the parameters changed since; null when this runner does not pack. */
        private PackedLayers weights() {
            if (!packs) {
                return null;
            }
            PackedLayers p = packed;
            if (p == null) {
                p = vae.packedWeights().forKernels(Kernels.of(vae.runtime().width()), vae.architecture());
                packed = p;
            }
            return p.current(vae.parameters());
        }

        private void batches(int from, int to, PackedLayers weights, BatchTask task) {
            try (Inference inf = take()) {
                inf.weights = weights;
                for (int start = from; start < to; start += BATCH) {
                    task.run(inf, start, Math.min(BATCH, to - start));
                }
            }
        }

        /** Buffers for one call: an idle one, or new ones when every one is in use. */
        private Inference take() {
            Inference inf = idle.poll();
            return inf != null ? inf : new Inference(vae, this);
        }

        private void giveBack(Inference inf) {
            if (idle.size() < KEPT_IDLE) {
                idle.offer(inf);
            }
        }
    }
}
