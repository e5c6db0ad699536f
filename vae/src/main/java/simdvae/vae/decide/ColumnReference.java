package simdvae.vae.decide;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a drift test of one column needs to keep of the reference rows, all as exact counts: how many cells were
 * missing; a numeric column's values as {@link Bins} (deciles and the count in each) or a categorical column's count
 * per level; and, optionally, the column's nats (its reconstruction term per row) as {@link Bins}. About 200 bytes
 * for a numeric column, 8 per level for a categorical one.
 */
public final class ColumnReference {
    private final boolean categorical;
    private final Bins values;
    private final long[] levelCounts;
    private final long missing;
    private final Bins nats;

    private ColumnReference(boolean categorical, Bins values, long[] levelCounts, long missing, Bins nats) {
        this.categorical = categorical;
        this.values = values;
        this.levelCounts = levelCounts;
        this.missing = missing;
        this.nats = nats;
    }

    /**
     * A numeric column's summary from the reference rows.
     *
     * @param values each row's value in the data's units, NaN for a missing cell
     * @param nats   each row's nats for this column (NaN ones skipped), or null to keep none
     * @return the summary
     * @throws IllegalArgumentException when the arrays' lengths differ
     */
    public static ColumnReference numeric(float[] values, float[] nats) {
        checkNats(values, nats);
        return new ColumnReference(false, Bins.of(values), null, countMissing(values), nats == null ? null
                : Bins.of(nats));
    }

    /**
     * A categorical column's summary from the reference rows.
     *
     * @param levels how many levels the column has
     * @param values each row's level as its index, 0 to levels − 1, NaN for a missing cell
     * @param nats   each row's nats for this column (NaN ones skipped), or null to keep none
     * @return the summary
     * @throws IllegalArgumentException when a value is not a level's index or the arrays' lengths differ
     */
    public static ColumnReference categorical(int levels, float[] values, float[] nats) {
        checkNats(values, nats);
        if (levels < 1) {
            throw new IllegalArgumentException("a categorical column has at least one level, got " + levels);
        }
        long[] counts = new long[levels];
        for (float v : values) {
            if (!Float.isNaN(v)) {
                counts[level(v, levels)]++;
            }
        }
        return new ColumnReference(true, null, counts, countMissing(values), nats == null ? null : Bins.of(nats));
    }

    /**
     * A numeric column's summary kept elsewhere (a model file).
     *
     * @param values  the bins of its values with their counts
     * @param missing how many reference cells were missing
     * @param nats    the bins of its nats, or null
     * @return the summary
     * @throws IllegalArgumentException when {@code missing} is negative or {@code values} null
     */
    public static ColumnReference ofNumeric(Bins values, long missing, Bins nats) {
        Objects.requireNonNull(values, "values");
        checkMissing(missing, values.total());
        return new ColumnReference(false, values, null, missing, nats);
    }

    /**
     * A categorical column's summary kept elsewhere (a model file).
     *
     * @param levelCounts how many reference cells had each level (at least one level), none negative
     * @param missing     how many reference cells were missing
     * @param nats        the bins of its nats, or null
     * @return the summary (a copy of the counts)
     * @throws IllegalArgumentException when a count is negative or there is no level
     */
    public static ColumnReference ofCategorical(long[] levelCounts, long missing, Bins nats) {
        if (levelCounts.length == 0) {
            throw new IllegalArgumentException("a categorical column has at least one level");
        }
        for (long c : levelCounts) {
            if (c < 0) {
                throw new IllegalArgumentException("a negative level count");
            }
        }
        checkMissing(missing, ChiSquare.sum(levelCounts));
        return new ColumnReference(true, null, levelCounts.clone(), missing, nats);
    }

    /**
     * Whether the column is categorical.
     *
     * @return whether categorical
     */
    public boolean categorical() {
        return categorical;
    }

    /**
     * A numeric column's value bins (null for a categorical column).
     *
     * @return the bins
     */
    public Bins values() {
        return values;
    }

    /**
     * A categorical column's reference count per level (a copy; null for a numeric column).
     *
     * @return the counts
     */
    public long[] levelCounts() {
        return levelCounts == null ? null : levelCounts.clone();
    }

    /**
     * How many reference cells were missing.
     *
     * @return the count
     */
    public long missing() {
        return missing;
    }

    /**
     * How many reference rows the summary is of (missing and present cells).
     *
     * @return the count
     */
    public long rows() {
        return missing + (categorical ? ChiSquare.sum(levelCounts) : values.total());
    }

    /**
     * The bins of the column's nats, or null when none were kept.
     *
     * @return the bins
     */
    public Bins nats() {
        return nats;
    }

    /**
     * How many cells a batch's values are counted in: bins or levels.
     *
     * @return the count
     */
    public int cells() {
        return categorical ? levelCounts.length : values.size();
    }

    /**
     * The cell a batch value is counted in: its bin, or its level.
     *
     * @param value the value (a level's index for a categorical column), NaN for missing
     * @return the cell, 0 to {@link #cells()} − 1, or −1 for a missing value
     * @throws IllegalArgumentException when a categorical value is not a level's index
     */
    public int cell(float value) {
        if (Float.isNaN(value)) {
            return -1;
        }
        return categorical ? level(value, levelCounts.length) : values.bin(value);
    }

    /**
     * The test of a batch's values against the reference's: χ² over bins (neighbours pooled) or over levels (thin
     * levels pooled).
     *
     * @param batch the batch's count per {@link #cell}
     * @return the test
     * @throws IllegalArgumentException when the counts do not match the cells
     */
    public TestResult testValues(long[] batch) {
        return categorical ? ChiSquare.unordered(levelCounts, batch) : ChiSquare.ordered(values.counts(), batch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnReference c && categorical == c.categorical && missing == c.missing
                && Objects.equals(values, c.values) && Arrays.equals(levelCounts, c.levelCounts)
                && Objects.equals(nats, c.nats);
    }

    @Override
    public int hashCode() {
        return Objects.hash(categorical, values, Arrays.hashCode(levelCounts), missing, nats);
    }

    private static int level(float v, int levels) {
        if (!(v >= 0 && v < levels && v == Math.rint(v))) {
            throw new IllegalArgumentException(v + " is not a level's index (0 to " + (levels - 1) + ")");
        }
        return (int) v;
    }

    private static long countMissing(float[] values) {
        long m = 0;
        for (float v : values) {
            if (Float.isNaN(v)) {
                m++;
            }
        }
        return m;
    }

    private static void checkNats(float[] values, float[] nats) {
        if (nats != null && nats.length != values.length) {
            throw new IllegalArgumentException(values.length + " values but " + nats.length + " nats");
        }
    }

    private static void checkMissing(long missing, long present) {
        if (missing < 0 || missing + present < 1) {
            throw new IllegalArgumentException("a column summary of " + missing + " missing and " + present
                    + " present cells");
        }
    }
}
