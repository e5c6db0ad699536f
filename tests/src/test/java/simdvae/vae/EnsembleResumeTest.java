package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.Width;
import simdvae.vae.data.Dataset;
import simdvae.vae.internal.io.Checkpoint;

/**
 * An ensemble's training stopped at any step (inside member 0's epoch or a later member's) and resumed from its
 * checkpoint ends with the bits of a run never stopped, each member with its own early stopping and best epoch, and
 * reports the same epochs.
 */
class EnsembleResumeTest {
    @TempDir
    Path dir;

    static final Dataset DATA = Mnist.train().head(360);

    /** Three members, 6 epochs of 12 steps, a validation split and early stopping of patience 1. */
    static VaeConfig config() {
        return VaeConfig.defaults().withHidden(List.of(20)).withLatent(2).withBatch(30).withEpochs(6).withSeed(3)
                .withLearningRate(0.01).withValidation(0.25, 1).withEnsemble(3).withThreads(1);
    }

    static String losses(List<TrainingListener.EpochResult> results) {
        StringBuilder s = new StringBuilder();
        for (TrainingListener.EpochResult r : results) {
            s.append(r.epoch()).append(' ').append(Double.toHexString(r.trainLoss())).append(' ')
                    .append(Double.toHexString(r.validationLoss())).append('\n');
        }
        return s.toString();
    }

    @Test
    void aStoppedEnsembleResumesToTheUninterruptedBits() {
        Vae whole = Vae.create(config());
        String wholeLosses;
        int[] best;
        try (Trainer t = new Trainer(whole)) {
            wholeLosses = losses(t.train(DATA));
            best = t.bestEpochs();
        }
        assertEquals(3, best.length);
        assertTrue(java.util.Arrays.stream(best).distinct().count() > 1, "each member keeps its own best epoch: "
                + java.util.Arrays.toString(best));
        for (long stopAt : new long[] {5, 12 + 7, 2 * 12 + 3, 3 * 12 + 12 + 1}) {
            Path file = dir.resolve("c" + stopAt + ".svck");
            List<TrainingListener.EpochResult> before = new ArrayList<>();
            try (Trainer t = new Trainer(Vae.create(config()))) {
                t.addListener(new TrainingListener() {
                    @Override
                    public void onStep(int epoch, long step, int batch, int batches, double loss, double rate) {
                        if (step == stopAt) {
                            t.requestStop();
                        }
                    }

                    @Override
                    public void onEpoch(EpochResult r) {
                        before.add(r);
                    }
                });
                assertThrows(Trainer.StoppedException.class, () -> t.train(DATA));
                t.saveCheckpoint(file);
            }
            Checkpoint c = Checkpoint.read(file);
            assertEquals(3, c.members().size());
            assertEquals(stopAt, c.members().stream().mapToLong(m -> m.position().step()).sum());
            try (Trainer t = Trainer.resume(file, 2, Width.AUTO)) {
                assertEquals(3, t.model().members());
                List<TrainingListener.EpochResult> after = t.train(DATA);
                before.addAll(after);
                assertEquals(whole.parametersSha256(), t.model().parametersSha256(), "stopped at step " + stopAt);
                assertArrayEquals(best, t.bestEpochs());
                assertArrayEquals(whole.score(DATA).score(), t.model().score(DATA).score());
            }
            assertEquals(wholeLosses, losses(before), "the epochs reported, stopped at step " + stopAt);
        }
    }

    /** A checkpoint's model is the whole ensemble, and a warm start from it continues each member's Adam. */
    @Test
    void aCheckpointHoldsEveryMember() {
        Path file = dir.resolve("e.svck");
        Vae v = Vae.create(config().withValidation(0, 0).withEpochs(1));
        try (Trainer t = new Trainer(v)) {
            t.train(DATA);
            t.saveCheckpoint(file);
        }
        Vae saved = Trainer.checkpointModel(file);
        assertEquals(3, saved.members());
        assertEquals(v.parametersSha256(), saved.parametersSha256());
        try (Trainer t = Trainer.warmStart(file, saved.config().withEpochs(1))) {
            t.train(DATA);
            // 12 steps an epoch: each member's Adam count goes on from its saved 12
            assertEquals(3 * (12 + 12), t.steps(), "every member went on from its saved step");
            assertEquals(3, t.model().members());
        }
    }
}
