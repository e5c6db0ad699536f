package simdvae.vae.decide;

import java.util.Arrays;

/**
 * Each column's typical values in a model's reference rows, which {@code explain} sets beside a row's own: a numeric
 * column's median and quartiles (in the data's units), a categorical column's most frequent level and its share.
 * Immutable.
 */
public final class TypicalValues {
    private final float[] low;
    private final float[] median;
    private final float[] high;
    private final int[] mode;
    private final float[] modeShare;

    private TypicalValues(float[] low, float[] median, float[] high, int[] mode, float[] modeShare) {
        this.low = low;
        this.median = median;
        this.high = high;
        this.mode = mode;
        this.modeShare = modeShare;
    }

    /**
     * The typical values of rows.
     *
     * @param values      per column, the rows' values in the data's units (a level as its index in the model's
     *                    levels; NaN for a missing cell), column-major: {@code values[j][i]}
     * @param categorical per column, whether it is categorical
     * @param levels      per column, its level count (categorical columns)
     * @return the summaries
     */
    public static TypicalValues of(float[][] values, boolean[] categorical, int[] levels) {
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
                    low[j] = (float) ScoreDistribution.quantile(v, 0.25);
                    median[j] = (float) ScoreDistribution.quantile(v, 0.5);
                    high[j] = (float) ScoreDistribution.quantile(v, 0.75);
                }
            }
        }
        return new TypicalValues(low, median, high, mode, share);
    }

    /**
     * Typical values as a model file keeps them, one entry a column in each array.
     *
     * @param low       lower quartiles (NaN for a categorical column)
     * @param median    medians
     * @param high      upper quartiles
     * @param mode      most frequent levels (−1 for a numeric column)
     * @param modeShare their shares
     * @return the summaries
     */
    public static TypicalValues of(float[] low, float[] median, float[] high, int[] mode, float[] modeShare) {
        return new TypicalValues(low.clone(), median.clone(), high.clone(), mode.clone(), modeShare.clone());
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

    /**
     * The number of columns summarised.
     *
     * @return the count
     */
    public int columns() {
        return median.length;
    }

    /**
     * A numeric column's lower quartile, in the data's units (NaN for a categorical column or one with no value).
     *
     * @param j the column
     * @return the quartile
     */
    public float lowerQuartile(int j) {
        return low[j];
    }

    /**
     * A numeric column's median, in the data's units (NaN for a categorical column or one with no value).
     *
     * @param j the column
     * @return the median
     */
    public float median(int j) {
        return median[j];
    }

    /**
     * A numeric column's upper quartile (NaN for a categorical column or one with no value).
     *
     * @param j the column
     * @return the quartile
     */
    public float upperQuartile(int j) {
        return high[j];
    }

    /**
     * A categorical column's most frequent level, as its index in the model's levels (−1 for a numeric column, or one
     * with no value).
     *
     * @param j the column
     * @return the level's index
     */
    public int mode(int j) {
        return mode[j];
    }

    /**
     * The share of a categorical column's observed values that are its {@link #mode}.
     *
     * @param j the column
     * @return the share, 0 to 1
     */
    public float modeShare(int j) {
        return modeShare[j];
    }
}
