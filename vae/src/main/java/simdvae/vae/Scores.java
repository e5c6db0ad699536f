package simdvae.vae;

import simdvae.core.SimdvaeException;

/**
 * Per-row scores, in nats, for anomaly detection ({@link Vae#score}): higher is more anomalous.
 *
 * @param negativeElbo   the negative ELBO with one z ~ q(z|x) drawn per row (seeded: row i of a data set always gets
 *                       the same draw), as in {@link Vae#evaluate}
 * @param reconstruction the reconstruction's negative log-likelihood −log p(x|z) at z = μ
 * @param kl             KL(q(z|x) ‖ N(0, I))
 * @param percentiles    each score's percentile among the reference rows' (0 to 100), or null when the model has no
 *                       reference
 * @param threshold      the threshold the model decided with (nats), or NaN when it has no decision
 * @param perColumn      each row's reconstruction term per column, nats, at z = μ (they add up to
 *                       {@code reconstruction}, to rounding; a categorical column's levels in one number, a missing
 *                       cell at its expected cost), or null unless asked for
 */
public record Scores(double[] negativeElbo, double[] reconstruction, double[] kl, double[] percentiles,
                     double threshold, float[][] perColumn) {
    /**
     * Row {@code i}'s percentile among the reference rows' scores.
     *
     * @param i the row
     * @return 0 to 100
     * @throws SimdvaeException when the model had no reference
     */
    public double percentile(int i) {
        if (percentiles == null) {
            throw new SimdvaeException("no percentiles: the model has no reference scores");
        }
        return percentiles[i];
    }

    /**
     * Whether row {@code i} is an outlier: its score above the model's threshold.
     *
     * @param i the row
     * @return whether it is an outlier
     * @throws SimdvaeException when the model had no decision (set a contamination or a threshold)
     */
    public boolean outlier(int i) {
        if (Double.isNaN(threshold)) {
            throw new SimdvaeException("no outlier decision: give the model a contamination or a threshold"
                    + " (Vae.withContamination, Vae.withThreshold; train --contamination)");
        }
        return negativeElbo[i] > threshold;
    }
}
