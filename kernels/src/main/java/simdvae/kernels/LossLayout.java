package simdvae.kernels;

import java.util.Arrays;

/**
 * The columns of a mixed table as {@link MixedLossKernel} sees them: groups of decoder outputs, one group per column,
 * in three blocks, each with its own likelihood. A row's targets hold one value per group, its decoder output the
 * groups' parameters:
 * <pre>
 *   group     g = 0 … G−1          G … G+B−1               G+B … G+B+C−1
 *   kind      Gaussian             Bernoulli               categorical (softmax over K_c levels)
 *   target    x (standardized)     x in [0, 1]             the level's index, as a float
 *   outputs   mean m_g, and        one logit               K_c logits
 *             raw log-variance r_g
 *   output row  [m_0 … m_{G−1} | r_0 … r_{G−1} | logits of the B Bernoulli groups | K_0 logits | K_1 logits | …]
 * </pre>
 * A missing target is NaN (the mask): its group adds nothing to the gradients, and to the loss either nothing
 * (training) or its expected value under the model (scoring, see {@link LossBatch#missingAtExpectation}). Immutable.
 */
public final class LossLayout {
    final int gaussian;
    final int bernoulli;
    final int[] levels;
    /** The output column of each categorical group's first logit. */
    final int[] logitStart;
    final int groups;
    final int outputColumns;
    final int widestGroup;

    private LossLayout(int gaussian, int bernoulli, int[] levels) {
        if (gaussian < 0 || bernoulli < 0) {
            throw new IllegalArgumentException("negative group count: gaussian=" + gaussian + " bernoulli="
                    + bernoulli);
        }
        this.gaussian = gaussian;
        this.bernoulli = bernoulli;
        this.levels = levels.clone();
        this.logitStart = new int[levels.length];
        int at = 2 * gaussian + bernoulli;
        int widest = 1;
        for (int c = 0; c < levels.length; c++) {
            if (levels[c] < 2) {
                throw new IllegalArgumentException("a categorical group needs at least 2 levels, group " + c
                        + " has " + levels[c]);
            }
            logitStart[c] = at;
            at += levels[c];
            widest = Math.max(widest, levels[c]);
        }
        this.groups = gaussian + bernoulli + levels.length;
        this.outputColumns = at;
        this.widestGroup = widest;
    }

    /**
     * A layout of {@code gaussian} Gaussian groups, then {@code bernoulli} Bernoulli groups, then one categorical
     * group per entry of {@code levels} (its level count, at least 2).
     *
     * @param gaussian  Gaussian groups
     * @param bernoulli Bernoulli groups
     * @param levels    the level count of each categorical group
     * @return the layout
     */
    public static LossLayout of(int gaussian, int bernoulli, int... levels) {
        return new LossLayout(gaussian, bernoulli, levels);
    }

    /**
     * Gaussian groups.
     *
     * @return G
     */
    public int gaussian() {
        return gaussian;
    }

    /**
     * Bernoulli groups.
     *
     * @return B
     */
    public int bernoulli() {
        return bernoulli;
    }

    /**
     * Categorical groups.
     *
     * @return C
     */
    public int categorical() {
        return levels.length;
    }

    /**
     * The level count of categorical group {@code c}.
     *
     * @param c the categorical group, from 0
     * @return K_c
     */
    public int levels(int c) {
        return levels[c];
    }

    /**
     * Targets a row: one per group.
     *
     * @return G + B + C
     */
    public int groups() {
        return groups;
    }

    /**
     * Decoder outputs a row.
     *
     * @return 2G + B + Σ K_c
     */
    public int outputColumns() {
        return outputColumns;
    }

    /**
     * The output column of categorical group {@code c}'s first logit.
     *
     * @param c the categorical group, from 0
     * @return its column in the output row
     */
    public int logitStart(int c) {
        return logitStart[c];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossLayout l && gaussian == l.gaussian && bernoulli == l.bernoulli
                && Arrays.equals(levels, l.levels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * gaussian + bernoulli) + Arrays.hashCode(levels);
    }

    @Override
    public String toString() {
        return "LossLayout[gaussian=" + gaussian + ", bernoulli=" + bernoulli + ", levels="
                + Arrays.toString(levels) + "]";
    }
}
