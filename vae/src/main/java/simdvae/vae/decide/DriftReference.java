package simdvae.vae.decide;

import java.util.Arrays;
import java.util.List;

/**
 * What a model keeps of its reference rows to test a batch for drift: the rows' scores as {@link ScoreDistribution} and
 * per column a {@link ColumnReference}. Immutable.
 *
 * <p>It also fixes the layout of a batch's counts ({@link DriftCounts}): one flat array of {@link #slots()} longs,
 * slot 0 the batch's rows, then the {@link ScoreDistribution#buckets()} score buckets, then per column its value cells
 * (bins or levels), its missing count, and its nats bins when kept. A batch row adds 1 to slot 0, to one score
 * bucket, and per column to one value cell or its missing slot and to one nats bin ({@link #slotsOf}). Every test
 * of {@link DriftReport} reads these sums only, so any split of the batch, counted in any order and added up, gives
 * the same report to the last bit.
 */
public final class DriftReference {
    private final ScoreDistribution scores;
    private final ColumnReference[] columns;
    private final boolean nats;
    private final int[] valueOffset;
    private final int[] natsOffset;
    private final int slots;

    private DriftReference(ScoreDistribution scores, ColumnReference[] columns) {
        this.scores = scores;
        this.columns = columns;
        this.nats = columns.length > 0 && columns[0].nats() != null;
        valueOffset = new int[columns.length];
        natsOffset = new int[columns.length];
        long at = 1L + scores.buckets();
        for (int j = 0; j < columns.length; j++) {
            valueOffset[j] = (int) at;
            at += columns[j].cells() + 1;
            natsOffset[j] = nats ? (int) at : -1;
            at += nats ? columns[j].nats().size() : 0;
            if (at > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a drift reference of more than 2³¹ counts");
            }
        }
        slots = (int) at;
    }

    /**
     * The reference from its parts.
     *
     * @param scores  the reference rows' scores
     * @param columns per column its summary, every one of the scores' rows, all with nats or none
     * @return the reference
     * @throws IllegalArgumentException when a column summarises another number of rows, or some columns keep nats
     *                                  and others not
     */
    public static DriftReference of(ScoreDistribution scores, List<ColumnReference> columns) {
        ColumnReference[] c = columns.toArray(new ColumnReference[0]);
        for (int j = 0; j < c.length; j++) {
            if (c[j].rows() != scores.rows()) {
                throw new IllegalArgumentException("column " + j + " summarises " + c[j].rows() + " rows, the scores "
                        + scores.rows());
            }
            if ((c[j].nats() == null) != (c[0].nats() == null)) {
                throw new IllegalArgumentException("column " + j + (c[j].nats() == null ? " keeps no" : " keeps")
                        + " nats, column 0 " + (c[0].nats() == null ? "none" : "does"));
            }
        }
        return new DriftReference(scores, c);
    }

    /**
     * The reference of the reference rows themselves.
     *
     * @param scores      each row's score (nats)
     * @param values      per column, each row's value in the data's units (a level as its index), NaN for a missing
     *                    cell, column-major: {@code values[j][i]}
     * @param categorical per column, whether it is categorical
     * @param levels      per column, its level count (categorical columns; ignored for numeric ones)
     * @param nats        per column, each row's nats for it, column-major, or null to keep none
     * @return the reference
     * @throws IllegalArgumentException when the shapes disagree, a score is NaN or a level index is invalid
     */
    public static DriftReference of(double[] scores, float[][] values, boolean[] categorical, int[] levels,
                                    float[][] nats) {
        int c = values.length;
        if (categorical.length != c || levels.length != c || (nats != null && nats.length != c)) {
            throw new IllegalArgumentException("values, kinds, levels and nats for different numbers of columns");
        }
        ColumnReference[] columns = new ColumnReference[c];
        for (int j = 0; j < c; j++) {
            if (values[j].length != scores.length) {
                throw new IllegalArgumentException("column " + j + " has " + values[j].length + " values for "
                        + scores.length + " scores");
            }
            float[] n = nats == null ? null : nats[j];
            columns[j] = categorical[j] ? ColumnReference.categorical(levels[j], values[j], n)
                    : ColumnReference.numeric(values[j], n);
        }
        return of(ScoreDistribution.of(scores), List.of(columns));
    }

    /**
     * The reference rows' scores.
     *
     * @return the knots
     */
    public ScoreDistribution scores() {
        return scores;
    }

    /**
     * How many columns are summarised.
     *
     * @return the count
     */
    public int columns() {
        return columns.length;
    }

    /**
     * Column j's summary.
     *
     * @param j the column
     * @return its summary
     */
    public ColumnReference column(int j) {
        return columns[j];
    }

    /**
     * Whether the columns' nats are kept (and so expected with every batch row).
     *
     * @return whether nats are kept
     */
    public boolean keepsNats() {
        return nats;
    }

    /**
     * The length of a batch's flat counts.
     *
     * @return the count of slots
     */
    public int slots() {
        return slots;
    }

    /**
     * Slot of the first score bucket in a batch's counts (slot 0 counts the rows).
     *
     * @return the slot
     */
    public int scoreOffset() {
        return 1;
    }

    /**
     * Slot of column j's first value cell; its missing count follows its {@link ColumnReference#cells()} cells.
     *
     * @param j the column
     * @return the slot
     */
    public int valueOffset(int j) {
        return valueOffset[j];
    }

    /**
     * Slot of column j's first nats bin, or −1 when nats are not kept.
     *
     * @param j the column
     * @return the slot
     */
    public int natsOffset(int j) {
        return natsOffset[j];
    }

    /**
     * The slots one batch row adds 1 to: slot 0, its score's bucket, per column its value cell (or missing slot)
     * and, when kept, its nats bin (none for NaN nats). A distributed job may count these slots (a group-by over
     * slot numbers) instead of building {@link DriftCounts} per partition.
     *
     * @param score  the row's score (nats)
     * @param values the row's value per column (a level as its index), NaN for missing
     * @param nats   the row's nats per column, or null when the reference keeps none
     * @param out    where to write the slots, at least 2 + 2 × columns long
     * @return how many slots were written
     * @throws IllegalArgumentException when the score is NaN, a value is not a level's index, or the row's shape
     *                                  does not match
     */
    public int slotsOf(double score, float[] values, float[] nats, int[] out) {
        if (values.length != columns.length) {
            throw new IllegalArgumentException("a row of " + values.length + " columns, the reference has "
                    + columns.length);
        }
        if (this.nats && (nats == null || nats.length != columns.length)) {
            throw new IllegalArgumentException("the reference keeps nats: a row needs one per column");
        }
        int bucket = scores.bucket(score);
        if (bucket < 0) {
            throw new IllegalArgumentException("a row's score is NaN");
        }
        int k = 0;
        out[k++] = 0;
        out[k++] = 1 + bucket;
        for (int j = 0; j < columns.length; j++) {
            ColumnReference c = columns[j];
            int cell = c.cell(values[j]);
            out[k++] = valueOffset[j] + (cell < 0 ? c.cells() : cell);
            if (this.nats && !Float.isNaN(nats[j])) {
                out[k++] = natsOffset[j] + c.nats().bin(nats[j]);
            }
        }
        return k;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DriftReference r) || r.columns.length != columns.length || r.scores.rows() != scores.rows()
                || !Arrays.equals(r.scores.knots(), scores.knots())) {
            return false;
        }
        return Arrays.equals(columns, r.columns);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scores.knots()) + Arrays.hashCode(columns);
    }
}
