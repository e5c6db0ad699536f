package simdvae.cli;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import simdvae.vae.Trainer;

/**
 * SIGTERM or Ctrl-C during training: the signal asks the trainer to stop at its next step boundary (the training
 * call then throws {@link Trainer.StoppedException}) and the JVM waits until the run has said so and saved what it
 * saves, then exits with the signal's status. Every file of a run is written atomically, so none is left half-written.
 */
final class StopOnSignal implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    StopOnSignal(Trainer trainer) {
        hook = new Thread(() -> {
            trainer.requestStop();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simdvae-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Ends a stopped run: saves the trainer's state into {@code checkpoint} (null: checkpointing is off) and says in
     * one line where it stopped and how to go on.
     */
    void stopped(Trainer trainer, Trainer.StoppedException e, Path checkpoint) {
        String where = "simdvae: stopped at step " + e.step() + " (epoch " + (trainer.epoch() + 1) + ")";
        if (checkpoint != null) {
            trainer.saveCheckpoint(checkpoint);
            System.err.println(where + "; checkpoint saved: continue with --resume " + checkpoint.getParent());
        } else {
            System.err.println(where + "; no checkpoint (train with --checkpoint-every N to be able to resume)");
        }
        System.err.flush();
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting on the signal; the hook has done its part
        }
    }
}
