package simdvae.vae;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.internal.io.Checkpoint;
import simdvae.vae.internal.network.RowInput;
import simdvae.vae.internal.training.EarlyStopping;
import simdvae.vae.internal.training.Position;
import simdvae.vae.internal.training.TrainingStep;
import simdvae.vae.model.RngStreams;
import simdvae.vae.table.UnseenLevels;

/**
 * A training run's state and its loop, behind {@link Trainer}'s API: the model, the step's buffers, where the run
 * stands, early stopping's record, the validation rows and the checkpoint settings. One thread drives it (stop
 * requests excepted).
 */
final class TrainingRun implements AutoCloseable {
    /** The model trained. */
    final Vae model;
    final VaeConfig config;
    final float[] params;
    final TrainingStep step;
    final List<TrainingListener> listeners = new ArrayList<>();
    Trainer.NonFinitePolicy policy = Trainer.NonFinitePolicy.STOP;
    // Saved by a checkpoint (with params, m and v): where the run stands, and early stopping's record.
    Position at = new Position();
    EarlyStopping stopping = new EarlyStopping();
    // Settings of this process and a cache, not saved: a resumed run sets them again.
    long checkpointEvery;
    Path checkpointFile;
    Dataset validation;
    /** The data set whose rows were last checked (checked once, not every epoch). */
    private Dataset checked;
    /** The loss of the steps of the current {@link #trainSteps} call (a call's own tally). */
    private double runLoss;
    private long runCounted;
    volatile boolean stopRequested;

    TrainingRun(Vae model) {
        this.model = model;
        this.config = model.config();
        this.params = model.parameterBuffer();
        this.step = new TrainingStep(new VaeView(model), config.training());
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

    void saveCheckpoint(Path file) {
        new Checkpoint(config.model(), config.training(), model.features(), at, stopping, params, step.m(), step.v())
                .write(file);
    }

    boolean finished() {
        return at.epoch() >= config.training().epochs() || stopping.stopped();
    }

    /** Every epoch left, on the configuration's validation split of {@code data} when no validation rows were set. */
    List<TrainingListener.EpochResult> train(Dataset data) {
        Dataset rows = data;
        double split = config.training().validationSplit();
        if (validation == null && split > 0) {
            Dataset.Split s = data.split(split, config.training().seed(), RngStreams.VALIDATION_SPLIT);
            rows = s.kept();
            validation = s.heldOut();
        }
        List<TrainingListener.EpochResult> results = new ArrayList<>();
        while (!finished()) {
            results.add(run(rows, Long.MAX_VALUE));
        }
        finish(rows);
        return results;
    }

    /**
     * The best epoch's parameters back, and the model's reference (and every view's) computed on the validation rows,
     * else on {@code data}.
     */
    void finish(Dataset data) {
        restoreBest();
        model.trained(validation != null ? model.referenceOf(validation, "validation")
                : model.referenceOf(data, "training"));
    }

    /** The best epoch's parameters back into the model's buffer (under early stopping): its packed weights are stale. */
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
            if (stopRequested) {
                throw new Trainer.StoppedException(at.step(), epoch, bi);
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

    /** One Adam step on the epoch's rows {@code [from, from + b)}; the batch's mean loss (NaN if skipped). */
    private double runStep(Dataset data, int from, int b, float beta) {
        long t = at.step() + 1;
        double loss = step.forward(data, from, b, beta, t);
        if (!Double.isFinite(loss)) {
            if (policy == Trainer.NonFinitePolicy.STOP) {
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
