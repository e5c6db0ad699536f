package simdvae.kernels;

import java.util.Objects;
import simdvae.core.FloatMatrix;

/**
 * The arguments of a fused loss-and-gradient call ({@link LossKernel#lossAndGradient}) for one minibatch: its sizes,
 * the gradient's scale and KL weight, and six row-major matrices, each an array with the offset of its element
 * (0, 0) and its row stride. Set once where the buffers are made and reused (a training step sets only the row
 * count), so a step allocates nothing; a kernel reads rows [from, to) of it, so threads share one. A new likelihood
 * family needs a new kernel, not a new argument list.
 *
 * <pre>
 *   output          batch × (outputsPerFeature·features)   the decoder's output (logits; or [mean | raw log σ²])
 *   targets         batch × features                      x
 *   head            batch × 2·latent                      [μ | log σ²]
 *   outputGradient  batch × (outputsPerFeature·features)   written; shares no array with output or targets
 *   headGradient    batch × 2·latent                      written: the KL term's share of [dμ | d log σ²]
 *   losses          batch values                          written: each row's negative ELBO
 *   terms           batch × features   (optional)          written: each row's reconstruction term per feature
 * </pre>
 * A mixed table's kernel ({@link MixedLossKernel}) also reads its {@link #layout} (then "features" are its groups,
 * one a column, and the output row is the layout's), and any kernel that masks ({@link MixedLossKernel}: NaN targets)
 * reads {@link #missingAtExpectation}.
 */
public final class LossBatch {
    int batch;
    int features;
    int latent;
    float scale = 1f;
    float beta = 1f;
    float[] out;
    int oOff;
    int ldo;
    float[] x;
    int xOff;
    int ldx;
    float[] head;
    int hOff;
    int ldh;
    float[] dOut;
    int doOff;
    int lddo;
    float[] dHead;
    int dhOff;
    int lddh;
    float[] loss;
    int lossOff;
    float[] terms;
    int tOff;
    int ldt;
    LossLayout layout;
    boolean missingAtExpectation;

    /** An empty set of arguments: set every part before the first call. */
    public LossBatch() {
    }

    /**
     * Arguments over dense arrays: every matrix from offset 0 with rows packed back to back, scale and β 1.
     *
     * @param batch             rows
     * @param features          features a row
     * @param latent            the latent size
     * @param outputsPerFeature decoder outputs a feature ({@link LossKernel#outputsPerFeature})
     * @param out               the decoder output, batch × (outputsPerFeature·features)
     * @param x                 the targets, batch × features
     * @param head              the head, batch × 2·latent
     * @param dOut              the output gradient (written), like out
     * @param dHead             the head gradient (written), like head
     * @param loss              the per-row losses (written), batch values
     * @return the arguments
     */
    public static LossBatch dense(int batch, int features, int latent, int outputsPerFeature, float[] out,
                                  float[] x, float[] head, float[] dOut, float[] dHead, float[] loss) {
        int outColumns = outputsPerFeature * features;
        return new LossBatch().sizes(batch, features, latent).output(out, 0, outColumns).targets(x, 0, features)
                .head(head, 0, 2 * latent).outputGradient(dOut, 0, outColumns).headGradient(dHead, 0, 2 * latent)
                .losses(loss, 0);
    }

    /**
     * The sizes.
     *
     * @param batch    rows
     * @param features features a row (targets)
     * @param latent   the latent size
     * @return this
     */
    public LossBatch sizes(int batch, int features, int latent) {
        if (batch < 0 || features < 0 || latent < 0) {
            throw new IllegalArgumentException("negative loss size: batch=" + batch + " features=" + features
                    + " latent=" + latent);
        }
        this.batch = batch;
        this.features = features;
        this.latent = latent;
        return this;
    }

    /**
     * The row count alone (a short last batch), the other sizes kept.
     *
     * @param batch rows
     * @return this
     */
    public LossBatch rows(int batch) {
        return sizes(batch, features, latent);
    }

    /**
     * The factors on the gradients (never on the loss values, which are always the plain negative ELBO).
     *
     * @param scale factor on every gradient (1/batch for a mean loss)
     * @param beta  weight of the KL term in the gradients (a β-VAE, or KL warm-up)
     * @return this
     */
    public LossBatch weights(float scale, float beta) {
        this.scale = scale;
        this.beta = beta;
        return this;
    }

    /**
     * The decoder's output.
     *
     * @param a   the array
     * @param off where element (0, 0) is
     * @param ld  the row stride
     * @return this
     */
    public LossBatch output(float[] a, int off, int ld) {
        out = a;
        oOff = off;
        ldo = ld;
        return this;
    }

    /**
     * The targets x.
     *
     * @param a   the array
     * @param off where element (0, 0) is
     * @param ld  the row stride
     * @return this
     */
    public LossBatch targets(float[] a, int off, int ld) {
        x = a;
        xOff = off;
        ldx = ld;
        return this;
    }

    /**
     * The encoder's head, [μ | log σ²] a row.
     *
     * @param a   the array
     * @param off where element (0, 0) is
     * @param ld  the row stride
     * @return this
     */
    public LossBatch head(float[] a, int off, int ld) {
        head = a;
        hOff = off;
        ldh = ld;
        return this;
    }

    /**
     * Where the output's gradient goes.
     *
     * @param a   the array (not the output's or the targets')
     * @param off where element (0, 0) goes
     * @param ld  the row stride
     * @return this
     */
    public LossBatch outputGradient(float[] a, int off, int ld) {
        dOut = a;
        doOff = off;
        lddo = ld;
        return this;
    }

    /**
     * Where the KL term's gradient with respect to the head goes.
     *
     * @param a   the array
     * @param off where element (0, 0) goes
     * @param ld  the row stride
     * @return this
     */
    public LossBatch headGradient(float[] a, int off, int ld) {
        dHead = a;
        dhOff = off;
        lddh = ld;
        return this;
    }

    /**
     * Where each row's loss goes.
     *
     * @param a   the array
     * @param off where the first row's goes
     * @return this
     */
    public LossBatch losses(float[] a, int off) {
        loss = a;
        lossOff = off;
        return this;
    }

    /**
     * Where each row's reconstruction term per feature (per group, for a mixed table) goes, or null for nowhere:
     * what explains which column made a row's score (they add up to the row's reconstruction term, to rounding).
     *
     * @param a   the array, or null
     * @param off where element (0, 0) goes
     * @param ld  the row stride
     * @return this
     */
    public LossBatch terms(float[] a, int off, int ld) {
        terms = a;
        tOff = off;
        ldt = ld;
        return this;
    }

    /**
     * The groups of a mixed table ({@link MixedLossKernel}); the sizes' features become its group count.
     *
     * @param l the layout
     * @return this
     */
    public LossBatch layout(LossLayout l) {
        layout = Objects.requireNonNull(l, "layout");
        features = l.groups();
        return this;
    }

    /**
     * What a missing target (NaN) adds to the loss value: nothing (false, the default: training, whose gradient
     * ignores missing targets either way), or its expected value under the model (true: scoring, so a row with gaps
     * is not made to look likely by what it lacks).
     *
     * @param expected true to count missing targets at their expected value
     * @return this
     */
    public LossBatch missingAtExpectation(boolean expected) {
        missingAtExpectation = expected;
        return this;
    }

    /**
     * The number of rows.
     *
     * @return batch
     */
    public int batch() {
        return batch;
    }

    /**
     * Checks that every part is set and fits in its array, for {@code kernel}'s output row, and that rows
     * [from, to) are rows of the batch.
     *
     * @param kernel the kernel about to run
     * @param from   the first row
     * @param to     past the last row
     * @throws IllegalArgumentException naming the part that does not fit
     */
    public void check(LossKernel kernel, int from, int to) {
        Objects.checkFromToIndex(from, to, batch);
        int outColumns = kernel.outputColumns(this);
        FloatMatrix.checkFits("decoder output", out, oOff, batch, outColumns, ldo);
        FloatMatrix.checkFits("targets", x, xOff, batch, features, ldx);
        FloatMatrix.checkFits("head", head, hOff, batch, 2 * latent, ldh);
        FloatMatrix.checkFits("output gradient", dOut, doOff, batch, outColumns, lddo);
        FloatMatrix.checkFits("head gradient", dHead, dhOff, batch, 2 * latent, lddh);
        Objects.requireNonNull(loss, "losses");
        Objects.checkFromIndexSize(lossOff, batch, loss.length);
        if (terms != null) {
            FloatMatrix.checkFits("terms", terms, tOff, batch, features, ldt);
        }
        if (dOut == out || dOut == x) {
            throw new IllegalArgumentException("the output gradient must not share an array with the decoder output"
                    + " or the targets");
        }
    }

    /**
     * Writes row {@code i}'s loss, its reconstruction term plus its KL term, and the KL term's gradient (see
     * {@link LossKernel#klRow}): the end of every loss kernel's row.
     *
     * @param i              the row
     * @param reconstruction its reconstruction term, its partial sums added in the contract's order
     */
    void rowLoss(int i, float reconstruction) {
        loss[lossOff + i] = reconstruction + LossKernel.klRow(latent, beta * scale, head, hOff + i * ldh, dHead,
                dhOff + i * lddh);
    }
}