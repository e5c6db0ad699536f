package simdvae.kernels;

import java.util.Arrays;

/** The fused BCE + KL loss and gradient, reference. */
public final class LossScalar implements LossKernel {
    /** The one instance (it holds nothing). */
    public static final LossScalar INSTANCE = new LossScalar();

    private LossScalar() {
    }

    @Override
    public void bceKl(int batch, int pixels, int latent, float scale, float beta, float[] logits, int lOff, int ldl,
                      float[] x, int xOff, int ldx, float[] head, int hOff, int ldh, float[] dLogits, int dlOff,
                      int lddl, float[] dHead, int dhOff, int lddh, float[] loss, int lossOff) {
        LossKernel.check(batch, pixels, latent, logits, lOff, ldl, x, xOff, ldx, head, hOff, ldh, dLogits, dlOff,
                lddl, dHead, dhOff, lddh, loss, lossOff);
        float[] slots = new float[SLOTS];
        for (int i = 0; i < batch; i++) {
            Arrays.fill(slots, 0f);
            for (int j = 0; j < pixels; j++) {
                float l = logits[lOff + i * ldl + j];
                float t = x[xOff + i * ldx + j];
                float s = ExpScalar.sigmoid(l);
                dLogits[dlOff + i * lddl + j] = (s - t) * scale;
                slots[j % SLOTS] += LossKernel.softplusFromSigmoid(l, s) - t * l;
            }
            loss[lossOff + i] = LossKernel.sumSlots(slots) + LossKernel.klRow(latent, beta * scale, head, hOff + i * ldh, dHead, dhOff + i * lddh);
        }
    }
}
