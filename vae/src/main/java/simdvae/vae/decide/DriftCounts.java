package simdvae.vae.decide;

import java.util.Arrays;

/**
 * A batch's counts against a {@link DriftReference}: one flat array of longs in the reference's layout (see there).
 * Counting is additive: a partition's counts {@link #merge} into another's, in any order and grouping, to the same
 * integers, and every statistic of {@link DriftReport} is a function of these integers only. Mutable; not
 * thread-safe (one per partition or thread).
 */
public final class DriftCounts {
    private final DriftReference reference;
    private final long[] counts;
    private final int[] scratch;

    private DriftCounts(DriftReference reference, long[] counts) {
        this.reference = reference;
        this.counts = counts;
        this.scratch = new int[2 + 2 * reference.columns()];
    }

    /**
     * No rows yet.
     *
     * @param reference the reference the batch is counted against
     * @return empty counts
     */
    public static DriftCounts of(DriftReference reference) {
        return new DriftCounts(reference, new long[reference.slots()]);
    }

    /**
     * Counts made elsewhere (a distributed job's sums per slot), checked for consistency: every row has one score
     * bucket and, per column, one value cell or a missing cell, and at most one nats bin.
     *
     * @param reference the reference the batch was counted against
     * @param counts    the flat counts, {@link DriftReference#slots()} of them
     * @return the counts (a copy)
     * @throws IllegalArgumentException when the counts have another length, one is negative, or they disagree with
     *                                  the row count
     */
    public static DriftCounts of(DriftReference reference, long[] counts) {
        if (counts.length != reference.slots()) {
            throw new IllegalArgumentException("drift counts of " + counts.length + " slots, the reference has "
                    + reference.slots());
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("a negative drift count");
            }
        }
        DriftCounts d = new DriftCounts(reference, counts.clone());
        long rows = d.rows();
        if (ChiSquare.sum(d.scoreCounts()) != rows) {
            throw new IllegalArgumentException("score counts add to " + ChiSquare.sum(d.scoreCounts()) + " for "
                    + rows + " rows");
        }
        for (int j = 0; j < reference.columns(); j++) {
            if (ChiSquare.sum(d.valueCounts(j)) + d.missing(j) != rows
                    || (reference.keepsNats() && ChiSquare.sum(d.natsCounts(j)) > rows)) {
                throw new IllegalArgumentException("column " + j + "'s counts disagree with the " + rows + " rows");
            }
        }
        return d;
    }

    /**
     * Counts one batch row.
     *
     * @param score  its score (nats)
     * @param values its value per column (a level as its index), NaN for missing
     * @param nats   its nats per column, or null when the reference keeps none
     * @throws IllegalArgumentException as {@link DriftReference#slotsOf}
     */
    public void add(double score, float[] values, float[] nats) {
        int k = reference.slotsOf(score, values, nats, scratch);
        for (int i = 0; i < k; i++) {
            counts[scratch[i]]++;
        }
    }

    /**
     * Adds another part of the batch's counts to these.
     *
     * @param other counts against the same reference
     * @return these counts
     * @throws IllegalArgumentException when the other counts are against another reference
     */
    public DriftCounts merge(DriftCounts other) {
        if (other.reference != reference && !other.reference.equals(reference)) {
            throw new IllegalArgumentException("drift counts against two different references");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.addExact(counts[i], other.counts[i]);
        }
        return this;
    }

    /**
     * The reference the batch is counted against.
     *
     * @return the reference
     */
    public DriftReference reference() {
        return reference;
    }

    /**
     * The flat counts (a copy), to ship or store.
     *
     * @return the counts
     */
    public long[] counts() {
        return counts.clone();
    }

    /**
     * How many rows were counted.
     *
     * @return the count
     */
    public long rows() {
        return counts[0];
    }

    /**
     * The batch's count per score bucket ({@link ScoreDistribution#bucket}).
     *
     * @return the counts (a copy)
     */
    public long[] scoreCounts() {
        int from = reference.scoreOffset();
        return Arrays.copyOfRange(counts, from, from + reference.scores().buckets());
    }

    /**
     * Column j's count per value cell ({@link ColumnReference#cell}).
     *
     * @param j the column
     * @return the counts (a copy)
     */
    public long[] valueCounts(int j) {
        int from = reference.valueOffset(j);
        return Arrays.copyOfRange(counts, from, from + reference.column(j).cells());
    }

    /**
     * Column j's count of missing cells.
     *
     * @param j the column
     * @return the count
     */
    public long missing(int j) {
        return counts[reference.valueOffset(j) + reference.column(j).cells()];
    }

    /**
     * Column j's count per nats bin (empty when the reference keeps no nats).
     *
     * @param j the column
     * @return the counts (a copy)
     */
    public long[] natsCounts(int j) {
        if (!reference.keepsNats()) {
            return new long[0];
        }
        int from = reference.natsOffset(j);
        return Arrays.copyOfRange(counts, from, from + reference.column(j).nats().size());
    }
}
