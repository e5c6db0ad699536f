package simdvae.kernels;

/**
 * The fused Gaussian negative log-likelihood + KL and their gradients, reference (see {@link BernoulliLossScalar});
 * with {@link LossBatch#terms} set, each feature's term is written too.
 */
public final class GaussianLossScalar implements GaussianLossKernel {
    /** The one instance (it holds nothing). */
    public static final GaussianLossScalar INSTANCE = new GaussianLossScalar();

    private GaussianLossScalar() {
    }

    @Override
    public void lossAndGradient(LossBatch b, int from, int to) {
        b.check(this, from, to);
        float[] slots = new float[LossKernel.SLOTS];
        int features = b.features;
        float scale = b.scale;
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(slots, 0f);
            int o = b.oOff + i * b.ldo;
            int d = b.doOff + i * b.lddo;
            int x0 = b.xOff + i * b.ldx;
            for (int j = 0; j < features; j++) {
                float s = ExpScalar.sigmoid(b.out[o + features + j] * K);
                float term = GaussianLossKernel.term(b.out[o + j], s, (2f * s - 1f) * LOGVAR_BOUND, b.x[x0 + j], scale,
                        b.dOut, d + j, d + features + j);
                slots[j % LossKernel.SLOTS] += term;
                if (b.terms != null) {
                    b.terms[b.tOff + i * b.ldt + j] = term;
                }
            }
            b.rowLoss(i, LossKernel.sumSlots(slots));
        }
    }
}
