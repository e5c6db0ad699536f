package simdvae.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import simdvae.vae.Evaluation;
import simdvae.vae.TrainingListener;

/** A progress bar with loss and samples/s on a terminal, and one line per epoch either way. */
final class Progress implements TrainingListener, AutoCloseable {
    private final int epochs;
    private final boolean terminal = System.console() != null && System.console().isTerminal();
    private ProgressBar bar;

    Progress(int epochs) {
        this.epochs = epochs;
    }

    @Override
    public void onStep(int epoch, long step, int batchInEpoch, int batchesPerEpoch, double loss,
                       double samplesPerSecond) {
        if (!terminal) {
            return;
        }
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + epochs)
                    .setInitialMax(batchesPerEpoch).setStyle(ProgressBarStyle.ASCII).continuousUpdate()
                    .setUpdateIntervalMillis(200).build();
        }
        bar.stepTo(batchInEpoch + 1L);
        bar.setExtraMessage(String.format(" loss %.2f  %,.0f samples/s", loss, samplesPerSecond));
    }

    void epochDone(EpochResult r, Evaluation ev) {
        close();
        System.err.printf("epoch %d/%d  train loss %.2f%s  test loss %.2f  %.2f s  %,.0f samples/s%n",
                r.epoch() + 1, epochs, r.trainLoss(), Double.isNaN(r.validationLoss()) ? ""
                        : String.format("  validation loss %.2f", r.validationLoss()), ev.sampled(), r.seconds(),
                r.samplesPerSecond());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
