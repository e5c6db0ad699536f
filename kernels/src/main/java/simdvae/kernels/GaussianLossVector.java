package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * The fused Gaussian loss on the Vector API: {@link GaussianLossScalar}'s operations lane by lane, the loss into the
 * {@value LossKernel#SLOTS} partial sums of the contract (never {@code reduceLanes}). A row goes in short passes
 * while it sits in L1, the two exps through the {@link ExpKernel} of the same width: σ(r·K) into the gradient's
 * log-variance half, −log σ² then 1/σ² into its mean half, then one pass that reads them back and writes both
 * gradients. One method holding both exps inline passed C2's inlining limits and boxed its vectors (240 KB allocated
 * per 50-row batch at 512 bits). Tabular rows are short, so the partial sums live in memory, not in registers. A
 * template (see {@link Specializer}).
 */
public final class GaussianLossVector implements GaussianLossKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    private static final int G = LossKernel.SLOTS / L;

    private final ExpKernel exp;
    private final ThreadLocal<float[]> slots = new ThreadLocal<>(); // no withInitial: templates have no lambdas

    /**
     * A kernel at the width of this copy of the template.
     *
     * @param exp the exp kernel of the same width, which the loss runs its exps through
     */
    public GaussianLossVector(ExpKernel exp) {
        this.exp = exp;
    }

    @Override
    public void lossAndGradient(LossBatch b, int from, int to) {
        if (b.terms != null) {
            // Per-feature terms explain a score; they are not on the training path. The reference gives the same
            // bits as this kernel (the contract every vector kernel is tested against), so it writes them.
            GaussianLossScalar.INSTANCE.lossAndGradient(b, from, to);
            return;
        }
        b.check(this, from, to);
        float[] sums = slots.get();
        if (sums == null) {
            sums = new float[LossKernel.SLOTS];
            slots.set(sums);
        }
        int features = b.features;
        float[] out = b.out;
        float[] dOut = b.dOut;
        for (int i = from; i < to; i++) {
            int o = b.oOff + i * b.ldo;
            int d = b.doOff + i * b.lddo;
            varianceRow(out, o + features, dOut, d, features);
            java.util.Arrays.fill(sums, 0f);
            row(features, b.scale, out, o, b.x, b.xOff + i * b.ldx, dOut, d, sums);
            b.rowLoss(i, LossKernel.sumSlots(sums));
        }
    }

    /** {@inheritDoc} In short passes, the sigmoid and the exp by the {@link ExpKernel} of the same width. */
    @Override
    public void varianceRow(float[] out, int r, float[] dOut, int d, int n) {
        scaleRaw(n, out, r, dOut, d + n);
        exp.sigmoid(dOut, d + n, dOut, d + n, n);
        negLogVar(n, dOut, d + n, dOut, d);
        exp.exp(dOut, d, dOut, d, n);
    }

    /** {@code dst = raw · K}, the sigmoid's argument. */
    private static void scaleRaw(int n, float[] raw, int r, float[] dst, int d) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromArray(S, raw, r + j, m).mul(K).intoArray(dst, d + j, m);
        }
    }

    /** {@code dst = −log σ² = −(2s − 1)·B} from s = σ(r·K). */
    private static void negLogVar(int n, float[] s, int si, float[] dst, int d) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromArray(S, s, si + j, m).mul(2f).sub(1f).mul(LOGVAR_BOUND).neg().intoArray(dst, d + j, m);
        }
    }

    /**
     * With s = σ(r·K) in the gradient row's log-variance half and 1/σ² in its mean half: the row's loss terms into
     * {@code sums} and both gradients over them.
     */
    private static void row(int features, float scale, float[] out, int o, float[] x, int xr, float[] dOut, int d,
                            float[] sums) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        float scale2 = 2f * scale;
        for (int j = 0, step = 0; j < features; j += L, step++) {
            VectorMask<Float> m = S.indexInRange(j, features);
            FloatVector mean = FloatVector.fromArray(S, out, o + j, m);
            FloatVector t = FloatVector.fromArray(S, x, xr + j, m);
            FloatVector s = FloatVector.fromArray(S, dOut, d + features + j, m);
            FloatVector w = FloatVector.fromArray(S, dOut, d + j, m);
            FloatVector lv = s.mul(2f).sub(1f).mul(LOGVAR_BOUND);
            FloatVector diff = t.sub(mean);
            FloatVector dw = diff.mul(w);
            FloatVector q = diff.mul(dw);
            dw.mul(scale).neg().intoArray(dOut, d + j, m);
            one.sub(q).mul(s.mul(one.sub(s))).mul(scale2).intoArray(dOut, d + features + j, m);
            int slot = (step % G) * L;
            FloatVector.fromArray(S, sums, slot).add(lv.add(LOG_2PI).add(q).mul(0.5f), m).intoArray(sums, slot);
        }
    }
}
