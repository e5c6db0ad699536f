package simdvae.vae.table;

import java.util.ArrayList;
import java.util.List;
import simdvae.kernels.LossLayout;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Likelihood;

/**
 * What a table model knows of each of its columns, and how a row of them is laid out for the network: a numeric
 * column is one Gaussian (or Bernoulli) group, a categorical column a softmax over its levels, fixed by the training
 * rows (sorted as the data sorted them) plus a last level {@value #OTHER} that stands for any level training never
 * saw; a column that had missing cells in training also gets a "was missing" input. Immutable.
 * <pre>
 *   encoder input  [numeric columns, scaled (a missing cell: its training mean) | one-hot of each categorical column
 *                   (a missing cell: all zero) | a 0/1 "was missing" input per column that had missing cells]
 *   loss targets   [numeric columns, scaled | categorical level indices]   (NaN for a missing cell: the mask)
 *   decoder output the {@link LossLayout}'s: [means | raw log σ² | … ] or Bernoulli logits, then each softmax's logits
 * </pre>
 * Groups and inputs follow the columns' order within each block.
 *
 * <p>{@value #OTHER} never occurs in training, so its weights get no gradient: a new table model starts its logit's
 * bias at −log(rows + 1), the chance the training rows give a level they never showed (so an unseen level costs about
 * log(rows) nats), and its encoder weights at 0 (so the encoder takes it as it takes a missing cell).
 */
public final class Schema implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** The last level of every categorical column: any level the training rows did not have. */
    public static final String OTHER = "(other)";

    /** Per column, numeric or categorical. */
    private final Dataset.Kind[] kinds;
    /** Per column, its levels ending with {@link #OTHER} (empty for a numeric column). */
    @SuppressWarnings("serial") // List.copyOf's lists
    private final List<List<String>> levels;
    /** Per column, whether the training rows had a missing cell in it. */
    private final boolean[] missing;
    /** Numeric columns' likelihood: Gaussian or Bernoulli. */
    private final Likelihood numeric;
    // derived
    private final transient int[] group;
    private final transient int[] input;
    private final transient int[] indicator;
    private final transient int inputWidth;
    private final transient LossLayout layout;

    /**
     * The columns of a table model.
     *
     * @param kinds   per column, numeric or categorical
     * @param levels  per column, a categorical column's levels ending with {@value #OTHER} (null for a numeric one)
     * @param missing per column, whether the training rows had a missing cell in it
     * @param numeric the numeric columns' likelihood: Gaussian or Bernoulli
     */
    public Schema(Dataset.Kind[] kinds, List<List<String>> levels, boolean[] missing, Likelihood numeric) {
        this.kinds = kinds.clone();
        List<List<String>> copy = new ArrayList<>();
        for (List<String> l : levels) {
            copy.add(l == null ? null : List.copyOf(l));
        }
        this.levels = copy;
        this.missing = missing.clone();
        this.numeric = numeric;
        int n = kinds.length;
        group = new int[n];
        input = new int[n];
        indicator = new int[n];
        int numerics = 0;
        List<Integer> sizes = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (kinds[j] == Dataset.Kind.NUMERIC) {
                group[j] = numerics;
                input[j] = numerics;
                numerics++;
            }
        }
        int at = numerics;
        int g = numerics;
        for (int j = 0; j < n; j++) {
            if (kinds[j] == Dataset.Kind.CATEGORICAL) {
                group[j] = g++;
                input[j] = at;
                at += levels.get(j).size();
                sizes.add(levels.get(j).size());
            }
        }
        for (int j = 0; j < n; j++) {
            indicator[j] = missing[j] ? at++ : -1;
        }
        inputWidth = at;
        int[] k = sizes.stream().mapToInt(Integer::intValue).toArray();
        layout = numeric == Likelihood.GAUSSIAN ? LossLayout.of(numerics, 0, k) : LossLayout.of(0, numerics, k);
    }

    /**
     * Rebuilds the derived fields after deserialization.
     *
     * @return the columns, whole
     */
    private Object readResolve() {
        return new Schema(kinds, levels, missing, numeric);
    }

    /**
     * Schema of the table.  
     *
     * @return the count
     */
    public int count() {
        return kinds.length;
    }

    /**
     * Column j's kind.
     *
     * @param j the column
     * @return numeric or categorical
     */
    public Dataset.Kind kind(int j) {
        return kinds[j];
    }

    /**
     * A categorical column's levels, {@value #OTHER} last.
     *
     * @param j the column
     * @return the levels, or null for a numeric column
     */
    public List<String> levels(int j) {
        return levels.get(j);
    }

    /**
     * Whether column j had missing cells in training (and so a "was missing" input).
     *
     * @param j the column
     * @return true when it had missing cells
     */
    public boolean hadMissing(int j) {
        return missing[j];
    }

    /**
     * The likelihood of the numeric columns.
     *
     * @return Gaussian or Bernoulli
     */
    public Likelihood numericLikelihood() {
        return numeric;
    }

    /**
     * The encoder's input width.
     *
     * @return numeric columns + the levels of every categorical column + the "was missing" inputs
     */
    public int inputWidth() {
        return inputWidth;
    }

    /**
     * The loss's groups: one a column, numeric first.
     *
     * @return the layout
     */
    public LossLayout layout() {
        return layout;
    }

    /**
     * Column j's group in the loss (its target's place, and its term's).
     *
     * @param j the column
     * @return the group
     */
    public int group(int j) {
        return group[j];
    }

    /**
     * Column j's first encoder input: its value, or the first of its one-hot block.
     *
     * @param j the column
     * @return the index in the encoder's input row
     */
    public int input(int j) {
        return input[j];
    }

    /**
     * Column j's "was missing" input.
     *
     * @param j the column
     * @return the index in the encoder's input row, or -1 when the column had no missing cell in training
     */
    public int missingIndicator(int j) {
        return indicator[j];
    }
}
