package simdvae.vae;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.NeighbourTerm;
import simdvae.vae.internal.io.Checkpoint;
import simdvae.vae.internal.network.NeighbourPass;
import simdvae.vae.internal.training.LastEpoch;
import simdvae.vae.model.RngStreams;

/**
 * A training run's state and loop, behind {@link Trainer}'s API: the model (an ensemble of one or more members, each
 * trained by its own {@link TrainingRun} on one worker pool), the run's settings, listeners and checkpoints. An
 * epoch of the ensemble runs member 0's epoch, then member 1's, and so on; each member keeps its own position, Adam
 * state and early-stopping record, so that a member's training is the bits of that member trained alone. One thread
 * drives it (stop requests excepted).
 */
final class EnsembleRun implements AutoCloseable {
    /** The model trained. */
    final Vae model;
    final VaeConfig config;
    /** The members' runs, member 0's first. */
    final TrainingRun[] members;
    final List<TrainingListener> listeners = new ArrayList<>();
    Trainer.NonFinitePolicy policy = Trainer.NonFinitePolicy.STOP;
    // Settings of this process, not saved: a resumed run sets them again.
    long checkpointEvery;
    Path checkpointFile;
    volatile boolean stopRequested;
    /** Neighbours a hybrid score averages ({@link Trainer#scoreNeighbours}), or 0: the negative ELBO alone. */
    int neighbours;

    EnsembleRun(Vae model) {
        this.model = model;
        this.config = model.config();
        this.members = new TrainingRun[model.members()];
        try {
            for (int k = 0; k < members.length; k++) {
                members[k] = new TrainingRun(model.memberModel(k), this, k == 0 ? null : members[0].step);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Adam steps taken, over every member. */
    long steps() {
        long s = 0;
        for (TrainingRun m : members) {
            s += m.at.step();
        }
        return s;
    }

    /** Steps dropped, over every member. */
    long skipped() {
        long s = 0;
        for (TrainingRun m : members) {
            s += m.at.skipped();
        }
        return s;
    }

    /** After a member's step: the listeners, and a checkpoint every {@code checkpointEvery} steps of the run. */
    void stepDone(int epoch, int batch, int batches, double loss, double rate) {
        long step = steps();
        // Indexed, not for-each: an iterator per step is garbage on the hot path.
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).onStep(epoch, step, batch, batches, loss, rate);
        }
        if (checkpointEvery > 0 && step % checkpointEvery == 0) {
            saveCheckpoint(checkpointFile);
        }
    }

    /** After a member's epoch: one model reports it at once, an ensemble once every member has run it. */
    void epochDone(TrainingListener.EpochResult r) {
        if (members.length == 1) {
            report(r);
        }
    }

    private void report(TrainingListener.EpochResult r) {
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).onEpoch(r);
        }
    }

    void saveCheckpoint(Path file) {
        List<Checkpoint.Member> states = new ArrayList<>();
        for (TrainingRun m : members) {
            states.add(m.state());
        }
        new Checkpoint(config.model(), config.training(), model.features(), states).write(file);
    }

    /** Every member's saved state back: parameters (in place), Adam, position, early stopping, last epoch. */
    void restore(List<Checkpoint.Member> saved) {
        for (int k = 0; k < members.length; k++) {
            Checkpoint.Member c = saved.get(k);
            members[k].restore(c.m(), c.v(), c.position());
            members[k].stopping = c.stopping();
            members[k].last = c.last();
        }
    }

    void validateOn(Dataset data) {
        for (TrainingRun m : members) {
            m.validation = data;
        }
    }

    Dataset validation() {
        return members[0].validation;
    }

    void earlyStopping(int patience) {
        for (TrainingRun m : members) {
            m.stopping.enable(patience, m.params.length);
        }
    }

    void assumeChecked(Dataset data) {
        for (TrainingRun m : members) {
            m.assumeChecked(data);
        }
    }

    /** Member 0 fits the shared features and reads every row; the others share what it found. */
    void check(Dataset data) {
        members[0].check(data);
        for (int k = 1; k < members.length; k++) {
            members[k].assumeChecked(data);
        }
    }

    boolean finished() {
        for (TrainingRun m : members) {
            if (!m.finished()) {
                return false;
            }
        }
        return true;
    }

    /** Whether early stopping ended every member's training. */
    boolean stoppedEarly() {
        for (TrainingRun m : members) {
            if (!m.stopping.stopped()) {
                return false;
            }
        }
        return true;
    }

    /** The epoch the next {@link #trainEpoch} runs: the earliest of the members still training (else the last). */
    int epoch() {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (TrainingRun m : members) {
            max = Math.max(max, m.at.epoch());
            if (!m.stopping.stopped()) {
                min = Math.min(min, m.at.epoch());
            }
        }
        return min == Integer.MAX_VALUE ? max : min;
    }

    void restoreBest() {
        for (TrainingRun m : members) {
            m.restoreBest();
        }
    }

    /** Every epoch left, on the configuration's validation split of {@code data} when no validation rows were set. */
    List<TrainingListener.EpochResult> train(Dataset data) {
        Dataset rows = data;
        double split = config.training().validationSplit();
        if (validation() == null && split > 0) {
            // the run's seed: every member holds out the same rows
            Dataset.Split s = data.split(split, config.training().seed(), RngStreams.VALIDATION_SPLIT);
            rows = s.kept();
            validateOn(s.heldOut());
        }
        List<TrainingListener.EpochResult> results = new ArrayList<>();
        while (!finished()) {
            results.add(trainEpoch(rows));
        }
        finish(rows);
        return results;
    }

    /**
     * The best epochs' parameters back, and the model's reference (and every view's) computed on the validation rows,
     * else on {@code data}: the ensemble's mean scores.
     */
    void finish(Dataset data) {
        restoreBest();
        Dataset validation = validation();
        if (neighbours > 0) {
            if (validation == null) {
                throw new SimdvaeException("a score with neighbours needs validation rows (a validation split):"
                        + " the training rows it keeps would each find themselves");
            }
            VaeView view = new VaeView(model);
            int width = model.architecture().input();
            float[] points = NeighbourPass.points(view, data);
            if (points.length / width < neighbours) {
                throw new SimdvaeException("a score with " + neighbours + " neighbours needs at least as many"
                        + " training rows, got " + points.length / width);
            }
            // a provisional calibration: the reference pass calibrates the term on the validation rows
            NeighbourTerm kept = new NeighbourTerm(neighbours, width, points, 0, 1, 0, 1);
            model.trained(model.referenceOf(validation, "validation", kept));
            return;
        }
        model.trained(validation != null ? model.referenceOf(validation, "validation", null)
                : model.referenceOf(data, "training", null));
    }

    /** The rest of the ensemble's current epoch: each member that has not run it yet, in member order. */
    TrainingListener.EpochResult trainEpoch(Dataset data) {
        if (members.length == 1) {
            return members[0].run(data, Long.MAX_VALUE);
        }
        check(data);
        int epoch = epoch();
        boolean ran = false;
        for (TrainingRun m : members) {
            if (!m.stopping.stopped() && m.at.epoch() == epoch) {
                m.run(data, Long.MAX_VALUE);
                ran = true;
            }
        }
        if (!ran) {
            return members[0].run(data, Long.MAX_VALUE); // every member has stopped: says so
        }
        TrainingListener.EpochResult r = mean(epoch);
        report(r);
        return r;
    }

    /**
     * The members' report of {@code epoch}: the mean train and validation loss of the members that ran it (summed in
     * member order), their seconds summed, and the rows a second over those seconds.
     */
    private TrainingListener.EpochResult mean(int epoch) {
        double train = 0;
        double validation = 0;
        double seconds = 0;
        double rows = 0;
        int n = 0;
        for (TrainingRun m : members) {
            LastEpoch l = m.last;
            if (l.epoch() == epoch) {
                train += l.trainLoss();
                validation += l.validationLoss();
                seconds += l.seconds();
                rows += l.samplesPerSecond() * l.seconds();
                n++;
            }
        }
        return new TrainingListener.EpochResult(epoch, train / n, seconds, rows / seconds, validation / n);
    }

    /** At most {@code steps} more steps of one model (data-parallel training trains an ensemble's members alone). */
    double trainSteps(Dataset data, long steps) {
        if (members.length > 1) {
            throw new SimdvaeException("trainSteps drives one model; this is an ensemble of " + members.length
                    + " members: train each member on its own (Vae.member) and join them with Vae.of");
        }
        return members[0].trainSteps(data, steps);
    }

    /** Stops the worker threads (member 0's pool last: the others borrow it). */
    @Override
    public void close() {
        for (int k = members.length - 1; k >= 0; k--) {
            if (members[k] != null) {
                members[k].close();
            }
        }
    }
}
