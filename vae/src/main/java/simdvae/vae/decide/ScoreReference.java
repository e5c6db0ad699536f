package simdvae.vae.decide;

/**
 * What a trained model keeps of the rows it was calibrated on (a seeded sample of its validation rows, else of its
 * training rows): the distribution of their anomaly scores, which turns a score into a percentile and a p-value and
 * a contamination into a threshold, each column's typical values, which {@code explain} sets beside a row's own,
 * and the per-column summaries a batch is tested against for drift.
 *
 * @param source  which rows these are, as their maker named them: {@code "validation"} or {@code "training"} after
 *                training, {@code "calibration"} for rows given to {@code Vae.calibrate}
 * @param scores  the reference rows' anomaly scores
 * @param typical each column's typical values in the reference rows
 * @param drift   what drift is measured against, or null for a model file written before it (format 4)
 * @param neighbours the nearest-neighbour half of a hybrid anomaly score, calibrated on these rows, or null when the
 *                model's score is the negative ELBO at z = μ alone (see {@link NeighbourTerm})
 */
public record ScoreReference(String source, ScoreDistribution scores, TypicalValues typical, DriftReference drift,
                             NeighbourTerm neighbours) {
    /**
     * A reference of a model whose score is the negative ELBO at z = μ alone.
     *
     * @param source  which rows these are
     * @param scores  their anomaly scores
     * @param typical each column's typical values
     * @param drift   what drift is measured against, or null
     */
    public ScoreReference(String source, ScoreDistribution scores, TypicalValues typical, DriftReference drift) {
        this(source, scores, typical, drift, null);
    }

    /**
     * How many rows the reference summarises.
     *
     * @return the count
     */
    public long rows() {
        return scores.rows();
    }
}
