package simdvae.vae.decide;

/**
 * What a trained model keeps of the rows it was calibrated on (its validation rows, else its training rows): the
 * distribution of each of their two scores, and each column's typical values. The two scores are the negative ELBO
 * with one seeded draw of z a row (the command line's {@code score}: {@code Scores.negativeElbo}) and the negative
 * ELBO at z = μ (a function of the row alone: {@code Embedding.score} and Spark's {@code score}); a percentile or a
 * threshold is always of the score it is set beside.
 *
 * @param source  which rows these are, as their maker named them: {@code "validation"} or {@code "training"} after
 *                training, {@code "calibration"} for rows given to {@code Vae.calibrate}
 * @param sampled the negative ELBO with a sampled z of the reference rows
 * @param atMean  the negative ELBO at z = μ of the reference rows
 * @param typical each column's typical values in the reference rows
 */
public record ScoreReference(String source, ScoreDistribution sampled, ScoreDistribution atMean,
                             TypicalValues typical) {
    /**
     * How many rows the reference summarises.
     *
     * @return the count
     */
    public long rows() {
        return sampled.rows();
    }
}
