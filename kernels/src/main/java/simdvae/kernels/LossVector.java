package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * The fused loss on the Vector API, a row at a time: σ(l) by the {@link ExpKernel} of the same width into the dl
 * row, then one vector pass that turns it into dl and sums the cross-entropy while the row is still in L1. The
 * pixel sum uses lanes ({@code reduceLanes}), so the loss value, and only it, may differ from the scalar one in the
 * last bits. Its log1p is our own ({@link LossKernel#log1pUnit}): SVML's has no intrinsic at every width, and the
 * Java fallback allocates. A template (see {@link Specializer}).
 */
public final class LossVector implements LossKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();

    private final ExpKernel exp;

    public LossVector(ExpKernel exp) {
        this.exp = exp;
    }

    @Override
    public void bceKl(int batch, int pixels, int latent, float scale, float[] logits, int lOff, int ldl,
                      float[] x, int xOff, int ldx, float[] head, int hOff, int ldh, float[] dLogits, int dlOff,
                      int lddl, float[] dHead, int dhOff, int lddh, float[] loss, int lossOff) {
        LossKernel.check(batch, pixels, latent, logits, lOff, ldl, x, xOff, ldx, head, hOff, ldh, dLogits, dlOff,
                lddl, dHead, dhOff, lddh, loss, lossOff);
        for (int i = 0; i < batch; i++) {
            int lRow = lOff + i * ldl;
            int dRow = dlOff + i * lddl;
            exp.sigmoid(logits, lRow, dLogits, dRow, pixels);
            float bce = row(pixels, scale, logits, lRow, x, xOff + i * ldx, dLogits, dRow);
            float kl = LossKernel.klRow(latent, scale, head, hOff + i * ldh, dHead, dhOff + i * lddh);
            loss[lossOff + i] = bce + kl;
        }
    }

    /**
     * One row, with σ(l) already in the dl row: turns it into dl and returns the row's cross-entropy. Kept apart
     * from the sigmoid call so that C2 inlines all of it (one method holding both hit the inlining node limit, and
     * the vectors went to the heap).
     */
    private static float row(int pixels, float scale, float[] logits, int lRow, float[] x, int xRow, float[] dLogits,
                             int dRow) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector bce = FloatVector.zero(S);
        for (int j = 0; j < pixels; j += L) {
            VectorMask<Float> m = S.indexInRange(j, pixels);
            FloatVector l = FloatVector.fromArray(S, logits, lRow + j, m);
            FloatVector t = FloatVector.fromArray(S, x, xRow + j, m);
            FloatVector s = FloatVector.fromArray(S, dLogits, dRow + j, m);
            s.sub(t).mul(scale).intoArray(dLogits, dRow + j, m);
            // softplus(l) from s, as in LossKernel.softplusFromSigmoid and LossKernel.log1pUnit
            FloatVector oneMinusS = one.sub(s);
            VectorMask<Float> positive = l.compare(VectorOperators.GE, 0f);
            FloatVector u = s.div(oneMinusS).blend(oneMinusS.div(s), positive);
            FloatVector q = u.div(u.add(2f));
            FloatVector q2 = q.mul(q);
            FloatVector p = FloatVector.broadcast(S, LossKernel.L13).fma(q2, FloatVector.broadcast(S, LossKernel.L11));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.L9));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.L7));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.L5));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.L3));
            p = p.fma(q2, FloatVector.broadcast(S, 2f));
            FloatVector softplus = l.max(0f).add(p.mul(q));
            bce = bce.add(softplus.sub(t.mul(l)), m);
        }
        return bce.reduceLanes(VectorOperators.ADD);
    }
}
