package simdvae.vae;

import simdvae.core.SimdvaeException;

/**
 * Per-row scores for anomaly detection ({@link Vae#score}): higher is more anomalous. The anomaly score is the
 * negative ELBO at z = μ, in nats: a function of the row alone (the same bits in one process or on Spark, in a file or
 * a stream), which the model's reference rows turn into a percentile and a p-value, and its decision into outliers.
 *
 * @param score          the anomaly score: the negative ELBO at z = μ, −log p(x|z = μ) + KL, nats
 * @param pValues        each score's conformal p-value against the reference rows' scores, (1 + #reference ≥ score)
 *                       / (n + 1), in (0, 1] (uniform on rows like the reference rows), or null without a reference
 * @param percentiles    each score's percentile among the reference rows' (0 to 100), or null without a reference
 * @param outliers       per row whether it is an outlier under the model's decision, or null without one
 * @param threshold      the threshold on the score the decision set, or NaN (no decision, or a false-discovery rate,
 *                       which decides by p-values over the rows scored together)
 * @param negativeElbo   the negative ELBO with one z ~ q(z|x) drawn per row (seeded: row i of a data set always gets
 *                       the same draw), as {@link Vae#evaluate} averages it
 * @param reconstruction the reconstruction's negative log-likelihood −log p(x|z) at z = μ
 * @param kl             KL(q(z|x) ‖ N(0, I))
 * @param perColumn      each row's reconstruction term per column, nats, at z = μ (they add up to
 *                       {@code reconstruction}, to rounding; a categorical column's levels in one number, a missing
 *                       cell at its expected cost), or null unless asked for
 */
public record Scores(double[] score, double[] pValues, double[] percentiles, boolean[] outliers, double threshold,
                     double[] negativeElbo, double[] reconstruction, double[] kl, float[][] perColumn) {
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
     * Row {@code i}'s conformal p-value against the reference rows' scores.
     *
     * @param i the row
     * @return in (0, 1]
     * @throws SimdvaeException when the model had no reference
     */
    public double pValue(int i) {
        if (pValues == null) {
            throw new SimdvaeException("no p-values: the model has no reference scores");
        }
        return pValues[i];
    }

    /**
     * Whether row {@code i} is an outlier under the model's decision.
     *
     * @param i the row
     * @return whether it is an outlier
     * @throws SimdvaeException when the model had no decision (set a contamination, a threshold or an FDR)
     */
    public boolean outlier(int i) {
        if (outliers == null) {
            throw new SimdvaeException("no outlier decision: give the model a contamination, a threshold or a"
                    + " false-discovery rate (Vae.withDecision; train --contamination, score --fdr)");
        }
        return outliers[i];
    }
}
