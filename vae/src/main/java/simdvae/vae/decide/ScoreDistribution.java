package simdvae.vae.decide;

import java.util.Arrays;
import simdvae.core.SimdvaeException;

/**
 * The distribution of one kind of score over a model's reference rows, which turns a score in nats into a percentile
 * and a contamination rate into a threshold. Up to {@value #EXACT} rows the scores are kept whole and every answer is
 * exact. Beyond, it keeps {@value #EXACT} + 1 order statistics evenly spaced in rank (the smallest, the largest and
 * every (n − 1)/{@value #EXACT}-th between, a deterministic quantile sketch of 40 KB): a percentile or a threshold is
 * then interpolated between neighbours, and its rank is off by at most 1/{@value #EXACT} of the rows (0.01
 * percentile points). Immutable.
 */
public final class ScoreDistribution {
    /** Scores kept whole up to this many rows; order statistics kept beyond. */
    public static final int EXACT = 10_000;

    private final long rows;
    private final float[] kept;

    private ScoreDistribution(long rows, float[] kept) {
        this.rows = rows;
        this.kept = kept;
    }

    /**
     * The distribution of {@code scores}, one a row.
     *
     * @param scores the rows' scores (not changed)
     * @return the distribution
     * @throws SimdvaeException when there is no score
     */
    public static ScoreDistribution of(float[] scores) {
        if (scores.length == 0) {
            throw new SimdvaeException("no rows to calibrate the model's scores on");
        }
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        if (sorted.length <= EXACT) {
            return new ScoreDistribution(sorted.length, sorted);
        }
        float[] sketch = new float[EXACT + 1];
        for (int i = 0; i <= EXACT; i++) {
            sketch[i] = (float) quantile(sorted, (double) i / EXACT);
        }
        return new ScoreDistribution(sorted.length, sketch);
    }

    /**
     * A distribution as a model file keeps it: its row count and its kept scores, sorted.
     *
     * @param rows the rows it summarises
     * @param kept every score (at most {@value #EXACT} rows) or {@value #EXACT} + 1 order statistics, ascending
     * @return the distribution
     * @throws SimdvaeException when the sizes do not fit together or the scores are not sorted
     */
    public static ScoreDistribution ofKept(long rows, float[] kept) {
        boolean sizes = rows >= 1 && (rows <= EXACT ? kept.length == rows : kept.length == EXACT + 1);
        for (int i = 1; sizes && i < kept.length; i++) {
            sizes = !(kept[i - 1] > kept[i]);
        }
        if (!sizes) {
            throw new SimdvaeException("a reference of " + kept.length + " sorted scores cannot describe " + rows
                    + " rows");
        }
        return new ScoreDistribution(rows, kept.clone());
    }

    /**
     * How many rows it summarises.
     *
     * @return the count
     */
    public long rows() {
        return rows;
    }

    /**
     * The scores it keeps, ascending (a copy).
     *
     * @return every score, or the order statistics
     */
    public float[] kept() {
        return kept.clone();
    }

    /**
     * Whether every score is kept (at most {@value #EXACT} rows), so that answers are exact.
     *
     * @return whether exact
     */
    public boolean exact() {
        return kept.length == rows;
    }

    /**
     * The share of reference rows whose score is lower than {@code score}, in percent: comparable across models and
     * likelihoods, unlike nats. The reference rows' own percentiles are uniform on [0, 100).
     *
     * @param score a score, nats
     * @return its percentile, 0 to 100 (NaN for NaN)
     */
    public double percentile(double score) {
        if (Double.isNaN(score)) {
            return Double.NaN;
        }
        int below = lowerBound(kept, score);
        if (exact()) {
            return 100.0 * below / rows;
        }
        // between kept order statistics below − 1 and below: the rank interpolated between theirs
        double rank;
        if (below == 0) {
            rank = 0;
        } else if (below == kept.length) {
            rank = rows;
        } else {
            double a = kept[below - 1];
            double b = kept[below];
            double step = (rows - 1.0) / EXACT;
            double frac = b > a ? (score - a) / (b - a) : 0;
            rank = (below - 1 + frac) * step + 1;
        }
        return 100.0 * Math.min(rows, rank) / rows;
    }

    /**
     * The score above which a share {@code contamination} of the reference rows lies: the (1 − contamination)
     * quantile of their scores, interpolated linearly (as PyOD's {@code threshold_}). Order statistics are evenly
     * spaced in rank, so the formula is the exact one's either way.
     *
     * @param contamination the share of outliers, in (0, 0.5]
     * @return the threshold, nats
     */
    public double threshold(double contamination) {
        Decision.checkContamination(contamination);
        return quantile(kept, 1 - contamination);
    }

    /** The q-quantile of sorted values, interpolated linearly between neighbours (NumPy's and PyOD's default). */
    static double quantile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[i] + (pos - i) * ((double) sorted[i + 1] - sorted[i]);
    }

    /** How many of {@code sorted} are below {@code x}. */
    private static int lowerBound(float[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
