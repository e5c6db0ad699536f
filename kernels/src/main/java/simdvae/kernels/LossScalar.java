package simdvae.kernels;

/** The fused BCE + KL loss and gradient, reference. */
public final class LossScalar implements LossKernel {
    public static final LossScalar INSTANCE = new LossScalar();

    @Override
    public void bceKl(int batch, int pixels, int latent, float scale, float[] logits, int lOff, int ldl,
                      float[] x, int xOff, int ldx, float[] head, int hOff, int ldh, float[] dLogits, int dlOff,
                      int lddl, float[] dHead, int dhOff, int lddh, float[] loss, int lossOff) {
        LossKernel.check(batch, pixels, latent, logits, lOff, ldl, x, xOff, ldx, head, hOff, ldh, dLogits, dlOff,
                lddl, dHead, dhOff, lddh, loss, lossOff);
        for (int i = 0; i < batch; i++) {
            float bce = 0f;
            for (int j = 0; j < pixels; j++) {
                float l = logits[lOff + i * ldl + j];
                float t = x[xOff + i * ldx + j];
                float s = ExpScalar.sigmoid(l);
                dLogits[dlOff + i * lddl + j] = (s - t) * scale;
                bce += LossKernel.softplusFromSigmoid(l, s) - t * l;
            }
            loss[lossOff + i] = bce + LossKernel.klRow(latent, scale, head, hOff + i * ldh, dHead, dhOff + i * lddh);
        }
    }
}
