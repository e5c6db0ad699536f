package simdvae.vae.decide;

/**
 * How far one column of a batch moved from the reference. Its own data (its values and its missing rate) make the
 * column's p-value; its nats are reported beside, as their own hypothesis, because they move with any column the
 * model reconstructs this one from (multiply y by 1.5 where y follows x, and x's nats shift as much as y's).
 *
 * @param column           the column's index
 * @param values           the test of its values (χ² over the reference's deciles, or over its levels)
 * @param missing          the test of its missing rate (Fisher's exact test)
 * @param nats             the test of its nats (χ² over the reference's deciles), {@link TestResult#NONE} when the
 *                         reference keeps none
 * @param logP             ln of the column's p-value, its own data's: Bonferroni over its value and missing-rate
 *                         tests that ran, ln min(1, k · min p)
 * @param adjustedLogP     {@code logP} adjusted for every test of the batch (Holm's step-down over the score test,
 *                         every column and every column's nats): the column drifted at level α when it is at most
 *                         ln α
 * @param natsAdjustedLogP the nats test's ln p adjusted likewise: the model fits the column worse at level α when it
 *                         is at most ln α
 */
public record ColumnDrift(int column, TestResult values, TestResult missing, TestResult nats, double logP,
                          double adjustedLogP, double natsAdjustedLogP) {
    /**
     * The column's p-value (e^logP; 0 when it underflows, where {@link #logP()} still orders columns).
     *
     * @return p, in [0, 1]
     */
    public double p() {
        return Math.exp(logP);
    }

    /**
     * The column's p-value adjusted for every test of the batch.
     *
     * @return the adjusted p, in [0, 1]
     */
    public double adjustedP() {
        return Math.exp(adjustedLogP);
    }

    /**
     * Whether the column's own data drifted at level {@code alpha}, with the family-wise error over the batch's
     * tests held at alpha.
     *
     * @param alpha the level, in (0, 1)
     * @return whether it drifted
     * @throws IllegalArgumentException when alpha is outside (0, 1)
     */
    public boolean drifted(double alpha) {
        return adjustedLogP <= Math.log(DriftReport.checkAlpha(alpha));
    }
}
