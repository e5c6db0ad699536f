package simdvae.kernels;

import java.util.Arrays;

/** The fused Gaussian negative log-likelihood + KL and their gradients, reference. */
public final class GaussianLossScalar implements GaussianLossKernel {
    /** The one instance (it holds nothing). */
    public static final GaussianLossScalar INSTANCE = new GaussianLossScalar();

    private GaussianLossScalar() {
    }

    @Override
    public void gaussianKl(int batch, int features, int latent, float scale, float beta, float[] out, int oOff,
                           int ldo, float[] x, int xOff, int ldx, float[] head, int hOff, int ldh, float[] dOut,
                           int doOff, int lddo, float[] dHead, int dhOff, int lddh, float[] loss, int lossOff) {
        GaussianLossKernel.check(batch, features, latent, out, oOff, ldo, x, xOff, ldx, head, hOff, ldh, dOut, doOff,
                lddo, dHead, dhOff, lddh, loss, lossOff);
        float[] slots = new float[LossKernel.SLOTS];
        float scale2 = 2f * scale; // ½ from the loss times 4 from d log σ² / dr = 4σ(1 − σ)
        for (int i = 0; i < batch; i++) {
            Arrays.fill(slots, 0f);
            int o = oOff + i * ldo;
            int d = doOff + i * lddo;
            for (int j = 0; j < features; j++) {
                float m = out[o + j];
                float s = ExpScalar.sigmoid(out[o + features + j] * K);
                float lv = (2f * s - 1f) * LOGVAR_BOUND;
                float w = ExpScalar.exp(-lv);
                float diff = x[xOff + i * ldx + j] - m;
                float dw = diff * w;
                float q = diff * dw;
                slots[j % LossKernel.SLOTS] += ((lv + LOG_2PI) + q) * 0.5f;
                dOut[d + j] = -(dw * scale);
                dOut[d + features + j] = (1f - q) * (s * (1f - s)) * scale2;
            }
            loss[lossOff + i] = LossKernel.sumSlots(slots)
                    + LossKernel.klRow(latent, beta * scale, head, hOff + i * ldh, dHead, dhOff + i * lddh);
        }
    }
}
