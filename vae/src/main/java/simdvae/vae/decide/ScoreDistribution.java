package simdvae.vae.decide;

import java.util.Arrays;

/**
 * The distribution of one kind of score over a model's reference rows, as the model keeps it, which turns a score in
 * nats into a percentile, a p-value, or a contamination rate into a threshold: the scores sorted, whole up to a limit ({@value #EXACT} rows by default, as
 * the model's score reference), beyond it K = limit + 1 order statistics evenly spaced in rank (a deterministic
 * sketch). Knot i then stands at the fractional 0-based rank position pos_i = i (n − 1) / (K − 1) among the n
 * reference scores (it is their linearly interpolated i / (K − 1) quantile); when the scores are kept whole,
 * pos_i = i. Every answer here reads ranks through these positions, so a sketch answers as the whole would to
 * within one knot spacing.
 *
 * <p>Scores are compared at the reference's precision, {@code float}: a reference row's score, rounded as it was
 * stored, then finds itself among the reference, and counts itself.
 *
 * <p>Its uses: a score's percentile ({@link #percentile}) and conformal p-value ({@link #pValue}), a contamination's
 * threshold ({@link #threshold}), and the bucket of a batch score ({@link #bucket}) whose counts give the batch's
 * empirical distribution at every knot, from both sides, for a Kolmogorov–Smirnov test ({@link #ksTest}).
 */
public final class ScoreDistribution {
    /** Scores kept whole up to this many rows by {@link #of(double[])}; order statistics beyond. */
    public static final int EXACT = 10_000;

    private final float[] knots;
    private final long rows;

    private ScoreDistribution(float[] knots, long rows) {
        this.knots = knots;
        this.rows = rows;
    }

    /**
     * The knots of {@code scores}: all of them sorted up to {@value #EXACT}, else {@value #EXACT} + 1 order
     * statistics.
     *
     * @param scores the reference rows' scores (nats)
     * @return the knots
     * @throws IllegalArgumentException when there is no score or one is NaN
     */
    public static ScoreDistribution of(double[] scores) {
        return of(scores, EXACT);
    }

    /**
     * The knots of {@code scores}, whole up to {@code exactUpTo} rows, else {@code exactUpTo} + 1 order statistics:
     * the q = i / exactUpTo quantiles of the scores (rounded to float and sorted), interpolated linearly at position
     * q (n − 1), then rounded to float (the model's score reference's rule, so the two agree bit for bit).
     *
     * @param scores    the reference rows' scores (nats)
     * @param exactUpTo the largest count of scores kept whole, at least 1
     * @return the knots
     * @throws IllegalArgumentException when there is no score, one is NaN, or {@code exactUpTo} is below 1
     */
    public static ScoreDistribution of(double[] scores, int exactUpTo) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("a reference needs at least one score");
        }
        if (exactUpTo < 1) {
            throw new IllegalArgumentException("a reference keeps at least one score whole, got " + exactUpTo);
        }
        float[] all = new float[scores.length];
        for (int i = 0; i < all.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("reference score " + i + " is NaN");
            }
            all[i] = (float) scores[i];
        }
        Arrays.sort(all);
        if (all.length <= exactUpTo) {
            return new ScoreDistribution(all, all.length);
        }
        float[] kept = new float[exactUpTo + 1];
        for (int i = 0; i <= exactUpTo; i++) {
            double pos = (double) i / exactUpTo * (all.length - 1);
            int lo = (int) Math.floor(pos);
            kept[i] = lo >= all.length - 1 ? all[all.length - 1]
                    : (float) (all[lo] + (pos - lo) * ((double) all[lo + 1] - all[lo]));
        }
        return new ScoreDistribution(kept, all.length);
    }

    /**
     * Knots kept elsewhere (a model file): sorted scores standing for {@code rows} rows.
     *
     * @param knots the kept scores, ascending, no NaN; all of them when {@code knots.length == rows}, else at least
     *              two, the i / (K − 1) quantiles
     * @param rows  how many reference rows they stand for
     * @return the knots (a copy of the array)
     * @throws IllegalArgumentException when the knots are empty, unsorted or NaN, or more than the rows
     */
    public static ScoreDistribution ofKept(float[] knots, long rows) {
        if (knots.length == 0 || rows < knots.length || (rows > knots.length && knots.length < 2)) {
            throw new IllegalArgumentException(knots.length + " kept scores cannot stand for " + rows + " rows");
        }
        for (int i = 0; i < knots.length; i++) {
            if (Float.isNaN(knots[i]) || (i > 0 && knots[i] < knots[i - 1])) {
                throw new IllegalArgumentException("kept scores must be ascending numbers, not at " + i);
            }
        }
        return new ScoreDistribution(knots.clone(), rows);
    }

    /**
     * How many reference rows the knots stand for (n).
     *
     * @return the count
     */
    public long rows() {
        return rows;
    }

    /**
     * How many scores are kept (K).
     *
     * @return the count
     */
    public int size() {
        return knots.length;
    }

    /**
     * Whether every reference score is kept, so that every answer is exact.
     *
     * @return whether exact
     */
    public boolean exact() {
        return knots.length == rows;
    }

    /**
     * Kept score i.
     *
     * @param i which, 0 to K − 1
     * @return the score
     */
    public float knot(int i) {
        return knots[i];
    }

    /**
     * The kept scores, ascending (a copy, to store them).
     *
     * @return the scores
     */
    public float[] knots() {
        return knots.clone();
    }

    /**
     * Knot i's 0-based rank position among the reference scores, i (n − 1) / (K − 1) (i itself when exact).
     *
     * @param i which knot
     * @return its position, 0 to n − 1
     */
    public double position(int i) {
        return exact() ? i : (double) i * (rows - 1) / (knots.length - 1);
    }

    /**
     * How many reference scores are at least {@code score}: exact when every score is kept, else interpolated
     * linearly in rank between the knots on either side, (n − x) for the interpolated position x; its error is
     * below one knot spacing plus one row, (n − 1) / (K − 1) + 1.
     *
     * @param score a score (nats), compared as a float
     * @return the count, 0 to n (fractional for a sketch), NaN for a NaN score
     */
    public double countAtLeast(double score) {
        if (Double.isNaN(score)) {
            return Double.NaN;
        }
        float s = (float) score;
        int below = lowerBound(s);
        if (exact()) {
            return rows - below;
        }
        if (below == 0) {
            return rows;
        }
        if (below == knots.length) {
            return 0;
        }
        double a = knots[below - 1];
        double b = knots[below];
        // a < s ≤ b: the position moves linearly from knot below − 1's to knot below's
        double x = position(below - 1) + (s - a) / (b - a) * (position(below) - position(below - 1));
        return rows - x;
    }

    /**
     * The conformal p-value of {@code score} against the reference: (1 + #reference ≥ score) / (n + 1). For a row
     * drawn like the reference rows, P(p ≤ α) ≤ α for every α, with equality at the multiples of 1 / (n + 1) when
     * the scores have no ties, whatever the model; it is in (0, 1], never increases with the score, and equal scores
     * get equal p-values. A sketch's p-value is within ((n − 1) / (K − 1) + 1) / (n + 1) of the exact one. (Drawn
     * like the reference rows, and exchangeable with them: the reference must be rows the model did not train on,
     * whose scores run low.)
     *
     * @param score a score (nats)
     * @return the p-value, in [1 / (n + 1), 1]; NaN for a NaN score
     */
    public double pValue(double score) {
        return (1 + countAtLeast(score)) / (rows + 1.0);
    }

    /**
     * The share of reference rows whose score is lower than {@code score}, in percent: comparable across models and
     * likelihoods, unlike nats. The reference rows' own percentiles are uniform on [0, 100); a sketch's is within
     * one knot spacing of the exact one (0.01 percentile points for the default sketch).
     *
     * @param score a score, nats
     * @return its percentile, 0 to 100 (NaN for NaN)
     */
    public double percentile(double score) {
        return 100.0 * (rows - countAtLeast(score)) / rows;
    }

    /**
     * The score above which a share {@code contamination} of the reference rows lies: the (1 − contamination)
     * quantile of their scores, interpolated linearly (as PyOD's {@code threshold_}). The knots are evenly spaced in
     * rank, so a sketch's threshold is the whole's to within one knot spacing.
     *
     * @param contamination the share of outliers, in (0, 0.5]
     * @return the threshold, nats
     */
    public double threshold(double contamination) {
        Decision.checkContamination(contamination);
        return quantile(knots, 1 - contamination);
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

    /**
     * {@link #pValue} of each score.
     *
     * @param scores scores (nats)
     * @return their p-values
     */
    public double[] pValues(double[] scores) {
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = pValue(scores[i]);
        }
        return p;
    }

    /**
     * The batch-histogram bucket of {@code score}: (#knots &lt; s) + (#knots ≤ s), in [0, 2K]. For distinct knots,
     * bucket 2i holds the scores strictly between knots i − 1 and i and bucket 2i + 1 those equal to knot i; in
     * general a score is below knot i exactly when its bucket is at most 2 first(i), and at most knot i exactly when
     * its bucket is at most first(i) + last(i) + 1 (the first and last knots equal to knot i). So the batch's
     * empirical distribution at every knot, from both sides, is a sum of bucket counts, which add up over any split
     * of the batch. A NaN score has no bucket.
     *
     * @param score a batch row's score (nats), compared as a float
     * @return the bucket, 0 to 2K; −1 for NaN
     */
    public int bucket(double score) {
        if (Double.isNaN(score)) {
            return -1;
        }
        float s = (float) score;
        return lowerBound(s) + upperBound(s);
    }

    /**
     * The number of buckets of {@link #bucket}, 2K + 1.
     *
     * @return the count
     */
    public int buckets() {
        return 2 * knots.length + 1;
    }

    /**
     * The two-sample Kolmogorov–Smirnov test of a batch, given its score counts per {@link #bucket}, against the
     * reference: D = max |F_ref − F_batch| over every knot, both at it and just below it (left limits). The batch's
     * F there is a sum of counts; the reference's is read from the knots' positions: (position(last) + 1) / n at a
     * knot, position(first) / n just below it (first and last of the knots equal to it). Both empirical
     * distributions are step functions and, when every reference score is kept, the reference's is flat between
     * knots, so the largest gap sits at a knot or just below one: D is the exact two-sample statistic. From a sketch
     * it is within s / n of the exact one, s = (n − 1) / (K − 1) the knot spacing in rows (below 1 / (K − 1) =
     * 10⁻⁴ for the default sketch): a knot's true rank is within s of the one read from its position, and the
     * reference mass between neighbouring knots is at most s, so the gap anywhere between them exceeds the gaps at
     * them by at most s / n. The p-value is the asymptotic one with Stephens' correction
     * ({@link Kolmogorov#logTwoSamplePValue}).
     *
     * @param counts the batch's count per bucket ({@link #buckets()} of them)
     * @return the test, or {@link TestResult#NONE} for an empty batch
     * @throws IllegalArgumentException when the counts have another length or one is negative
     */
    public TestResult ksTest(long[] counts) {
        if (counts.length != buckets()) {
            throw new IllegalArgumentException("score counts over " + counts.length + " buckets, the reference has "
                    + buckets());
        }
        long[] cumulative = new long[counts.length];
        long m = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] < 0) {
                throw new IllegalArgumentException("a negative score count in bucket " + b);
            }
            m = Math.addExact(m, counts[b]);
            cumulative[b] = m;
        }
        if (m == 0) {
            return TestResult.NONE;
        }
        double d = 0;
        for (int first = 0, last; first < knots.length; first = last + 1) {
            last = first;
            while (last + 1 < knots.length && knots[last + 1] == knots[first]) {
                last++;
            }
            double below = Math.abs(position(first) / rows - (double) cumulative[2 * first] / m);
            double at = Math.abs((position(last) + 1) / rows - (double) cumulative[first + last + 1] / m);
            d = Math.max(d, Math.max(below, at));
        }
        d = Math.min(1, d);
        return new TestResult("ks", d, 0, Kolmogorov.logTwoSamplePValue(d, rows, m));
    }

    /** How many knots are below s. */
    private int lowerBound(float s) {
        return Bins.countBelow(knots, s, false);
    }

    /** How many knots are at most s. */
    private int upperBound(float s) {
        return Bins.countBelow(knots, s, true);
    }
}
