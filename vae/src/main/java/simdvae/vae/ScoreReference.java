package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a trained model keeps of the rows it was calibrated on (its validation rows, else its training rows): the
 * distribution of their scores, which turns a score in nats into a percentile and a contamination rate into a
 * threshold, and per column a typical value, which {@code explain} sets beside a row's own. It keeps two
 * distributions, one for each score a row gets: the score of {@link Vae#score} (the negative ELBO with one seeded z
 * a row) and the negative ELBO at z = μ of {@link Vae#embed} and of Spark's {@code VaeModel} (which depends on the
 * row alone); each percentile and threshold is of the score it is set beside.
 *
 * <p>Up to {@value #EXACT} rows the scores are kept whole and every answer is exact. Beyond, the model keeps
 * {@value #EXACT} + 1 order statistics evenly spaced in rank (the smallest, the largest and every
 * (n − 1)/{@value #EXACT}-th between, a deterministic quantile sketch of 40 KB): a percentile or a contamination's
 * threshold is then interpolated between neighbours, and its rank is off by at most 1/{@value #EXACT} of the rows
 * (0.01 percentile points).
 *
 * <p>Long mostly in documentation: each per-column summary has a documented accessor, and the file format is read
 * and written here.
 */
public final class ScoreReference {
    /** Scores kept whole up to this many rows; order statistics kept beyond. */
    public static final int EXACT = 10_000;
    private static final int MAX_COLUMNS = 1 << 24;

    private final String source;
    private final long rows;
    private final float[] sorted;
    private final float[] sortedAtMean;
    private final float[] low;
    private final float[] median;
    private final float[] high;
    private final int[] mode;
    private final float[] modeShare;

    private ScoreReference(String source, long rows, float[] sorted, float[] sortedAtMean, float[] low,
                           float[] median, float[] high, int[] mode, float[] modeShare) {
        this.source = source;
        this.rows = rows;
        this.sorted = sorted;
        this.sortedAtMean = sortedAtMean;
        this.low = low;
        this.median = median;
        this.high = high;
        this.mode = mode;
        this.modeShare = modeShare;
    }

    /**
     * The reference of {@code scores} (one a row) with per-column summaries of the rows' values.
     *
     * @param source     which rows these are, for reports ({@code "validation"}, {@code "training"}, …)
     * @param scores     the rows' scores (the {@code score} column: {@link Vae.Scores#negativeElbo()})
     * @param atMean     the rows' negative ELBO at z = μ ({@link Vae.Embedding#score()})
     * @param values     per column, the rows' values in the data's units (a level as its index in the model's
     *                   levels; NaN for a missing cell), column-major: {@code values[j][i]}
     * @param categorical per column, whether it is categorical
     * @param levels     per column, its level count (categorical columns)
     * @return the reference
     */
    static ScoreReference of(String source, double[] scores, float[] atMean, float[][] values, boolean[] categorical,
                             int[] levels) {
        if (scores.length == 0) {
            throw new SimdvaeException("no rows to calibrate the model's scores on");
        }
        float[] all = new float[scores.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = (float) scores[i];
        }
        Arrays.sort(all);
        float[] allAtMean = atMean.clone();
        Arrays.sort(allAtMean);
        int c = values.length;
        float[] low = new float[c];
        float[] median = new float[c];
        float[] high = new float[c];
        int[] mode = new int[c];
        float[] share = new float[c];
        for (int j = 0; j < c; j++) {
            low[j] = median[j] = high[j] = Float.NaN;
            mode[j] = -1;
            if (categorical[j]) {
                long[] counts = new long[levels[j]];
                long seen = 0;
                for (float v : values[j]) {
                    if (!Float.isNaN(v)) {
                        counts[(int) v]++;
                        seen++;
                    }
                }
                for (int q = 0; q < counts.length; q++) {
                    if (counts[q] > 0 && (mode[j] < 0 || counts[q] > counts[mode[j]])) {
                        mode[j] = q;
                    }
                }
                share[j] = mode[j] < 0 ? 0f : (float) counts[mode[j]] / seen;
            } else {
                float[] v = observed(values[j]);
                if (v.length > 0) {
                    Arrays.sort(v);
                    low[j] = (float) quantile(v, 0.25);
                    median[j] = (float) quantile(v, 0.5);
                    high[j] = (float) quantile(v, 0.75);
                }
            }
        }
        return new ScoreReference(source, all.length, sketch(all), sketch(allAtMean), low, median, high, mode, share);
    }

    /** The observed values of a column (NaN dropped). */
    private static float[] observed(float[] column) {
        float[] out = new float[column.length];
        int n = 0;
        for (float v : column) {
            if (!Float.isNaN(v)) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The scores whole, or {@value #EXACT} + 1 order statistics evenly spaced in rank. */
    private static float[] sketch(float[] sorted) {
        if (sorted.length <= EXACT) {
            return sorted;
        }
        float[] kept = new float[EXACT + 1];
        for (int i = 0; i <= EXACT; i++) {
            kept[i] = (float) quantile(sorted, (double) i / EXACT);
        }
        return kept;
    }

    /** The q-quantile of sorted values, interpolated linearly between neighbours (NumPy's and PyOD's default). */
    private static double quantile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[i] + (pos - i) * ((double) sorted[i + 1] - sorted[i]);
    }

    /**
     * Which rows the reference holds, as its maker named them: {@code "validation"} or {@code "training"} after
     * training, {@code "calibration"} for rows given to {@link Vae#calibrate}.
     *
     * @return the name
     */
    public String source() {
        return source;
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
     * Whether every score is kept (at most {@value #EXACT} rows), so that answers are exact.
     *
     * @return whether exact
     */
    public boolean exact() {
        return sorted.length == rows;
    }

    /**
     * The share of reference rows whose score ({@link Vae.Scores#negativeElbo()}) is lower than {@code score}, in
     * percent: comparable across models and likelihoods, unlike nats. The reference rows' own percentiles are
     * uniform on [0, 100).
     *
     * @param score a score, nats
     * @return its percentile, 0 to 100
     */
    public double percentile(double score) {
        return percentile(sorted, score);
    }

    /**
     * {@link #percentile(double)} of a negative ELBO at z = μ ({@link Vae.Embedding#score()}), among the reference
     * rows' own.
     *
     * @param score a negative ELBO at z = μ, nats
     * @return its percentile, 0 to 100
     */
    public double percentileAtMean(double score) {
        return percentile(sortedAtMean, score);
    }

    private double percentile(float[] kept, double score) {
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

    /**
     * The score above which a share {@code contamination} of the reference rows lies: the (1 − contamination)
     * quantile of their scores, interpolated linearly (as PyOD's {@code threshold_}). A row is an outlier when its
     * score is above it.
     *
     * @param contamination the share of outliers, in (0, 0.5]
     * @return the threshold, nats
     */
    public double threshold(double contamination) {
        checkContamination(contamination);
        // kept order statistics are evenly spaced in rank, so the formula is the exact one's either way
        return quantile(sorted, 1 - contamination);
    }

    /**
     * {@link #threshold(double)} for the negative ELBO at z = μ ({@link Vae.Embedding#score()}).
     *
     * @param contamination the share of outliers, in (0, 0.5]
     * @return the threshold, nats
     */
    public double thresholdAtMean(double contamination) {
        checkContamination(contamination);
        return quantile(sortedAtMean, 1 - contamination);
    }

    /**
     * Refuses a contamination outside (0, 0.5] in one line.
     *
     * @param contamination the share of outliers
     */
    public static void checkContamination(double contamination) {
        if (!(contamination > 0 && contamination <= 0.5)) {
            throw new SimdvaeException("a contamination must be in (0, 0.5] (the expected share of outliers), got "
                    + contamination);
        }
    }

    /**
     * Refuses a threshold that is not a finite number of nats in one line.
     *
     * @param threshold the threshold
     */
    public static void checkThreshold(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new SimdvaeException("a threshold must be a finite number of nats, got " + threshold);
        }
    }

    /**
     * A numeric column's lower quartile in the reference rows, in the data's units (NaN for a categorical column or
     * one with no value).
     *
     * @param j the column
     * @return the quartile
     */
    public float lowerQuartile(int j) {
        return low[j];
    }

    /**
     * A numeric column's median in the reference rows, in the data's units (NaN for a categorical column).
     *
     * @param j the column
     * @return the median
     */
    public float median(int j) {
        return median[j];
    }

    /**
     * A numeric column's upper quartile in the reference rows (NaN for a categorical column).
     *
     * @param j the column
     * @return the quartile
     */
    public float upperQuartile(int j) {
        return high[j];
    }

    /**
     * A categorical column's most frequent level in the reference rows, as its index in the model's levels (−1 for
     * a numeric column, or one with no value).
     *
     * @param j the column
     * @return the level's index
     */
    public int mode(int j) {
        return mode[j];
    }

    /**
     * The share of the reference rows' values of a categorical column that are its {@link #mode}.
     *
     * @param j the column
     * @return the share, 0 to 1
     */
    public float modeShare(int j) {
        return modeShare[j];
    }

    /**
     * The number of columns summarised.
     *
     * @return the count
     */
    public int columns() {
        return median.length;
    }

    /** As the model file stores it (see {@link ModelFile}). */
    void write(DataOutputStream out) throws IOException {
        byte[] name = source.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        out.writeLong(rows);
        for (float[] kept : new float[][] {sorted, sortedAtMean}) {
            out.writeInt(kept.length);
            for (float v : kept) {
                out.writeFloat(v);
            }
        }
        out.writeInt(median.length);
        for (int j = 0; j < median.length; j++) {
            out.writeFloat(low[j]);
            out.writeFloat(median[j]);
            out.writeFloat(high[j]);
            out.writeInt(mode[j]);
            out.writeFloat(modeShare[j]);
        }
    }

    /** Reads what {@link #write} wrote, checking sizes before allocating. */
    static ScoreReference read(ByteBuffer in, String name) {
        int length = in.getInt();
        if (length < 0 || length > 64 || length > in.remaining()) {
            throw new SimdvaeException(name + " is damaged: a reference source name of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        long rows = in.getLong();
        if (rows < 1) {
            throw new SimdvaeException(name + " is damaged: a reference of " + rows + " rows");
        }
        float[][] kept = new float[2][];
        for (int k = 0; k < 2; k++) {
            int count = in.getInt();
            if (count < 1 || count > EXACT + 1 || count > rows || (rows <= EXACT && count != rows)
                    || 4L * count > in.remaining()) {
                throw new SimdvaeException(name + " is damaged: a reference of " + count + " scores for " + rows
                        + " rows");
            }
            kept[k] = new float[count];
            for (int i = 0; i < count; i++) {
                kept[k][i] = in.getFloat();
            }
        }
        int c = in.getInt();
        if (c < 0 || c > MAX_COLUMNS || 20L * c > in.remaining()) {
            throw new SimdvaeException(name + " is damaged: a reference of " + c + " columns");
        }
        float[] low = new float[c];
        float[] median = new float[c];
        float[] high = new float[c];
        int[] mode = new int[c];
        float[] share = new float[c];
        for (int j = 0; j < c; j++) {
            low[j] = in.getFloat();
            median[j] = in.getFloat();
            high[j] = in.getFloat();
            mode[j] = in.getInt();
            share[j] = in.getFloat();
        }
        return new ScoreReference(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), rows, kept[0], kept[1],
                low, median, high, mode, share);
    }
}
