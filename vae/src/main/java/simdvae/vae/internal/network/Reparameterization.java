package simdvae.vae.internal.network;

import simdvae.kernels.ExpScalar;

/**
 * The reparameterization trick, row by row: {@code z = μ + exp(log σ²/2)·ε}, with μ and log σ² side by side in a
 * head row [μ | log σ²] (latent values each). The latent size is tiny (2 by default), so this is plain scalar code;
 * it uses {@link ExpScalar#exp} so it gives the same bits at every width.
 */
public final class Reparameterization {
    private Reparameterization() {
    }

    /**
     * {@code z[batch×latent] = μ + exp(½ log σ²)·ε}.
     *
     * @param batch  rows
     * @param latent the latent size
     * @param head   batch × [μ | log σ²]
     * @param eps    batch × latent standard normal draws
     * @param z      batch × latent output
     */
    public static void forward(int batch, int latent, float[] head, float[] eps, float[] z) {
        for (int r = 0; r < batch; r++) {
            for (int q = 0; q < latent; q++) {
                int h = r * 2 * latent;
                float std = ExpScalar.exp(0.5f * head[h + latent + q]);
                z[r * latent + q] = Math.fma(std, eps[r * latent + q], head[h + q]);
            }
        }
    }

    /**
     * Adds the gradient through z to the head gradient: {@code dμ += dz}, {@code d log σ² += dz·ε·½exp(½ log σ²)}.
     *
     * @param batch  rows
     * @param latent the latent size
     * @param head   batch × [μ | log σ²]
     * @param eps    the draws of the forward pass
     * @param dz     the gradient with respect to z
     * @param dHead  the head gradient, added to
     */
    public static void backward(int batch, int latent, float[] head, float[] eps, float[] dz, float[] dHead) {
        for (int r = 0; r < batch; r++) {
            for (int q = 0; q < latent; q++) {
                int h = r * 2 * latent;
                int i = r * latent + q;
                float std = ExpScalar.exp(0.5f * head[h + latent + q]);
                dHead[h + q] += dz[i];
                dHead[h + latent + q] += dz[i] * eps[i] * 0.5f * std;
            }
        }
    }
}
