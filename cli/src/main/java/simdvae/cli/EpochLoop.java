package simdvae.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import simdvae.core.Simd;
import simdvae.vae.Evaluation;
import simdvae.vae.Trainer;
import simdvae.vae.TrainingListener;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.table.UnseenLevels;

/**
 * The epochs of a {@code train} run, from wherever the trainer stands: checkpoints when asked, the test loss after
 * each epoch, progress on screen and in {@code progress.json}, and under early stopping the best epoch kept.
 */
final class EpochLoop {
    /** The checkpoint's name in a run's directory. */
    static final String CHECKPOINT = "checkpoint.svck";
    /** Epoch rows reach progress.json at most this often (and after the last epoch). */
    private static final long HISTORY_EVERY_NANOS = 1_000_000_000L;

    private EpochLoop() {
    }

    /**
     * The test rows' evaluation after the last epoch run, with the parameters it was made with (their SHA-256): the
     * report reuses it when training ends with those parameters (no earlier epoch restored) instead of a second pass
     * over the test rows.
     */
    record LastEvaluation(String parametersSha256, Evaluation evaluation) {
    }

    static LastEvaluation run(Trainer trainer, Simd.Choice choice, Path dir, RunData data, RunHistory history,
                              boolean resumed, RunClock clock) {
        LastEvaluation last = null;
        long written = System.nanoTime();
        Vae vae = trainer.model();
        VaeConfig config = vae.config();
        data.train().requireShape(vae.columnCount(), "the data in " + data.source());
        data.test().requireShape(vae.columnCount(), "the test data of " + data.source());
        clock.stage("check", null, () -> trainer.check(data.train())); // bad rows refused before the run starts
        if (data.validation() != null) {
            trainer.validateOn(data.validation());
        }
        if (history.defaults != null && !resumed) {
            // after the check: a bad file's error stays the one line it is
            StringBuilder b = new StringBuilder("simdvae: chosen for a table of " + (data.train().size()
                    + (data.validation() != null ? data.validation().size() : 0)) + " training rows:");
            history.defaults.forEach((k, v) -> b.append(' ').append(k.replace('_', '-')).append(' ')
                    .append(v instanceof Map<?, ?> m ? m.get("value") : v));
            System.err.println(b + " (an option given wins; metrics.json's \"defaults\" says why)");
        }
        if (history.checkpointEvery > 0) {
            trainer.checkpointEvery(history.checkpointEvery, dir.resolve(CHECKPOINT));
        }
        System.err.printf("simdvae: %s %s (%s)%s on %d rows (%s), width %s, %d threads -> %s%n",
                resumed ? "resuming at epoch " + (trainer.epoch() + 1) + ", step " + trainer.steps() + ","
                        : "training", vae.architecture(), config.model().likelihood().spelling(),
                vae.members() > 1 ? ", an ensemble of " + vae.members() + " members," : "", data.train().size(),
                data.source(), choice, trainer.threads(), dir);
        history.write(dir);
        try (Progress progress = new Progress(config.training().epochs())) {
            trainer.addListener(progress);
            while (!trainer.finished()) {
                TrainingListener.EpochResult r = clock.stage("epochs", null, () -> trainer.trainEpoch(data.train()));
                if (r.epoch() == 0 && !resumed) {
                    for (String c : vae.features().constantColumns()) {
                        System.err.println("simdvae: " + c + " is constant in the training rows: it is centred,"
                                + " not scaled");
                    }
                }
                Evaluation ev = clock.stage("epoch_test_loss", null, () -> heldOut(vae).evaluate(data.test()));
                progress.epochDone(r, ev);
                last = trainer.finished() ? new LastEvaluation(vae.parametersSha256(), ev) : null;
                history.add(r, ev.sampled());
                // progress.json after an epoch, at most once a second and after the last: each write is a file and
                // a directory fsync, which cost a small table's 100 short epochs more than a second on this VM
                long now = System.nanoTime();
                if (trainer.finished() || now - written >= HISTORY_EVERY_NANOS) {
                    history.write(dir);
                    written = now;
                }
            }
        }
        clock.stage("reference", "reference scores of the " + (data.validation() != null ? "validation" : "training")
                + " rows", () -> trainer.finish(data.train()));
        if (vae.members() > 1 && data.validation() != null && config.training().patience() > 0) {
            System.err.println("simdvae: early stopping: the members keep epochs "
                    + Arrays.toString(Arrays.stream(trainer.bestEpochs()).map(e -> e + 1)
                    .toArray()));
        } else if (trainer.stoppedEarly()) {
            System.err.printf("simdvae: early stopping after epoch %d; keeping epoch %d (validation loss %.3f)%n",
                    trainer.epoch(), trainer.bestEpoch() + 1, trainer.bestValidationLoss());
        }
        return last;
    }

    /**
     * The model as the held-out rows (test and validation) see it: a level that the training rows did not hold counts
     * as the column's (other), as the trainer's validation counts it, rather than ending the run after an epoch.
     */
    static Vae heldOut(Vae vae) {
        return vae.withUnseenLevels(UnseenLevels.OTHER);
    }
}
