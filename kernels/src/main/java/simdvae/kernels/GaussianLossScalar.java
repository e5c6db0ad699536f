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
        float scale2 = 2f * scale; // ½ from the loss times 4 from d log σ² / dr = 4σ(1 − σ)
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(slots, 0f);
            int o = b.oOff + i * b.ldo;
            int d = b.doOff + i * b.lddo;
            int x0 = b.xOff + i * b.ldx;
            for (int j = 0; j < features; j++) {
                float m = b.out[o + j];
                float s = ExpScalar.sigmoid(b.out[o + features + j] * K);
                float lv = (2f * s - 1f) * LOGVAR_BOUND;
                float w = ExpScalar.exp(-lv);
                float diff = b.x[x0 + j] - m;
                float dw = diff * w;
                float q = diff * dw;
                float term = ((lv + LOG_2PI) + q) * 0.5f;
                slots[j % LossKernel.SLOTS] += term;
                if (b.terms != null) {
                    b.terms[b.tOff + i * b.ldt + j] = term;
                }
                b.dOut[d + j] = -(dw * scale);
                b.dOut[d + features + j] = (1f - q) * (s * (1f - s)) * scale2;
            }
            b.loss[b.lossOff + i] = LossKernel.sumSlots(slots) + LossKernel.klRow(b.latent, b.beta * scale, b.head,
                    b.hOff + i * b.ldh, b.dHead, b.dhOff + i * b.lddh);
        }
    }
}
