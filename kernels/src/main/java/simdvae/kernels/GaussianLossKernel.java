package simdvae.kernels;

/**
 * The Gaussian likelihood's loss and gradient in one pass over a minibatch, with the KL term fused as in
 * {@link LossKernel}, whose call ({@link LossKernel#lossAndGradient}) and summation contract it shares. For
 * real-valued features: the decoder's output row holds a mean m and a raw log-variance r for each of the
 * {@code features} columns, {@code [m_0 … m_{F−1} | r_0 … r_{F−1}]}. Per sample:
 * <pre>
 *   log σ²_j = B·tanh(r_j / B)                      B = {@value #LOGVAR_BOUND}: a soft clamp to (−B, B)
 *   loss     = Σ_j ½[log 2π + log σ²_j + (x_j − m_j)²/σ²_j] + KL
 *   dm_j     = (m_j − x_j)/σ²_j · scale
 *   dr_j     = ½[1 − (x_j − m_j)²/σ²_j] · (1 − tanh²(r_j/B)) · scale
 * </pre>
 * Why the clamp: log σ² → −∞ drives the loss to −∞ on a constant feature (or any feature the model fits exactly),
 * and a tiny σ² turns one outlier into an overflow. Bounded to (−7, 7), σ lies in (0.03, 33) standard deviations of
 * a standardized feature, each feature's loss is at least ½(log 2π − 7) ≈ −2.58 nats, and 1/σ² at most e⁷. tanh
 * rather than a hard clip keeps a gradient everywhere; near r = 0 it is the identity. tanh(u) = 2σ(2u) − 1 is
 * computed with our own sigmoid, so scalar and vector code run the same operations.
 *
 * <p>The loss value is the negative log-likelihood in nats (it can be negative: a density, not a probability) plus
 * the KL term, summed into the {@value LossKernel#SLOTS} partial sums of {@link LossKernel}'s contract, so it is
 * bit-identical across implementations and widths. β weighs the KL gradient, as in {@link LossKernel}.
 */
public interface GaussianLossKernel extends LossKernel {
    /** log σ² lies in (−B, B). */
    float LOGVAR_BOUND = 7f;
    /** log 2π, rounded to float. */
    float LOG_2PI = (float) Math.log(2 * Math.PI);
    /** tanh(r/B) = 2σ(r·K) − 1. */
    float K = 2f / LOGVAR_BOUND;

    /**
     * Two: the decoder outputs a mean and a raw log-variance a feature, {@code [m_0 … m_{F−1} | r_0 … r_{F−1}]}.
     *
     * @return 2
     */
    @Override
    default int outputsPerFeature() {
        return 2;
    }

    /**
     * The log-variance a raw decoder output stands for, as the kernels compute it.
     *
     * @param raw the decoder's output
     * @return {@code B·tanh(raw/B)}, in (−B, B)
     */
    static float logVar(float raw) {
        return (2f * ExpScalar.sigmoid(raw * K) - 1f) * LOGVAR_BOUND;
    }

    /**
     * The inputs of a row's terms that go through exp, for n features whose raw log-variances start at
     * {@code out[r]}: s = σ(r·K) into {@code dOut[d + n ..)} and 1/σ² = exp(−log σ²) into {@code dOut[d ..)}, the
     * two halves of the row's gradient that the terms then overwrite. The vector kernels run it in short passes
     * through their exp kernel ({@link MixedLossKernel}'s Gaussian block too); this is the reference.
     *
     * @param out  the decoder's output
     * @param r    where the raw log-variances start
     * @param dOut the gradient row
     * @param d    where its mean half starts
     * @param n    the features
     */
    default void varianceRow(float[] out, int r, float[] dOut, int d, int n) {
        for (int j = 0; j < n; j++) {
            float s = ExpScalar.sigmoid(out[r + j] * K);
            dOut[d + n + j] = s;
            dOut[d + j] = ExpScalar.exp(-((2f * s - 1f) * LOGVAR_BOUND));
        }
    }

    /**
     * One feature's term and gradients, the reference's operations: from the mean m, s = σ(r·K), lv = log σ² and
     * the target t, writes d/dm to {@code dOut[dm]} and d/dr to {@code dOut[dr]}.
     *
     * @param m      the mean
     * @param s      σ(r·K)
     * @param lv     log σ², (2s − 1)·B
     * @param t      the target
     * @param scale  factor on the gradients
     * @param dOut   the gradient row
     * @param dm     where d/dm goes
     * @param dr     where d/dr goes
     * @return ½(log σ² + log 2π + (t − m)²/σ²)
     */
    static float term(float m, float s, float lv, float t, float scale, float[] dOut, int dm, int dr) {
        float w = ExpScalar.exp(-lv);
        float diff = t - m;
        float dw = diff * w;
        float q = diff * dw;
        dOut[dm] = -(dw * scale);
        dOut[dr] = (1f - q) * (s * (1f - s)) * (2f * scale); // ½ from the loss times 4 from d log σ² / dr = 4σ(1 − σ)
        return ((lv + LOG_2PI) + q) * 0.5f;
    }
}