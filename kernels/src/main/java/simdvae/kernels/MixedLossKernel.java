package simdvae.kernels;

/**
 * The loss of a mixed table: one likelihood per column over a {@link LossLayout} of groups (Gaussian, Bernoulli,
 * categorical), each column's target masked when missing (NaN), fused with the KL term as in {@link LossKernel},
 * whose call and summation contract it shares. Per row, with the group's term t_g:
 * <pre>
 *   Gaussian     t = ½[log 2π + log σ² + (x − m)²/σ²]      the {@link GaussianLossKernel} term and gradients
 *   Bernoulli    t = softplus(l) − x·l                      the Bernoulli ({@link BernoulliLossScalar}) term, dl = (σ(l) − x)·scale
 *   categorical  t = logsumexp(l) − l_y                     softmax cross-entropy over the group's K logits,
 *                                                           dl_k = (softmax(l)_k − [k = y])·scale
 *   loss = Σ_g t_g + KL        (group g into partial sum g mod {@value LossKernel#SLOTS}, added in group order)
 * </pre>
 * A missing target (NaN) gives its group zero gradients, and the term 0 (training) or its expected value under the
 * model (scoring, {@link LossBatch#missingAtExpectation}): ½(log 2π + log σ² + 1) for a Gaussian, the entropy
 * softplus(l) − σ(l)·l of a Bernoulli, the entropy logsumexp(l) − Σ_k softmax(l)_k·l_k of a categorical group.
 *
 * <p>Fixed orders keep it bit-identical across implementations and widths: the softmax's maximum is exact in any
 * order, its exps come from the {@link ExpKernel} (bit-identical at every width), its sums over the group's levels run
 * in level order, and its logarithm is {@link StrictMath#log}. With only Gaussian groups and no missing target its
 * values and gradients are {@link GaussianLossKernel}'s, bit for bit; with only Bernoulli groups, the Bernoulli
 * family's. With {@link LossBatch#terms} set, each group's term is written too.
 */
public interface MixedLossKernel extends LossKernel {
    /**
     * The layout's output row.
     *
     * @param b the minibatch's arguments, with a layout
     * @return {@link LossLayout#outputColumns()}
     */
    @Override
    default int outputColumns(LossBatch b) {
        if (b.layout == null) {
            throw new IllegalArgumentException("a mixed loss needs the batch's LossLayout (LossBatch.layout)");
        }
        return b.layout.outputColumns();
    }

    /**
     * One categorical group of one row: the term, and the gradients into {@code dOut[d .. d + k)} (used as scratch
     * for the exps first). Shared by the scalar and vector kernels, which pass their own {@link ExpKernel}.
     *
     * @param exp       the exp kernel (of the caller's width)
     * @param out       the decoder output
     * @param o         the group's first logit
     * @param k         its level count
     * @param target    the level's index, or NaN when missing
     * @param expected  whether a missing target counts at its expected value (else 0)
     * @param dOut      the output gradient
     * @param d         the group's first gradient
     * @param scale     the gradients' factor
     * @return the group's term
     */
    static float categorical(ExpKernel exp, float[] out, int o, int k, float target, boolean expected, float[] dOut,
                             int d, float scale) {
        float max = out[o];
        for (int q = 1; q < k; q++) {
            max = Math.max(max, out[o + q]);
        }
        for (int q = 0; q < k; q++) {
            dOut[d + q] = out[o + q] - max;
        }
        exp.exp(dOut, d, dOut, d, k);
        float sum = 0f;
        for (int q = 0; q < k; q++) {
            sum += dOut[d + q];
        }
        float lse = max + (float) StrictMath.log(sum);
        if (Float.isNaN(target)) {
            float term = 0f;
            if (expected) {
                float mean = 0f;
                for (int q = 0; q < k; q++) {
                    mean += dOut[d + q] / sum * out[o + q];
                }
                term = lse - mean;
            }
            java.util.Arrays.fill(dOut, d, d + k, 0f);
            return term;
        }
        int y = (int) target;
        if (y < 0 || y >= k || y != target) {
            throw new IllegalArgumentException("a categorical target must be a level index in [0, " + k + "), got "
                    + target);
        }
        for (int q = 0; q < k; q++) {
            float p = dOut[d + q] / sum;
            dOut[d + q] = (q == y ? p - 1f : p) * scale;
        }
        return lse - out[o + y];
    }

    /**
     * Adds a row's group terms to the partial sums in group order, and writes them to the batch's terms when set.
     *
     * @param b     the minibatch's arguments
     * @param i     the row
     * @param terms the row's terms, one a group
     * @param slots the {@value LossKernel#SLOTS} partial sums (added to)
     */
    static void addTerms(LossBatch b, int i, float[] terms, float[] slots) {
        int groups = b.layout.groups;
        for (int g = 0; g < groups; g++) {
            slots[g % SLOTS] += terms[g];
        }
        if (b.terms != null) {
            System.arraycopy(terms, 0, b.terms, b.tOff + i * b.ldt, groups);
        }
    }
}
