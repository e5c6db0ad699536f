package simdvae.kernels;

/**
 * The Gaussian likelihood's loss and gradient in one pass over a minibatch, with the KL term fused as in
 * {@link LossKernel}. For real-valued features: the decoder's output row holds a mean m and a raw log-variance r
 * for each of the {@code features} columns, {@code [m_0 … m_{F−1} | r_0 … r_{F−1}]}. Per sample:
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
public interface GaussianLossKernel {
    /** log σ² lies in (−B, B). */
    float LOGVAR_BOUND = 7f;
    /** log 2π, rounded to float. */
    float LOG_2PI = (float) Math.log(2 * Math.PI);
    /** tanh(r/B) = 2σ(r·K) − 1. */
    float K = 2f / LOGVAR_BOUND;

    /**
     * The fused Gaussian loss and its gradients, for a minibatch (see {@link LossKernel#bceKl}, whose arguments
     * these mirror).
     *
     * @param batch    rows
     * @param features features a row
     * @param latent   the latent size
     * @param scale    factor on every gradient (1/batch for a mean loss)
     * @param beta     weight of the KL term in the gradients
     * @param out      batch×(2·features) decoder output [mean | raw log-variance], row stride {@code ldo}
     * @param oOff     where its element (0, 0) is
     * @param ldo      its row stride
     * @param x        batch×features targets, row stride {@code ldx}
     * @param xOff     where their element (0, 0) is
     * @param ldx      their row stride
     * @param head     batch×(2·latent) [μ | log σ²], row stride {@code ldh}
     * @param hOff     where its element (0, 0) is
     * @param ldh      its row stride
     * @param dOut     batch×(2·features) output gradient, row stride {@code lddo}; must not overlap {@code out} or x
     * @param doOff    where its element (0, 0) goes
     * @param lddo     its row stride
     * @param dHead    batch×(2·latent) output [dμ | d log σ²]
     * @param dhOff    where its element (0, 0) goes
     * @param lddh     its row stride
     * @param loss     per-sample loss output
     * @param lossOff  where the first goes
     */
    void gaussianKl(int batch, int features, int latent, float scale, float beta,
                    float[] out, int oOff, int ldo,
                    float[] x, int xOff, int ldx,
                    float[] head, int hOff, int ldh,
                    float[] dOut, int doOff, int lddo,
                    float[] dHead, int dhOff, int lddh,
                    float[] loss, int lossOff);

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
     * Checks that every matrix fits in its array ({@link LossKernel#check} with two outputs a feature).
     *
     * @param batch    rows
     * @param features features a row
     * @param latent   the latent size
     * @param out      the decoder output
     * @param oOff     its offset
     * @param ldo      its row stride
     * @param x        the targets
     * @param xOff     their offset
     * @param ldx      their row stride
     * @param head     the [μ | log σ²] rows
     * @param hOff     their offset
     * @param ldh      their row stride
     * @param dOut     the output gradient
     * @param doOff    its offset
     * @param lddo     its row stride
     * @param dHead    the head gradient
     * @param dhOff    its offset
     * @param lddh     its row stride
     * @param loss     the per-row losses
     * @param lossOff  their offset
     */
    static void check(int batch, int features, int latent, float[] out, int oOff, int ldo, float[] x, int xOff,
                      int ldx, float[] head, int hOff, int ldh, float[] dOut, int doOff, int lddo, float[] dHead,
                      int dhOff, int lddh, float[] loss, int lossOff) {
        LossKernel.check(batch, features, 2 * features, latent, out, oOff, ldo, x, xOff, ldx, head, hOff, ldh, dOut,
                doOff, lddo, dHead, dhOff, lddh, loss, lossOff);
    }
}
