package simdvae.vae;

import java.nio.file.Path;
import java.util.Objects;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;

/**
 * The half of {@link Trainer} that sets a run up and steers it from outside: the rows it checks and validates on,
 * its checkpoints, early stopping, listeners, the policy on a non-finite loss and stop requests. {@link Trainer}
 * adds the factories and the training itself. Every member documented here is a member of {@link Trainer}.
 */
abstract sealed class TrainerSettings permits Trainer {
    /** The run's state and loop. */
    final EnsembleRun run;

    TrainerSettings(EnsembleRun run) {
        this.run = run;
    }

    private Trainer self() {
        return (Trainer) this;
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
        return self();
    }

    /**
     * Saves the full training state to {@code file} after every {@code steps} steps (atomically; an ensemble's steps
     * counted over all its members, every member's state saved).
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
        return self();
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
        run.validateOn(Objects.requireNonNull(data, "validation data"));
        return self();
    }

    /**
     * Stops training after {@code patience} epochs in a row without a lower validation loss, and makes
     * {@link Trainer#train} end with the parameters of the best epoch (the configuration's patience, set here
     * instead); each member of an ensemble keeps its own record and best epoch. Needs validation rows. A resumed
     * trainer keeps its run's patience and record.
     *
     * @param patience epochs without a lower validation loss before stopping
     * @return this trainer
     */
    public Trainer earlyStopping(int patience) {
        run.earlyStopping(patience);
        return self();
    }

    /**
     * Makes the trained model's anomaly score the hybrid of {@link simdvae.vae.decide.NeighbourTerm}: the negative
     * ELBO at z = μ plus the mean distance to the {@code k} nearest of an evenly spaced sample of the training rows
     * (at most {@value simdvae.vae.decide.NeighbourTerm#MAX_POINTS}, as the encoder takes them), each in robust
     * standard deviations of the validation rows. Needs validation rows, which the kept rows do not include (a
     * training row's nearest neighbour is itself). 0, the default, keeps the negative ELBO alone.
     *
     * @param k neighbours averaged, or 0
     * @return this trainer
     */
    public Trainer scoreNeighbours(int k) {
        if (k < 0) {
            throw new SimdvaeException("the neighbours a score averages must be 0 (none) or more, got " + k);
        }
        run.neighbours = k;
        return self();
    }

    /**
     * Adds a progress listener.
     *
     * @param listener called after every step and epoch
     * @return this trainer
     */
    public Trainer addListener(TrainingListener listener) {
        run.listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /**
     * What to do about a NaN or infinite loss.
     *
     * @param p stop (the default) or skip the step
     * @return this trainer
     */
    public Trainer onNonFinite(Trainer.NonFinitePolicy p) {
        run.policy = Objects.requireNonNull(p, "policy");
        return self();
    }

    /**
     * Asks training to stop at the next step boundary (from any thread: a signal handler, say); the training call
     * then throws {@link Trainer.StoppedException}.
     */
    public void requestStop() {
        run.stopRequested = true;
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
        return self();
    }
}
