package simdvae.kernels;

/**
 * Every likelihood's fused loss-and-gradient kernel: one pass over a minibatch ({@link LossBatch}) that writes each
 * row's loss (the negative ELBO: reconstruction + KL, in nats), the decoder output's gradient and the KL term's
 * gradient. The families: Bernoulli ({@link BernoulliLossScalar}, {@link BernoulliLossVector}), Gaussian
 * ({@link GaussianLossKernel}) and a table's mixed columns ({@link MixedLossKernel}); the threads
 * ({@link ParallelKernels#loss}) and the VAE's workspace run any of them unchanged, so a new likelihood is a new
 * family and nothing else.
 *
 * <p>What every family shares: the KL term of a head row holding μ in columns [0, latent) and log σ² in
 * [latent, 2·latent),
 * <pre>
 *   KL = ½ Σ_q (exp(log σ²_q) + μ_q² − 1 − log σ²_q),   dμ_q = μ_q·β·scale,   d log σ²_q = ½(exp(log σ²_q) − 1)·β·scale
 * </pre>
 * ({@link #klRow}); β weighs the KL term in the gradient (a β-VAE, or KL warm-up), while the loss value is always
 * the plain negative ELBO (β = 1), so losses stay comparable whatever β a run used. The feature sum is fixed by the
 * contract too: feature j goes to partial sum {@code j mod }{@value #SLOTS}, each partial adds its features in
 * ascending order, and the partials are then added in slot order ({@link #sumSlots}). A vector of any width up to
 * 16 lanes covers whole slots, so gradients and loss values are bit-identical across implementations and widths.
 * The decoder's share of dμ and d log σ² arrives through z, elsewhere.
 */
public interface LossKernel {
    /** Partial sums of a row's reconstruction term: 16, the lanes of the widest vector. */
    int SLOTS = 16;

    /**
     * Rows [from, to) of a minibatch: each row's loss into {@code b}'s losses, the output's gradient and the KL
     * term's gradient into its gradients. Rows are independent, so threads may run disjoint ranges of one batch.
     *
     * @param b    the minibatch's arguments (checked: {@link LossBatch#check})
     * @param from the first row
     * @param to   past the last row
     */
    void lossAndGradient(LossBatch b, int from, int to);

    /**
     * Decoder outputs a feature: 1 (a logit) for the Bernoulli family.
     *
     * @return the number of the decoder's output columns for each target column
     */
    default int outputsPerFeature() {
        return 1;
    }

    /**
     * Decoder outputs a row of {@code b}.
     *
     * @param b the minibatch's arguments
     * @return {@code outputsPerFeature() · features}; a mixed table's kernel asks the batch's layout
     */
    default int outputColumns(LossBatch b) {
        return outputsPerFeature() * b.features;
    }

    /**
     * A row's cross-entropy from its partial sums.
     *
     * @param slots the {@value #SLOTS} partial sums
     * @return {@code slots[0] + slots[1] + … + slots[SLOTS − 1]}, left to right
     */
    static float sumSlots(float[] slots) {
        float sum = 0f;
        for (int q = 0; q < SLOTS; q++) {
            sum += slots[q];
        }
        return sum;
    }

    /**
     * One sample's KL term and its gradient times {@code klScale} (β·scale); the same code in every implementation
     * and likelihood, so the same bits.
     *
     * @param latent  the latent size
     * @param klScale β·scale, the factor on the gradient
     * @param head    the [μ | log σ²] rows
     * @param h       where this row's μ starts
     * @param dHead   the gradient rows (output)
     * @param dh      where this row's dμ goes
     * @return the row's KL term
     */
    static float klRow(int latent, float klScale, float[] head, int h, float[] dHead, int dh) {
        float kl = 0f;
        for (int q = 0; q < latent; q++) {
            float mu = head[h + q];
            float logVar = head[h + latent + q];
            float e = ExpScalar.exp(logVar);
            kl += ((e + mu * mu) - 1f) - logVar;
            dHead[dh + q] = mu * klScale;
            dHead[dh + latent + q] = 0.5f * (e - 1f) * klScale;
        }
        return 0.5f * kl;
    }

    /**
     * {@code softplus(l) = max(l, 0) + log1p(exp(−|l|))} from s = σ(l), which the gradient needs anyway.
     *
     * @param l a logit
     * @param s σ(l)
     * @return softplus(l)
     */
    static float softplusFromSigmoid(float l, float s) {
        float u = l >= 0f ? (1f - s) / s : s / (1f - s);
        return Math.max(l, 0f) + log1pUnit(u);
    }

    /** Coefficient of t¹² in 2·atanh(t)/t = 2(1 + t²/3 + t⁴/5 + …), used by {@link #log1pUnit}. */
    float LOG1P_C13 = 2f / 13f;
    /** Coefficient of t¹⁰. */
    float LOG1P_C11 = 2f / 11f;
    /** Coefficient of t⁸. */
    float LOG1P_C9 = 2f / 9f;
    /** Coefficient of t⁶. */
    float LOG1P_C7 = 2f / 7f;
    /** Coefficient of t⁴. */
    float LOG1P_C5 = 2f / 5f;
    /** Coefficient of t². */
    float LOG1P_C3 = 2f / 3f;

    /**
     * log1p(u) for u in [0, 1], our own so that vector code need not call SVML: log1p(u) = 2·atanh(t) with
     * t = u/(2 + u) ≤ 1/3, and the atanh series to t¹³ (truncation below 1e-7 relative). {@link BernoulliLossVector} runs the
     * same operations.
     *
     * @param u in [0, 1]
     * @return log1p(u)
     */
    static float log1pUnit(float u) {
        float t = u / (2f + u);
        float t2 = t * t;
        float p = Math.fma(LOG1P_C13, t2, LOG1P_C11);
        p = Math.fma(p, t2, LOG1P_C9);
        p = Math.fma(p, t2, LOG1P_C7);
        p = Math.fma(p, t2, LOG1P_C5);
        p = Math.fma(p, t2, LOG1P_C3);
        p = Math.fma(p, t2, 2f);
        return p * t;
    }
}
