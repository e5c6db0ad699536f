package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import simdvae.core.CounterRng;
import simdvae.core.Simd;
import simdvae.core.Width;
import simdvae.core.WorkerPool;
import simdvae.kernels.AdamKernel;
import simdvae.kernels.Kernels;
import simdvae.kernels.ParallelKernels;

/**
 * Trains a {@link Vae} with Adam on minibatches, every step through the kernels on a worker pool. Owns the
 * optimiser state (gradients, Adam moments, step count) and the pool: close it when done.
 *
 * <p>Reproducible: the epoch's order is a seeded shuffle of (seed, epoch), ε for row r of step t is drawn from
 * (seed, t, r), the KL weight of a step is a function of its position, and every kernel is bit-identical across
 * widths and thread counts, so the same configuration and data give the same parameter bits
 * ({@link Vae#parametersSha256()}) at every width and thread count.
 *
 * <p>The first training data fits the model's {@link Features} (scaling and column names). With
 * {@link #validateOn} the loss on held-out data is measured after every epoch; with {@link #earlyStopping} training
 * stops after that many epochs without improvement, and {@link #train} ends with the best epoch's parameters.
 * Reported losses are the negative ELBO (β = 1) whatever the KL weight: comparable across runs.
 *
 * <p>Long because it is the one owner of a run's state (parameters, Adam's moments, position, early stopping,
 * checkpoints, warm starts) and documents each entry point; a step's arithmetic lives in {@code Workspace} and the
 * kernels.
 */
public final class Trainer implements AutoCloseable {
    /**
     * Thrown by {@link #trainEpoch}, {@link #train} and {@link #trainSteps} at the step boundary after
     * {@link #requestStop}: the state is whole there (a checkpoint saved now resumes exactly).
     */
    public static final class StoppedException extends SimdvaeException {
        private static final long serialVersionUID = 1L;
        /** Steps taken when training stopped. */
        private final long step;

        StoppedException(long step, int epoch, int batch) {
            super("training stopped at step " + step + " (epoch " + (epoch + 1) + ", batch " + batch + ")");
            this.step = step;
        }

        /**
         * Steps taken when training stopped.
         *
         * @return the step count
         */
        public long step() {
            return step;
        }
    }

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
    // Saved by a checkpoint (with params, m and v): where the run stands, and early stopping's record.
    private Position at = new Position();
    private EarlyStopping stopping = new EarlyStopping();
    // Settings of this process and a cache, not saved: a resumed run sets them again.
    private long checkpointEvery;
    private Path checkpointFile;
    private Dataset validation;
    /** The data set whose rows were last checked (checked once, not every epoch). */
    private Dataset checked;
    /** The loss of the steps of the current {@link #trainSteps} call (not saved: a call's own tally). */
    private double runLoss;
    private long runCounted;
    private volatile boolean stopRequested;

    /**
     * A trainer for {@code model} with the hyperparameters, threads and width of {@code model.config()}.
     *
     * @param model the model to train (its parameters change in place)
     */
    public Trainer(Vae model) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = model.config();
        this.arch = model.architecture();
        this.params = model.parameterBuffer();
        int n = params.length;
        this.grads = new float[n];
        this.m = new float[n];
        this.v = new float[n];
        this.pool = new WorkerPool(config.effectiveThreads());
        this.kernels = new ParallelKernels(Kernels.of(config.width()), pool);
        this.ws = new Workspace(arch, config.batch(), model.dataColumns());
        this.rng = new CounterRng(config.seed());
    }

    /**
     * Continues the run saved in {@code file} (see {@link #checkpointEvery}). Threads and width may differ from the
     * original run's: the result does not depend on them.
     *
     * @param file    the checkpoint
     * @param threads threads for the rest of the run (0: every processor)
     * @param width   the SIMD width for the rest of the run
     * @return a trainer where the saved one stood
     */
    public static Trainer resume(Path file, int threads, Width width) {
        Checkpoint c = Checkpoint.read(file);
        Vae model = new Vae(c.config().withThreads(threads).withWidth(width), c.params(), c.features(), true);
        Trainer t = new Trainer(model);
        t.restore(c.m(), c.v(), c.position());
        t.stopping = c.stopping();
        return t;
    }

    /**
     * A new run that goes on training a trained model (on new rows, say) under {@code run}: the model's parameters,
     * scaling and levels are kept (a level or a column its training never had is an error, as in scoring), Adam
     * starts afresh, and after training the model's reference scores are computed anew ({@link #finish}). The
     * model itself is not changed: the trainer trains a copy, {@link #model()}.
     *
     * @param from a trained model
     * @param run  the run's configuration: the model's own with other run settings ({@code from.config()
     *             .withEpochs(5).withLearningRate(1e-4)}, say); its architecture, likelihood and scaling must be the
     *             model's
     * @return the trainer
     * @throws SimdvaeException when {@code run} describes another architecture
     */
    public static Trainer warmStart(Vae from, VaeConfig run) {
        VaeConfig c = sameModel(from.config(), run);
        return new Trainer(new Vae(c, from.parameters(), from.features(), true));
    }

    /**
     * {@link #warmStart(Vae, VaeConfig)} from a checkpoint: Adam's moments and step count carry over too, so the new
     * run continues the optimiser where the saved run stood (its epochs and early stopping start afresh).
     *
     * @param checkpoint a checkpoint file ({@link #checkpointEvery})
     * @param run        the run's configuration, of the checkpoint's architecture
     * @return the trainer
     */
    public static Trainer warmStart(Path checkpoint, VaeConfig run) {
        Checkpoint c = Checkpoint.read(checkpoint);
        Trainer t = new Trainer(new Vae(sameModel(c.config(), run), c.params(), c.features(), true));
        t.restore(c.m(), c.v(), Position.startingAt(c.position().step()));
        return t;
    }

    /** {@code run}, checked to describe {@code model}'s network (input, layers, latent, likelihood, scaling). */
    private static VaeConfig sameModel(VaeConfig model, VaeConfig run) {
        if (model.input() != run.input() || !model.hidden().equals(run.hidden()) || model.latent() != run.latent()
                || model.likelihood() != run.likelihood() || model.effectiveScaling() != run.effectiveScaling()) {
            throw new SimdvaeException("the run describes another model (input " + run.input() + ", hidden "
                    + run.hidden() + ", latent " + run.latent() + ", " + run.likelihood().label() + ", scaling "
                    + run.effectiveScaling().label() + ") than the one it continues (input " + model.input()
                    + ", hidden " + model.hidden() + ", latent " + model.latent() + ", " + model.likelihood().label()
                    + ", scaling " + model.effectiveScaling().label() + ")");
        }
        return run;
    }

    private void restore(float[] m, float[] v, Position position) {
        System.arraycopy(m, 0, this.m, 0, this.m.length);
        System.arraycopy(v, 0, this.v, 0, this.v.length);
        at = position;
    }

    /**
     * What data-parallel training moves between shards: the parameters, Adam's moments and the step count (from
     * which a trainer on given data knows its epoch and batch).
     *
     * @param params the parameters
     * @param m      Adam's first moments
     * @param v      Adam's second moments
     * @param step   Adam steps taken
     */
    public record State(float[] params, float[] m, float[] v, long step) implements java.io.Serializable {
    }

    /**
     * A copy of the parameters, Adam's moments and the step count.
     *
     * @return the state
     */
    public State state() {
        return new State(params.clone(), m.clone(), v.clone(), at.step());
    }

    /**
     * A trainer that continues from {@code state} on data of {@code dataSize} rows: the model of {@code config} with
     * the state's parameters and {@code features} (already fitted), Adam's moments restored, and the position (epoch,
     * batch) that {@code state.step()} steps of whole epochs of that data reach. With the same data, this trainer
     * takes the same next steps, bit for bit, as the one the state came from.
     *
     * @param config   the model and run
     * @param features the fitted features
     * @param state    where training stands
     * @param dataSize rows of the data it continues on
     * @return the trainer
     */
    public static Trainer continuing(VaeConfig config, Features features, State state, int dataSize) {
        Vae model = new Vae(config, state.params().clone(), features, true);
        Trainer t = new Trainer(model);
        t.restore(state.m(), state.v(), Position.atStep(state.step(), (dataSize + config.batch() - 1L)
                / config.batch()));
        return t;
    }

    /**
     * Takes {@code data} as checked: the trainer skips the scan of every row before its first step (for data a
     * trainer of the same model has already checked; distributed training continues on the same shard each round).
     * The data must be the one trained on next.
     *
     * @param data the data trained on next
     * @return this trainer
     */
    public Trainer assumeChecked(Dataset data) {
        at.trainOn(data);
        checked = data;
        return this;
    }

    /**
     * Saves the full training state to {@code file} after every {@code steps} steps (atomically).
     *
     * @param steps steps between two checkpoints, at least 1
     * @param file  the checkpoint file
     * @return this trainer
     */
    public Trainer checkpointEvery(long steps, Path file) {
        if (steps < 1) {
            throw new SimdvaeException("checkpoint interval must be at least 1 step, got " + steps);
        }
        this.checkpointEvery = steps;
        this.checkpointFile = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Writes the full training state now.
     *
     * @param file the checkpoint file
     */
    public void saveCheckpoint(Path file) {
        new Checkpoint(config, model.features(), at, stopping, params, m, v).write(file);
    }

    /**
     * Measures the loss on {@code data} (held-out rows, never the test set) after every epoch: the {@link
     * TrainingListener.EpochResult#validationLoss()}, and what {@link #earlyStopping} watches.
     *
     * @param data the validation rows
     * @return this trainer
     */
    public Trainer validateOn(Dataset data) {
        this.validation = Objects.requireNonNull(data, "validation data");
        return this;
    }

    /**
     * Stops training after {@code patience} epochs in a row without a lower validation loss, and makes {@link #train}
     * end with the parameters of the best epoch. Needs {@link #validateOn}. A resumed trainer keeps its run's
     * patience and record.
     *
     * @param patience epochs without a lower validation loss before stopping
     * @return this trainer
     */
    public Trainer earlyStopping(int patience) {
        stopping.enable(patience, params.length);
        return this;
    }

    /**
     * Whether training is over: every epoch done, or early stopping has stopped it.
     *
     * @return true when training is over
     */
    public boolean finished() {
        return at.epoch() >= config.epochs() || stopping.stopped();
    }

    /**
     * Whether early stopping ended training before its last epoch.
     *
     * @return true when it did
     */
    public boolean stoppedEarly() {
        return stopping.stopped();
    }

    /**
     * The 0-based epoch of the lowest validation loss so far, or -1 (no validation yet).
     *
     * @return the epoch, or -1
     */
    public int bestEpoch() {
        return stopping.bestEpoch();
    }

    /**
     * The lowest validation loss so far (+∞ before any).
     *
     * @return the loss, or +∞
     */
    public double bestValidationLoss() {
        return stopping.bestLoss();
    }

    /**
     * Puts the best epoch's parameters back into the model (under {@link #earlyStopping}; otherwise nothing
     * happens). {@link #train} calls it at the end; a caller that drives {@link #trainEpoch} itself calls it when
     * done.
     */
    public void restoreBest() {
        stopping.restore(params);
    }

    /**
     * The epoch that {@link #trainEpoch} runs next (0-based).
     *
     * @return the epoch, 0-based
     */
    public int epoch() {
        return at.epoch();
    }

    /**
     * Adds a progress listener.
     *
     * @param listener called after every step and epoch
     * @return this trainer
     */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * What to do about a NaN or infinite loss.
     *
     * @param p stop (the default) or skip the step
     * @return this trainer
     */
    public Trainer onNonFinite(NonFinitePolicy p) {
        this.policy = Objects.requireNonNull(p, "policy");
        return this;
    }

    /**
     * The model being trained.
     *
     * @return the model
     */
    public Vae model() {
        return model;
    }

    /**
     * The width the kernels run at, and why.
     *
     * @return the choice
     */
    public Simd.Choice width() {
        return kernels.kernels().choice();
    }

    /**
     * Threads the kernels run on.
     *
     * @return the thread count, the caller included
     */
    public int threads() {
        return pool.threads();
    }

    /**
     * Asks training to stop at the next step boundary (from any thread: a signal handler, say); the training call
     * then throws {@link StoppedException}.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Adam steps taken so far.
     *
     * @return the step count
     */
    public long steps() {
        return at.step();
    }

    /**
     * Steps dropped under {@link NonFinitePolicy#SKIP_STEP}.
     *
     * @return the count
     */
    public long skippedSteps() {
        return at.skipped();
    }

    /**
     * Trains until {@code config.epochs()} epochs are done or early stopping stops it (from wherever a resumed run
     * stands); under early stopping the model ends with the best epoch's parameters.
     *
     * @param data the training rows
     * @return the results of the epochs run
     */
    public List<TrainingListener.EpochResult> train(Dataset data) {
        List<TrainingListener.EpochResult> results = new ArrayList<>();
        while (!finished()) {
            results.add(trainEpoch(data));
        }
        finish(data);
        return results;
    }

    /**
     * Ends training: {@link #restoreBest}, then {@link Vae#calibrate} of the model on the validation rows (those of
     * {@link #validateOn}) or, without them, on {@code data}, the training rows, so that the model can turn scores
     * into percentiles and a contamination into a threshold. {@link #train} calls it; a caller that drives
     * {@link #trainEpoch} itself calls it when done.
     *
     * @param data the training rows
     */
    public void finish(Dataset data) {
        restoreBest();
        if (validation != null) {
            model.calibrate(validation, "validation");
        } else {
            model.calibrate(data, "training");
        }
    }

    /**
     * Runs the rest of the current epoch ({@link #epoch()}): the batches of its seeded order from where training
     * stands, the last one possibly partial.
     *
     * @param data the training rows
     * @return the epoch's result
     */
    public TrainingListener.EpochResult trainEpoch(Dataset data) {
        return run(data, Long.MAX_VALUE);
    }

    /**
     * Runs at most {@code steps} more steps from where training stands, across epoch ends (each runs its bookkeeping,
     * as in {@link #trainEpoch}), and stops early only when training is {@link #finished()}. Returns the mean loss of
     * the steps run (NaN if none counted). Data-parallel training drives shards with this.
     *
     * @param data  the training rows
     * @param steps at most this many steps
     * @return the mean loss of the steps run, or NaN
     */
    public double trainSteps(Dataset data, long steps) {
        runLoss = 0;
        runCounted = 0;
        long left = steps;
        while (left > 0 && !finished()) {
            long before = at.step();
            run(data, left);
            left -= at.step() - before;
        }
        return runCounted == 0 ? Double.NaN : runLoss / runCounted;
    }

    /**
     * Runs the current epoch's batches from where training stands, at most {@code limit} of them; returns the
     * epoch's result if it ended, else null.
     */
    private TrainingListener.EpochResult run(Dataset data, long limit) {
        if (stopping.stopped()) {
            throw new SimdvaeException("early stopping has ended this run (best epoch " + (stopping.bestEpoch() + 1)
                    + ")");
        }
        if (stopping.enabled() && validation == null) {
            throw new SimdvaeException("early stopping needs validation data (Trainer.validateOn)");
        }
        checkData(data);
        int epoch = at.epoch();
        shuffle(data.size(), epoch);
        int n = data.size();
        int batch = config.batch();
        int batches = (n + batch - 1) / batch;
        long start = System.nanoTime();
        int done = 0;
        long ran = 0;
        for (int bi = at.batchInEpoch(); bi < batches && ran < limit; bi++, ran++) {
            if (stopRequested) {
                throw new StoppedException(at.step(), epoch, bi);
            }
            int from = bi * batch;
            int b = Math.min(batch, n - from);
            double loss = runStep(data, from, b, (float) config.betaAt(epoch + (double) bi / batches));
            if (!Double.isNaN(loss)) {
                runLoss += loss * b;
                runCounted += b;
            }
            at.batchDone(bi + 1);
            done += b;
            double rate = done / ((System.nanoTime() - start) / 1e9);
            // Indexed, not for-each: an iterator per step is garbage on the hot path.
            for (int i = 0; i < listeners.size(); i++) {
                listeners.get(i).onStep(epoch, at.step(), bi, batches, loss, rate);
            }
            if (checkpointEvery > 0 && at.step() % checkpointEvery == 0) {
                saveCheckpoint(checkpointFile);
            }
        }
        if (at.batchInEpoch() < batches) {
            return null;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double validationLoss = validation == null ? Double.NaN
                : model.withUnseenLevels(UnseenLevels.OTHER).evaluate(validation).sampled();
        TrainingListener.EpochResult r = new TrainingListener.EpochResult(epoch, at.epochLoss(), seconds,
                done / seconds, validationLoss);
        if (stopping.enabled()) {
            stopping.watch(epoch, validationLoss, params);
        }
        at.nextEpoch();
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).onEpoch(r);
        }
        return r;
    }

    /**
     * One Adam step on rows {@code order[from .. from + b)} with KL weight {@code beta}; returns the batch's mean
     * negative ELBO (NaN if skipped).
     */
    private double runStep(Dataset data, int from, int b, float beta) {
        int in = arch.input();
        int latent = arch.latent();
        Features f = model.features();
        boolean unitRange = config.likelihood().needsUnitRange();
        for (int r = 0; r < b; r++) {
            f.encode(data, order[from + r], ws.raw, ws.x, r * in, ws.t, r * arch.targets(), unitRange,
                    UnseenLevels.ERROR);
        }
        ws.encode(kernels, params, b);
        long t = at.step() + 1;
        for (int i = 0; i < b * latent; i++) {
            ws.eps[i] = (float) rng.normal(RngStreams.EPS + t, i);
        }
        Reparameterization.forward(b, latent, ws.head, ws.eps, ws.z);
        ws.decode(kernels, params, b);
        double loss = ws.loss(kernels, config.likelihood(), b, 1f / b, beta, false) / b;
        if (!Double.isFinite(loss)) {
            if (policy == NonFinitePolicy.STOP) {
                throw new SimdvaeException("training diverged at step " + t + ": the loss is " + loss
                        + " (NaN or infinite inputs, or a learning rate too high; the parameters keep their values"
                        + " from step " + at.step() + ")");
            }
            at.dropped();
            return Double.NaN;
        }
        ws.backward(kernels, params, grads, b);
        at.stepped(loss, b);
        float alpha = AdamKernel.alpha(config.learningRate(), config.beta1(), config.beta2(), t);
        kernels.adam(params.length, params, grads, m, v, 0, alpha, (float) config.beta1(), (float) config.beta2(),
                (float) config.epsilon());
        return loss;
    }

    private void shuffle(int n, int epoch) {
        if (order.length != n) {
            order = new int[n];
        }
        rng.permutation(order, RngStreams.SHUFFLE + epoch);
    }

    /**
     * Fits the model's scaling (on the first data) and checks every row of {@code data} now, as the first step
     * would: a bad value or a level the model never had is refused before anything else happens.
     *
     * @param data the training rows
     * @return this trainer
     */
    public Trainer check(Dataset data) {
        checkData(data);
        return this;
    }

    private void checkData(Dataset data) {
        Vae.checkShape(data, model.dataColumns(), "the training data set");
        at.trainOn(data);
        if (data != checked) {
            // Fit the scaling on the first data, then check every row once, before any step: bad values deep in a
            // large file should stop training at its start, not hours into it.
            Features f = model.fitTo(data);
            boolean unitRange = config.likelihood().needsUnitRange();
            try {
                for (int i = 0; i < data.size(); i++) {
                    f.encode(data, i, ws.raw, ws.x, 0, ws.t, 0, unitRange, UnseenLevels.ERROR);
                }
            } catch (TableRows.UnseenLevel e) {
                // only a model trained before (a warm start) can meet a level its training rows did not have
                throw new SimdvaeException(e.fact + ": a model keeps the levels it was first trained with; train a"
                        + " new model to learn new ones", e);
            }
            checked = data;
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        pool.close();
    }
}
