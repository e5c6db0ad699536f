package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * The fused Gaussian loss on the Vector API: {@link GaussianLossScalar}'s operations lane by lane, the mean and the
 * log-variance halves of a row side by side, the loss into the {@value LossKernel#SLOTS} partial sums of the contract
 * (never {@code reduceLanes}). Tabular rows are short, so the partial sums live in memory, not in registers. A
 * template (see {@link Specializer}).
 */
public final class GaussianLossVector implements GaussianLossKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    private static final int G = LossKernel.SLOTS / L;

    private final ThreadLocal<float[]> slots = new ThreadLocal<>(); // no withInitial: templates have no lambdas

    @Override
    public void gaussianKl(int batch, int features, int latent, float scale, float beta, float[] out, int oOff,
                           int ldo, float[] x, int xOff, int ldx, float[] head, int hOff, int ldh, float[] dOut,
                           int doOff, int lddo, float[] dHead, int dhOff, int lddh, float[] loss, int lossOff) {
        GaussianLossKernel.check(batch, features, latent, out, oOff, ldo, x, xOff, ldx, head, hOff, ldh, dOut, doOff,
                lddo, dHead, dhOff, lddh, loss, lossOff);
        float[] sums = slots.get();
        if (sums == null) {
            sums = new float[LossKernel.SLOTS];
            slots.set(sums);
        }
        for (int i = 0; i < batch; i++) {
            java.util.Arrays.fill(sums, 0f);
            row(features, scale, out, oOff + i * ldo, x, xOff + i * ldx, dOut, doOff + i * lddo, sums);
            loss[lossOff + i] = LossKernel.sumSlots(sums)
                    + LossKernel.klRow(latent, beta * scale, head, hOff + i * ldh, dHead, dhOff + i * lddh);
        }
    }

    private static void row(int features, float scale, float[] out, int o, float[] x, int xr, float[] dOut, int d,
                            float[] sums) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        float scale2 = 2f * scale;
        for (int j = 0, step = 0; j < features; j += L, step++) {
            VectorMask<Float> m = S.indexInRange(j, features);
            FloatVector mean = FloatVector.fromArray(S, out, o + j, m);
            FloatVector raw = FloatVector.fromArray(S, out, o + features + j, m);
            FloatVector t = FloatVector.fromArray(S, x, xr + j, m);
            FloatVector s = one.div(ExpVector.exp(raw.mul(K).neg()).add(1f));
            FloatVector lv = s.mul(2f).sub(1f).mul(LOGVAR_BOUND);
            FloatVector w = ExpVector.exp(lv.neg());
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
