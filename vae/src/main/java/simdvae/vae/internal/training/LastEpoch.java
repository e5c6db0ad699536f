package simdvae.vae.internal.training;

/**
 * The numbers of the last epoch an ensemble's member finished: what the ensemble's report of that epoch averages
 * once every member has run it (a checkpoint keeps them, so a run resumed between two members reports the whole
 * epoch).
 *
 * @param epoch            the epoch, 0-based (−1: none yet)
 * @param trainLoss        its mean training loss
 * @param seconds          its training time
 * @param samplesPerSecond its throughput
 * @param validationLoss   the validation loss after it, or NaN
 */
public record LastEpoch(int epoch, double trainLoss, double seconds, double samplesPerSecond,
                        double validationLoss) {
    /** No epoch finished yet. */
    public static final LastEpoch NONE = new LastEpoch(-1, Double.NaN, 0, 0, Double.NaN);
}
