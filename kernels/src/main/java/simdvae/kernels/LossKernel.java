package simdvae.kernels;

import java.util.Objects;

/**
 * The VAE's loss and its gradient in one pass over a minibatch. For sample i with decoder logits l (pixels
 * columns), targets x in [0, 1], and a head row holding μ in columns [0, latent) and log σ² in [latent, 2·latent):
 * <pre>
 *   loss[i] = Σ_j [softplus(l_j) − x_j·l_j] + ½ Σ_q (exp(log σ²_q) + μ_q² − 1 − log σ²_q)
 *   dl_j     = (σ(l_j) − x_j)·scale
 *   dμ_q     = μ_q·β·scale,   d log σ²_q = ½(exp(log σ²_q) − 1)·β·scale
 * </pre>
 * β weighs the KL term in the gradient (a β-VAE, or KL warm-up); the loss value is always the plain negative ELBO
 * (reconstruction + KL, β = 1), so losses stay comparable whatever β a run used.
 * {@code softplus(l) − x·l} is the binary cross-entropy of σ(l) against x, written so that it is finite for every
 * finite l. The pixel sum is fixed by the contract too: pixel j goes to partial sum {@code j mod }{@value #SLOTS},
 * each partial adds its pixels in ascending order, and the partials are then added in slot order ({@link #sumSlots}).
 * A vector of any width up to 16 lanes covers whole slots, so gradients and loss values are bit-identical across
 * implementations and widths. The decoder's share of dμ and d log σ² arrives through z, elsewhere.
 */
public interface LossKernel {
    /** Partial sums of a row's cross-entropy: 16, the lanes of the widest vector. */
    int SLOTS = 16;

    /**
     * The fused Bernoulli loss and its gradients, for a minibatch: each row's loss into {@code loss}, the logits'
     * gradient into {@code dLogits} and the KL term's gradient into {@code dHead}.
     *
     * @param batch   rows
     * @param pixels  features a row (logits and targets)
     * @param latent  the latent size
     * @param scale   factor on every gradient (1/batch for a mean loss)
     * @param beta    weight of the KL term in the gradients
     * @param logits  batch×pixels, row stride {@code ldl}
     * @param lOff    where the logits' element (0, 0) is
     * @param ldl     the logits' row stride
     * @param x       batch×pixels targets, row stride {@code ldx}
     * @param xOff    where the targets' element (0, 0) is
     * @param ldx     the targets' row stride
     * @param head    batch×(2·latent) [μ | log σ²], row stride {@code ldh}
     * @param hOff    where the head's element (0, 0) is
     * @param ldh     the head's row stride
     * @param dLogits batch×pixels output, row stride {@code lddl}; must not overlap {@code logits} or {@code x}
     * @param dlOff   where its element (0, 0) goes
     * @param lddl    its row stride
     * @param dHead   batch×(2·latent) output [dμ | d log σ²], row stride {@code lddh}
     * @param dhOff   where its element (0, 0) goes
     * @param lddh    its row stride
     * @param loss    per-sample loss output, {@code batch} values from {@code lossOff}
     * @param lossOff where the first goes
     */
    void bceKl(int batch, int pixels, int latent, float scale, float beta,
               float[] logits, int lOff, int ldl,
               float[] x, int xOff, int ldx,
               float[] head, int hOff, int ldh,
               float[] dLogits, int dlOff, int lddl,
               float[] dHead, int dhOff, int lddh,
               float[] loss, int lossOff);

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
    float L13 = 2f / 13f;
    /** Coefficient of t¹⁰. */
    float L11 = 2f / 11f;
    /** Coefficient of t⁸. */
    float L9 = 2f / 9f;
    /** Coefficient of t⁶. */
    float L7 = 2f / 7f;
    /** Coefficient of t⁴. */
    float L5 = 2f / 5f;
    /** Coefficient of t². */
    float L3 = 2f / 3f;

    /**
     * log1p(u) for u in [0, 1], our own so that vector code need not call SVML: log1p(u) = 2·atanh(t) with
     * t = u/(2 + u) ≤ 1/3, and the atanh series to t¹³ (truncation below 1e-7 relative). {@link LossVector} runs the
     * same operations.
     *
     * @param u in [0, 1]
     * @return log1p(u)
     */
    static float log1pUnit(float u) {
        float t = u / (2f + u);
        float t2 = t * t;
        float p = Math.fma(L13, t2, L11);
        p = Math.fma(p, t2, L9);
        p = Math.fma(p, t2, L7);
        p = Math.fma(p, t2, L5);
        p = Math.fma(p, t2, L3);
        p = Math.fma(p, t2, 2f);
        return p * t;
    }

    /**
     * Checks {@link #bceKl}'s arguments: every matrix fits in its array.
     *
     * @param batch   rows
     * @param pixels  features a row
     * @param latent  the latent size
     * @param logits  the logits
     * @param lOff    their offset
     * @param ldl     their row stride
     * @param x       the targets
     * @param xOff    their offset
     * @param ldx     their row stride
     * @param head    the [μ | log σ²] rows
     * @param hOff    their offset
     * @param ldh     their row stride
     * @param dLogits the logits' gradient
     * @param dlOff   its offset
     * @param lddl    its row stride
     * @param dHead   the head gradient
     * @param dhOff   its offset
     * @param lddh    its row stride
     * @param loss    the per-row losses
     * @param lossOff their offset
     */
    static void check(int batch, int pixels, int latent, float[] logits, int lOff, int ldl, float[] x, int xOff,
                      int ldx, float[] head, int hOff, int ldh, float[] dLogits, int dlOff, int lddl, float[] dHead,
                      int dhOff, int lddh, float[] loss, int lossOff) {
        check(batch, pixels, pixels, latent, logits, lOff, ldl, x, xOff, ldx, head, hOff, ldh, dLogits, dlOff, lddl,
                dHead, dhOff, lddh, loss, lossOff);
    }

    /**
     * The argument checks of every loss family: its decoder output has {@code outColumns} columns a row.
     *
     * @param batch      rows
     * @param features   features a row (targets)
     * @param outColumns decoder outputs a row
     * @param latent     the latent size
     * @param out        the decoder output
     * @param oOff       its offset
     * @param ldo        its row stride
     * @param x          the targets
     * @param xOff       their offset
     * @param ldx        their row stride
     * @param head       the [μ | log σ²] rows
     * @param hOff       their offset
     * @param ldh        their row stride
     * @param dOut       the output gradient
     * @param doOff      its offset
     * @param lddo       its row stride
     * @param dHead      the head gradient
     * @param dhOff      its offset
     * @param lddh       its row stride
     * @param loss       the per-row losses
     * @param lossOff    their offset
     */
    static void check(int batch, int features, int outColumns, int latent, float[] out, int oOff, int ldo, float[] x,
                      int xOff, int ldx, float[] head, int hOff, int ldh, float[] dOut, int doOff, int lddo,
                      float[] dHead, int dhOff, int lddh, float[] loss, int lossOff) {
        if (batch < 0 || features < 0 || latent < 0) {
            throw new IllegalArgumentException("negative loss size: batch=" + batch + " features=" + features
                    + " latent=" + latent);
        }
        checkRows("decoder output", out, oOff, ldo, batch, outColumns);
        checkRows("x", x, xOff, ldx, batch, features);
        checkRows("head", head, hOff, ldh, batch, 2 * latent);
        checkRows("output gradient", dOut, doOff, lddo, batch, outColumns);
        checkRows("dHead", dHead, dhOff, lddh, batch, 2 * latent);
        Objects.checkFromIndexSize(lossOff, batch, loss.length);
        if (dOut == out || dOut == x) {
            throw new IllegalArgumentException("the output gradient must not share an array with the decoder output"
                    + " or x");
        }
    }

    private static void checkRows(String name, float[] a, int off, int ld, int rows, int cols) {
        Objects.requireNonNull(a, name);
        if (rows > 0 && cols > 0 && (off < 0 || ld < cols || (long) off + (long) (rows - 1) * ld + cols > a.length)) {
            throw new IllegalArgumentException(name + " (" + rows + "x" + cols + ", offset " + off + ", ld " + ld
                    + ") does not fit in an array of " + a.length);
        }
    }
}
