package simdvae.vae;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import simdvae.core.Simd;
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.vae.data.Dataset;
import simdvae.vae.internal.io.Checkpoint;
import simdvae.vae.internal.training.Position;
import simdvae.vae.model.RuntimeConfig;
import simdvae.vae.table.Features;

/**
 * Trains a {@link Vae} with Adam on minibatches, every step through the kernels on a worker pool. Owns the
 * optimiser state (gradients, Adam moments, step count) and the pool: close it when done.
 *
 * <p>Reproducible: the epoch's order is a seeded permutation of (seed, epoch), ε for row r of step t is drawn from
 * (seed, t, r), the KL weight of a step is a function of its position, and every kernel is bit-identical across
 * widths and thread counts, so the same configuration and data give the same parameter bits
 * ({@link Vae#parametersSha256()}) at every width and thread count.
 *
 * <p>The first training data fits the model's {@link Features} (scaling and column names). With validation rows
 * ({@link #validateOn}, or the configuration's validation split in {@link #train}) the loss on them is measured after
 * every epoch; with early stopping (the configuration's patience, or {@link #earlyStopping}) training stops after that
 * many epochs without improvement and ends with the best epoch's parameters. Reported losses are the negative ELBO
 * (β = 1) whatever the KL weight: comparable across runs.
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

        /** {@return steps taken when training stopped} */
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

    /** The run's state and loop. */
    private final TrainingRun run;

    /**
     * A trainer for {@code model} with the training settings, threads and width of {@code model.config()}.
     *
     * @param model the model to train (its parameters change in place)
     */
    public Trainer(Vae model) {
        this.run = new TrainingRun(Objects.requireNonNull(model, "model"));
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
        VaeConfig config = new VaeConfig(c.model(), c.training(), new RuntimeConfig(threads, width));
        Trainer t = new Trainer(new Vae(config, c.params(), c.features(), true));
        t.run.restore(c.m(), c.v(), c.position());
        t.run.stopping = c.stopping();
        return t;
    }

    /**
     * The model a checkpoint holds, as it stood: its network, parameters and fitted features, with the run's training
     * settings (no reference, no decision).
     *
     * @param file the checkpoint
     * @return the model
     */
    public static Vae checkpointModel(Path file) {
        Checkpoint c = Checkpoint.read(file);
        return new Vae(VaeConfig.defaults().with(c.model()).with(c.training()), c.params(), c.features(), true);
    }

    /**
     * A new run that goes on training a trained model (on new rows, say) under {@code run}: the model's parameters,
     * scaling and levels are kept (a level or a column its training never had is an error, as in scoring), Adam
     * starts afresh, and after training the model's reference scores are computed anew ({@link #finish}). The model
     * itself is not changed: the trainer trains a copy, {@link #model()}.
     *
     * @param from a trained model
     * @param run  the run's configuration: the model's own with other run settings ({@code from.config()
     *             .withEpochs(5).withLearningRate(1e-4)}, say); its network must be the model's
     * @return the trainer
     * @throws SimdvaeException when {@code run} describes another network
     */
    public static Trainer warmStart(Vae from, VaeConfig run) {
        return new Trainer(new Vae(sameNetwork(from.config(), run), from.parameters(), from.features(), true));
    }

    /**
     * {@link #warmStart(Vae, VaeConfig)} from a checkpoint: Adam's moments and step count carry over too, so the new
     * run continues the optimiser where the saved run stood (its epochs and early stopping start afresh).
     *
     * @param checkpoint a checkpoint file ({@link #checkpointEvery})
     * @param run        the run's configuration, of the checkpoint's network
     * @return the trainer
     */
    public static Trainer warmStart(Path checkpoint, VaeConfig run) {
        Checkpoint c = Checkpoint.read(checkpoint);
        VaeConfig saved = VaeConfig.defaults().with(c.model());
        Trainer t = new Trainer(new Vae(sameNetwork(saved, run), c.params(), c.features(), true));
        t.run.restore(c.m(), c.v(), Position.startingAt(c.position().step()));
        return t;
    }

    /** {@code run}, checked to describe {@code model}'s network. */
    private static VaeConfig sameNetwork(VaeConfig model, VaeConfig run) {
        if (!model.model().sameNetwork(run.model())) {
            throw new SimdvaeException("the run describes another model (" + describe(run) + ") than the one it"
                    + " continues (" + describe(model) + ")");
        }
        return run;
    }

    private static String describe(VaeConfig c) {
        return "input " + c.model().input() + ", hidden " + c.model().hidden() + ", latent " + c.model().latent() + ", "
                + c.model().likelihood().label() + ", scaling " + c.model().effectiveScaling().label();
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

    /** {@return a copy of the parameters, Adam's moments and the step count} */
    public State state() {
        return new State(run.params.clone(), run.step.m().clone(), run.step.v().clone(), run.at.step());
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
        Trainer t = new Trainer(new Vae(config, state.params().clone(), features, true));
        int batch = config.training().batch();
        t.run.restore(state.m(), state.v(), Position.atStep(state.step(), (dataSize + batch - 1L) / batch));
        return t;
    }

    /**
     * Takes {@code data} as checked: the trainer skips the scan of every row before its first step (for data a
     * trainer of the same model has already checked; distributed training continues on the same shard each round).
     *
     * @param data the data trained on next
     * @return this trainer
     */
    public Trainer assumeChecked(Dataset data) {
        run.assumeChecked(data);
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
        run.checkpointEvery = steps;
        run.checkpointFile = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Writes the full training state now.
     *
     * @param file the checkpoint file
     */
    public void saveCheckpoint(Path file) {
        run.saveCheckpoint(file);
    }

    /**
     * Measures the loss on {@code data} (held-out rows, never the test set) after every epoch: the {@link
     * TrainingListener.EpochResult#validationLoss()}, and what early stopping watches.
     *
     * @param data the validation rows
     * @return this trainer
     */
    public Trainer validateOn(Dataset data) {
        run.validation = Objects.requireNonNull(data, "validation data");
        return this;
    }

    /**
     * Stops training after {@code patience} epochs in a row without a lower validation loss, and makes {@link #train}
     * end with the parameters of the best epoch (the configuration's patience, set here instead). Needs validation
     * rows. A resumed trainer keeps its run's patience and record.
     *
     * @param patience epochs without a lower validation loss before stopping
     * @return this trainer
     */
    public Trainer earlyStopping(int patience) {
        run.stopping.enable(patience, run.params.length);
        return this;
    }

    /** {@return whether training is over: every epoch done, or early stopping has stopped it} */
    public boolean finished() {
        return run.finished();
    }

    /** {@return whether early stopping ended training before its last epoch} */
    public boolean stoppedEarly() {
        return run.stopping.stopped();
    }

    /** {@return the 0-based epoch of the lowest validation loss so far, or -1 (no validation yet)} */
    public int bestEpoch() {
        return run.stopping.bestEpoch();
    }

    /** {@return the lowest validation loss so far (+∞ before any)} */
    public double bestValidationLoss() {
        return run.stopping.bestLoss();
    }

    /**
     * Puts the best epoch's parameters back into the model (under early stopping; otherwise nothing happens).
     * {@link #train} calls it at the end; a caller that drives {@link #trainEpoch} itself calls it when done.
     */
    public void restoreBest() {
        run.restoreBest();
    }

    /** {@return the epoch that {@link #trainEpoch} runs next (0-based)} */
    public int epoch() {
        return run.at.epoch();
    }

    /**
     * Adds a progress listener.
     *
     * @param listener called after every step and epoch
     * @return this trainer
     */
    public Trainer addListener(TrainingListener listener) {
        run.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * What to do about a NaN or infinite loss.
     *
     * @param p stop (the default) or skip the step
     * @return this trainer
     */
    public Trainer onNonFinite(NonFinitePolicy p) {
        run.policy = Objects.requireNonNull(p, "policy");
        return this;
    }

    /** {@return the model being trained } */
    public Vae model() {
        return run.model;
    }

    /** {@return the width the kernels run at, and why} */
    public Simd.Choice width() {
        return run.step.choice();
    }

    /** {@return threads the kernels run on} */
    public int threads() {
        return run.step.threads();
    }

    /**
     * Asks training to stop at the next step boundary (from any thread: a signal handler, say); the training call
     * then throws {@link StoppedException}.
     */
    public void requestStop() {
        run.stopRequested = true;
    }

    /** {@return adam steps taken so far} */
    public long steps() {
        return run.at.step();
    }

    /** {@return steps dropped under {@link NonFinitePolicy#SKIP_STEP}} */
    public long skippedSteps() {
        return run.at.skipped();
    }

    /**
     * Trains until every epoch is done or early stopping stops it (from wherever a resumed run stands), then
     * {@link #finish}es. Without {@link #validateOn}, a configuration with a validation split holds out that seeded
     * share of {@code data} (the same split at every thread count and width) and trains on the rest.
     *
     * @param data the training rows
     * @return the results of the epochs run
     */
    public List<TrainingListener.EpochResult> train(Dataset data) {
        return run.train(data);
    }

    /**
     * Ends training: {@link #restoreBest}, then computes the model's reference scores on the validation rows or,
     * without them, on {@code data}, the training rows, so that it (and every view of it) can turn scores into
     * percentiles and a contamination into a threshold.
     *
     * @param data the training rows
     */
    public void finish(Dataset data) {
        run.finish(data);
    }

    /**
     * Runs the rest of the current epoch ({@link #epoch()}): the batches of its seeded order from where training
     * stands, the last one possibly partial.
     *
     * @param data the training rows
     * @return the epoch's result
     */
    public TrainingListener.EpochResult trainEpoch(Dataset data) {
        return run.run(data, Long.MAX_VALUE);
    }

    /**
     * Runs at most {@code steps} more steps from where training stands, across epoch ends (each runs its bookkeeping,
     * as in {@link #trainEpoch}), and stops early only when training is {@link #finished()}. Data-parallel training
     * drives shards with this.
     *
     * @param data  the training rows
     * @param steps at most this many steps
     * @return the mean loss of the steps run, or NaN if none counted
     */
    public double trainSteps(Dataset data, long steps) {
        return run.trainSteps(data, steps);
    }

    /**
     * Fits the model's scaling (on the first data) and checks every row of {@code data} now, as the first step
     * would: a bad value or a level the model never had is refused before anything else happens (bad values deep in
     * a large file stop training at its start, not hours into it).
     *
     * @param data the training rows
     * @return this trainer
     */
    public Trainer check(Dataset data) {
        run.check(data);
        return this;
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        run.close();
    }
}
