package simdvae.vae.internal.training;

import simdvae.core.CounterRng;
import simdvae.core.Simd;
import simdvae.core.WorkerPool;
import simdvae.kernels.AdamKernel;
import simdvae.kernels.Kernels;
import simdvae.kernels.ParallelKernels;
import simdvae.vae.data.Dataset;
import simdvae.vae.internal.network.ModelView;
import simdvae.vae.internal.network.Reparameterization;
import simdvae.vae.internal.network.RowInput;
import simdvae.vae.internal.network.Workspace;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.RngStreams;
import simdvae.vae.model.TrainingConfig;
import simdvae.vae.table.UnseenLevels;

/**
 * The arithmetic of training steps and what it owns: the gradients, Adam's moments, the batch's activations, the
 * kernels and their worker pool. A step is {@link #forward} (rows → loss), then {@link #backward} and {@link #adam};
 * the caller decides in between what a non-finite loss means. Every array is allocated here once; a step allocates
 * nothing. Close it to stop the workers.
 */
public final class TrainingStep implements AutoCloseable {
    private final ModelView model;
    private final TrainingConfig training;
    private final Architecture arch;
    private final float[] params;
    private final float[] grads;
    private final float[] m;
    private final float[] v;
    private final WorkerPool pool;
    /** Whether {@link #close} stops the pool: false for a pool lent by another step. */
    private final boolean ownsPool;
    private final ParallelKernels kernels;
    private final Workspace ws;
    private final CounterRng rng;
    private int[] order = new int[0];

    /**
     * The step of {@code model} under {@code training} (its batch size, seed and Adam settings), on the model's
     * threads and width.
     *
     * @param model    the model, whose parameters change in place
     * @param training the run's settings
     */
    public TrainingStep(ModelView model, TrainingConfig training) {
        this(model, training, null);
    }

    /**
     * The step of {@code model} on the worker pool of {@code poolOwner} (an ensemble's members take their steps one
     * after another, all on one pool), or on a pool of its own when it is null.
     *
     * @param model     the model, whose parameters change in place
     * @param training  the run's settings
     * @param poolOwner the step whose pool this one borrows (it must outlive this one), or null
     */
    public TrainingStep(ModelView model, TrainingConfig training, TrainingStep poolOwner) {
        this.model = model;
        this.training = training;
        this.arch = model.architecture();
        this.params = model.parameters();
        int n = params.length;
        this.grads = new float[n];
        this.m = new float[n];
        this.v = new float[n];
        this.ownsPool = poolOwner == null;
        this.pool = ownsPool ? new WorkerPool(model.runtime().effectiveThreads()) : poolOwner.pool;
        this.kernels = new ParallelKernels(Kernels.of(model.runtime().width()), pool);
        this.ws = new Workspace(arch, training.batch(), model.columnCount());
        this.rng = new CounterRng(training.seed());
    }

    /**
     * Adam's first moments (the live array: a checkpoint reads it, a resumed run fills it).
     *
     * @return the moments
     */
    public float[] m() {
        return m;
    }

    /**
     * Adam's second moments (the live array).
     *
     * @return the moments
     */
    public float[] v() {
        return v;
    }

    /**
     * The width the kernels run at, and why.
     *
     * @return the choice
     */
    public Simd.Choice choice() {
        return kernels.kernels().choice();
    }

    /**
     * Threads the kernels run on, the caller's included.
     *
     * @return the count
     */
    public int threads() {
        return pool.threads();
    }

    /**
     * Draws epoch {@code epoch}'s order of {@code n} rows: a seeded permutation of (seed, epoch).
     *
     * @param n     rows
     * @param epoch the epoch
     */
    public void shuffle(int n, int epoch) {
        if (order.length != n) {
            order = new int[n];
        }
        rng.permutation(order, RngStreams.SHUFFLE + epoch);
    }

    /**
     * Rows {@code order[from .. from + b)} of the epoch's order through the network with KL weight {@code beta}, for
     * step {@code t} (its ε are drawn from (seed, t)): the batch's mean negative ELBO, and the output gradients.
     *
     * @param data the training rows
     * @param from the first position in the epoch's order
     * @param b    rows in the batch
     * @param beta the KL weight
     * @param t    the step's number, from 1
     * @return the batch's mean loss (possibly not finite)
     */
    public double forward(Dataset data, int from, int b, float beta, long t) {
        int in = arch.input();
        int latent = arch.latent();
        RowInput rows = model.rows();
        boolean unitRange = model.likelihood().needsUnitRange();
        for (int r = 0; r < b; r++) {
            rows.toInput(data, order[from + r], ws.raw, ws.x, r * in, ws.t, r * arch.targets(), unitRange,
                    UnseenLevels.ERROR);
        }
        ws.encode(kernels, params, b);
        for (int i = 0; i < b * latent; i++) {
            ws.eps[i] = (float) rng.normal(RngStreams.EPS + t, i);
        }
        Reparameterization.forward(b, latent, ws.head, ws.eps, ws.z);
        ws.decode(kernels, params, b);
        return ws.loss(kernels, model.likelihood(), b, 1f / b, beta, false) / b;
    }

    /**
     * Back from the loss of the last {@link #forward} to every parameter's gradient.
     *
     * @param b rows in the batch
     */
    public void backward(int b) {
        ws.backward(kernels, params, grads, b);
    }

    /**
     * Adam's update of every parameter for step {@code t}, in place: the model's packed weights are stale after it.
     *
     * @param t the step's number, from 1
     */
    public void adam(long t) {
        float alpha = AdamKernel.alpha(training.learningRate(), training.beta1(), training.beta2(), t);
        kernels.adam(params.length, params, grads, m, v, 0, alpha, (float) training.beta1(),
                (float) training.beta2(), (float) training.epsilon());
        model.packedWeights().parametersChanged();
    }

    /**
     * Reads every row of {@code data} as a step would, so that a bad value or a level the model never had is refused
     * before anything else happens.
     *
     * @param data the training rows
     */
    public void checkRows(Dataset data) {
        RowInput rows = model.rows();
        boolean unitRange = model.likelihood().needsUnitRange();
        for (int i = 0; i < data.size(); i++) {
            rows.toInput(data, i, ws.raw, ws.x, 0, ws.t, 0, unitRange, UnseenLevels.ERROR);
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }
}
