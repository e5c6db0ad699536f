package simdvae.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import simdvae.core.Width;
import simdvae.core.SimdvaeException;
import simdvae.vae.Trainer;

/** Where a resumed run stands: its settings and history, its trainer at the checkpoint, and its data. */
record RunStart(RunHistory history, Trainer trainer, RunData data) {
    /**
     * The run in {@code dir} from its last checkpoint; the options that may change on resume (data, checkpoint
     * interval, contamination, threads, width) override its settings when given.
     */
    static RunStart resume(Path dir, DataOption data, Long checkpointEvery, Double contamination, int threads,
                           Width width) {
        Path file = dir.resolve(EpochLoop.CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new SimdvaeException("no " + EpochLoop.CHECKPOINT + " in " + dir + " to resume from (train with"
                    + " --checkpoint-every N to write one)");
        }
        RunHistory history = RunHistory.read(dir);
        Trainer trainer = Trainer.resume(file, threads, width);
        history.keepFirstEpochs(trainer.epoch());
        if (data.path != null) {
            history.data = data.path.toString();
        }
        if (checkpointEvery != null) {
            history.checkpointEvery = checkpointEvery;
        }
        if (contamination != null) {
            history.contamination = contamination;
        }
        return new RunStart(history, trainer, RunData.load(history, trainer.model().config().seed()));
    }
}
