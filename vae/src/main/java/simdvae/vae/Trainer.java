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
 *
 * <p>An ensemble ({@link VaeConfig#withEnsemble}) trains every member: each epoch runs member 0's epoch, then member
 * 1's, and so on, each on all the threads, each with its own seed, Adam state and early-stopping record (its own best
 * epoch); each member ends with the bits it would reach trained alone. An epoch's reported loss is the members' mean.
 */
public final class Trainer extends TrainerSettings implements AutoCloseable {
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

    /**
     * A trainer for {@code model} with the training settings, threads and width of {@code model.config()}.
     *
     * @param model the model to train (its parameters change in place; every member of an ensemble)
     */
    public Trainer(Vae model) {
        super(new EnsembleRun(Objects.requireNonNull(model, "model")));
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
        Trainer t = new Trainer(new Vae(config, params(c), c.features(), true));
        t.run.restore(c.members());
        return t;
    }

    /** Each member's parameters of a checkpoint. */
    private static float[][] params(Checkpoint c) {
        float[][] p = new float[c.members().size()][];
        for (int k = 0; k < p.length; k++) {
            p[k] = c.members().get(k).params();
        }
        return p;
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
        return new Vae(VaeConfig.defaults().with(c.model()).with(c.training()), params(c), c.features(), true);
    }

    /**
     * A new run that goes on training a trained model (on new rows, say) under {@code run}: the model's parameters,
     * scaling and levels are kept (a level or a column its training never had is an error, as in scoring), Adam
     * starts afresh, and after training the model's reference scores are computed anew ({@link #finish}). The model
     * itself is not changed: the trainer trains a copy, {@link #model()}.
     *
     * @param from a trained model
     * @param run  the run's configuration: the model's own with other run settings ({@code from.config()
     *             .withEpochs(5).withLearningRate(1e-4)}, say); its network and ensemble size must be the model's
     *             (each member of an ensemble goes on, with the seed the run's seed gives it)
     * @return the trainer
     * @throws SimdvaeException when {@code run} describes another network
     */
    public static Trainer warmStart(Vae from, VaeConfig run) {
        float[][] p = new float[from.members()][];
        for (int k = 0; k < p.length; k++) {
            p[k] = from.member(k).parameters();
        }
        return new Trainer(new Vae(sameNetwork(from.config(), run), p, from.features(), true));
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
        VaeConfig saved = VaeConfig.defaults().with(c.model()).withEnsemble(c.members().size());
        Trainer t = new Trainer(new Vae(sameNetwork(saved, run), params(c), c.features(), true));
        for (int k = 0; k < t.run.members.length; k++) {
            Checkpoint.Member m = c.members().get(k);
            t.run.members[k].restore(m.m(), m.v(), Position.startingAt(m.position().step()));
        }
        return t;
    }

    /** {@code run}, checked to describe {@code model}'s network and ensemble. */
    private static VaeConfig sameNetwork(VaeConfig model, VaeConfig run) {
        if (!model.model().sameNetwork(run.model())) {
            throw new SimdvaeException("the run describes another model (" + describe(run) + ") than the one it"
                    + " continues (" + describe(model) + ")");
        }
        if (model.training().ensemble() != run.training().ensemble()) {
            throw new SimdvaeException("the run describes an ensemble of " + run.training().ensemble() + " members;"
                    + " the model it continues has " + model.training().ensemble());
        }
        return run;
    }

    private static String describe(VaeConfig c) {
        return "input " + c.model().input() + ", hidden " + c.model().hidden() + ", latent " + c.model().latent() + ", "
                + c.model().likelihood().spelling() + ", scaling " + c.model().effectiveScaling().spelling();
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
     * A copy of the parameters, Adam's moments and the step count, of a trainer of one model (data-parallel training
     * trains an ensemble's members one at a time).
     *
     * @return the state
     * @throws SimdvaeException for an ensemble
     */
    public State state() {
        TrainingRun m = one();
        return new State(m.params.clone(), m.step.m().clone(), m.step.v().clone(), m.at.step());
    }

    /** The run of a one-model trainer. */
    private TrainingRun one() {
        if (run.members.length > 1) {
            throw new SimdvaeException("data-parallel training moves one model's state; this trainer trains an"
                    + " ensemble of " + run.members.length + ": train each member on its own (Vae.member)");
        }
        return run.members[0];
    }

    /**
     * A trainer that continues from {@code state} on data of {@code dataSize} rows: the model of {@code config} with
     * the state's parameters and {@code features} (already fitted), Adam's moments restored, and the position (epoch,
     * batch) that {@code state.step()} steps of whole epochs of that data reach. With the same data, this trainer
     * takes the same next steps, bit for bit, as the one the state came from.
     *
     * @param config   the model and run (of one model: an ensemble's members train one at a time)
     * @param features the fitted features
     * @param state    where training stands
     * @param dataSize rows of the data it continues on
     * @return the trainer
     */
    public static Trainer continuing(VaeConfig config, Features features, State state, int dataSize) {
        Trainer t = new Trainer(new Vae(config, new float[][] {state.params().clone()}, features, true));
        int batch = config.training().batch();
        t.run.members[0].restore(state.m(), state.v(), Position.atStep(state.step(), (dataSize + batch - 1L) / batch));
        return t;
    }

    /** {@return whether training is over: every epoch done, or early stopping has stopped it} */
    public boolean finished() {
        return run.finished();
    }

    /** {@return whether early stopping ended training before its last epoch (an ensemble's: every member's)} */
    public boolean stoppedEarly() {
        return run.stoppedEarly();
    }

    /** {@return the 0-based epoch of the lowest validation loss so far, or -1 (no validation yet); member 0's} */
    public int bestEpoch() {
        return run.members[0].stopping.bestEpoch();
    }

    /** {@return each member's 0-based epoch of the lowest validation loss so far, or -1 (no validation yet)} */
    public int[] bestEpochs() {
        int[] best = new int[run.members.length];
        for (int k = 0; k < best.length; k++) {
            best[k] = run.members[k].stopping.bestEpoch();
        }
        return best;
    }

    /** {@return the lowest validation loss so far (+∞ before any); member 0's} */
    public double bestValidationLoss() {
        return run.members[0].stopping.bestLoss();
    }

    /**
     * Puts the best epoch's parameters back into the model (under early stopping; otherwise nothing happens), each
     * member's own. {@link #train} calls it at the end; a caller that drives {@link #trainEpoch} itself calls it when
     * done.
     */
    public void restoreBest() {
        run.restoreBest();
    }

    /** {@return the epoch that {@link #trainEpoch} runs next (0-based; an ensemble's earliest member still training)} */
    public int epoch() {
        return run.epoch();
    }

    /** {@return the model being trained } */
    public Vae model() {
        return run.model;
    }

    /** {@return the width the kernels run at, and why} */
    public Simd.Choice width() {
        return run.members[0].step.choice();
    }

    /** {@return threads the kernels run on} */
    public int threads() {
        return run.members[0].step.threads();
    }

    /** {@return adam steps taken so far (an ensemble's: over all its members)} */
    public long steps() {
        return run.steps();
    }

    /** {@return steps dropped under {@link NonFinitePolicy#SKIP_STEP}} */
    public long skippedSteps() {
        return run.skipped();
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
     * stands, the last one possibly partial (an ensemble's: each member's rest of it, in member order).
     *
     * @param data the training rows
     * @return the epoch's result
     */
    public TrainingListener.EpochResult trainEpoch(Dataset data) {
        return run.trainEpoch(data);
    }

    /**
     * Runs at most {@code steps} more steps from where training stands, across epoch ends (each runs its bookkeeping,
     * as in {@link #trainEpoch}), and stops early only when training is {@link #finished()}. Data-parallel training
     * drives shards with this; a trainer of one model only.
     *
     * @param data  the training rows
     * @param steps at most this many steps
     * @return the mean loss of the steps run, or NaN if none counted
     */
    public double trainSteps(Dataset data, long steps) {
        return run.trainSteps(data, steps);
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        run.close();
    }
}
