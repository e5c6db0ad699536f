package simdvae.vae;

/**
 * Progress reports from a {@link Trainer}, called on the training thread. Both methods default to doing nothing,
 * so an application overrides what it needs. Keep them quick: they run between steps.
 */
public interface TrainingListener {
    /**
     * After each step.
     *
     * @param epoch            0-based
     * @param step             1-based count of steps since training began (the Adam step)
     * @param batchInEpoch     0-based index of this batch in its epoch
     * @param batchesPerEpoch  batches in an epoch (the last may be partial)
     * @param loss             this batch's mean per-sample loss
     * @param samplesPerSecond training speed so far in this epoch
     */
    default void onStep(int epoch, long step, int batchInEpoch, int batchesPerEpoch, double loss,
                        double samplesPerSecond) {
    }

    /**
     * After each epoch.
     *
     * @param result the epoch's numbers
     */
    default void onEpoch(EpochResult result) {
    }

    /**
     * One epoch's numbers.
     *
     * @param epoch          0-based
     * @param trainLoss      mean per-sample training loss over the epoch (the negative ELBO, nats)
     * @param seconds        the epoch's training time (steps only)
     * @param samplesPerSecond training throughput over the epoch
     * @param validationLoss the negative ELBO on the validation data after the epoch (one seeded z per row), or NaN
     *                       without validation data
     */
    record EpochResult(int epoch, double trainLoss, double seconds, double samplesPerSecond, double validationLoss) {
    }
}
