package simdvae.vae;

import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.internal.io.Checkpoint;
import simdvae.vae.internal.network.RowInput;
import simdvae.vae.internal.training.EarlyStopping;
import simdvae.vae.internal.training.LastEpoch;
import simdvae.vae.internal.training.Position;
import simdvae.vae.internal.training.TrainingStep;
import simdvae.vae.table.UnseenLevels;

/**
 * One member's training, behind {@link EnsembleRun} (one model is an ensemble of one): the member's model, its
 * step's buffers, where it stands, its early stopping's record and validation rows. The run's settings (listeners,
 * policy, checkpoints, stop requests) are its ensemble's. One thread drives it (stop requests excepted).
 */
final class TrainingRun implements AutoCloseable {
    /** The member trained. */
    final Vae model;
    final VaeConfig config;
    final float[] params;
    final TrainingStep step;
    private final EnsembleRun owner;
    // Saved by a checkpoint (with params, m and v): where the member stands, early stopping's record, its last epoch.
    Position at = new Position();
    EarlyStopping stopping = new EarlyStopping();
    LastEpoch last = LastEpoch.NONE;
    Dataset validation;
    /** The data set whose rows were last checked (checked once, not every epoch). */
    private Dataset checked;
    /** The loss of the steps of the current {@link #trainSteps} call (a call's own tally). */
    private double runLoss;
    private long runCounted;

    /** The run of {@code model}, a member of {@code owner}'s ensemble, on the pool of {@code poolOwner} if any. */
    TrainingRun(Vae model, EnsembleRun owner, TrainingStep poolOwner) {
        this.model = model;
        this.config = model.config();
        this.params = model.parameterBuffer();
        this.owner = owner;
        this.step = new TrainingStep(new VaeView(model), config.training(), poolOwner);
        if (config.training().patience() > 0) {
            stopping.enable(config.training().patience(), params.length);
        }
    }

    /** Adam's moments and the position of a run that continues. */
    void restore(float[] m, float[] v, Position position) {
        System.arraycopy(m, 0, step.m(), 0, m.length);
        System.arraycopy(v, 0, step.v(), 0, v.length);
        at = position;
    }

    void assumeChecked(Dataset data) {
        at.trainOn(data);
        checked = data;
    }

    /** What a checkpoint keeps of this member (the live arrays: written at once). */
    Checkpoint.Member state() {
        return new Checkpoint.Member(at, stopping, last, params, step.m(), step.v());
    }

    boolean finished() {
        return at.epoch() >= config.training().epochs() || stopping.stopped();
    }

    /**
     * The best epoch's parameters back into the member's buffer (under early stopping): the packing of that buffer
     * is stale.
     */
    void restoreBest() {
        stopping.restore(params);
        model.fitted().packedWeights().parametersChanged();
    }

    double trainSteps(Dataset data, long steps) {
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

    /** The current epoch's batches from where training stands, at most {@code limit}; its result if it ended. */
    TrainingListener.EpochResult run(Dataset data, long limit) {
        if (stopping.stopped()) {
            throw new SimdvaeException("early stopping has ended this run (best epoch " + (stopping.bestEpoch() + 1)
                    + ")");
        }
        if (stopping.enabled() && validation == null) {
            throw new SimdvaeException("early stopping needs validation data (Trainer.validateOn)");
        }
        check(data);
        int epoch = at.epoch();
        step.shuffle(data.size(), epoch);
        int n = data.size();
        int batch = config.training().batch();
        int batches = (n + batch - 1) / batch;
        long start = System.nanoTime();
        int done = 0;
        long ran = 0;
        for (int bi = at.batchInEpoch(); bi < batches && ran < limit; bi++, ran++) {
            if (owner.stopRequested) {
                throw new Trainer.StoppedException(owner.steps(), epoch, bi);
            }
            int b = Math.min(batch, n - bi * batch);
            double loss = runStep(data, bi * batch, b, (float) config.training().betaAt(epoch + (double) bi / batches));
            if (!Double.isNaN(loss)) {
                runLoss += loss * b;
                runCounted += b;
            }
            at.batchDone(bi + 1);
            done += b;
            double rate = done / ((System.nanoTime() - start) / 1e9);
            owner.stepDone(epoch, bi, batches, loss, rate);
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
        last = new LastEpoch(epoch, r.trainLoss(), seconds, r.samplesPerSecond(), validationLoss);
        owner.epochDone(r);
        return r;
    }

    /** One Adam step on the epoch's rows {@code [from, from + b)}; the batch's mean loss (NaN if skipped). */
    private double runStep(Dataset data, int from, int b, float beta) {
        long t = at.step() + 1;
        double loss = step.forward(data, from, b, beta, t);
        if (!Double.isFinite(loss)) {
            if (owner.policy == Trainer.NonFinitePolicy.STOP) {
                throw new SimdvaeException("training diverged at step " + t + ": the loss is " + loss
                        + " (NaN or infinite inputs, or a learning rate too high; the parameters keep their values"
                        + " from step " + at.step() + ")");
            }
            at.dropped();
            return Double.NaN;
        }
        step.backward(b);
        at.stepped(loss, b);
        step.adam(t);
        return loss;
    }

    /** The scaling fitted on the first data, and every row read once, before any step. */
    void check(Dataset data) {
        data.requireShape(model.columnCount(), "the training data set");
        at.trainOn(data);
        if (data != checked) {
            model.fitted().fitTo(config.model(), data);
            try {
                step.checkRows(data);
            } catch (RowInput.UnseenLevel e) {
                // only a model trained before (a warm start) can meet a level its training rows did not have
                throw new SimdvaeException(e.fact() + ": a model keeps the levels it was first trained with; train a"
                        + " new model to learn new ones", e);
            }
            checked = data;
        }
    }

    @Override
    public void close() {
        step.close();
    }
}
