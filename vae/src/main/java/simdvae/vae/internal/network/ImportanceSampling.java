package simdvae.vae.internal.network;

import simdvae.core.CounterRng;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.RngStreams;

/**
 * The importance-weighted estimate of log p(x) (Burda et al.): per row, {@code samples} draws of z from q(z|x),
 * seeded by row and sample, each decoded, and the log-mean-exp of their weights in double, in sample order: the same
 * bits at every width and thread count. The decoder runs {@code samples} times on one packing of the weights.
 */
final class ImportanceSampling {
    private ImportanceSampling() {
    }

    /**
     * The estimate of log p(x) of every row of {@code data}, nats.
     *
     * @param runner   the model's runner (its batches, threads and packed weights)
     * @param vae      the model
     * @param data     the rows
     * @param samples  importance samples a row
     * @param firstRow the index of the first row in the whole the rows continue
     * @return log p(x) estimated for each row
     */
    static double[] logLikelihood(Inference.Runner runner, ModelView vae, Dataset data, int samples, long firstRow) {
        int latent = vae.architecture().latent();
        int n = data.size();
        double[] out = new double[n];
        CounterRng rng = new CounterRng(vae.seed());
        runner.forBatches(n, (inf, start, b) -> {
            Workspace ws = inf.ws;
            double[] max = inf.max;
            double[] acc = inf.acc;
            float[] kl = inf.kl;
            inf.encode(data, start, b);
            for (int r = 0; r < b; r++) {
                kl[r] = inf.kl(r);
                max[r] = Double.NEGATIVE_INFINITY;
                acc[r] = 0;
            }
            for (int s = 0; s < samples; s++) {
                for (int r = 0; r < b; r++) {
                    long base = ((firstRow + start + r) * samples + s) * latent;
                    for (int q = 0; q < latent; q++) {
                        ws.eps[r * latent + q] = (float) rng.normal(RngStreams.IW, base + q);
                    }
                }
                Reparameterization.forward(b, latent, ws.head, ws.eps, ws.z);
                inf.decode(b);
                inf.loss(b, false);
                for (int r = 0; r < b; r++) {
                    // log p(x|z) + log p(z) − log q(z|x); the log 2π of the two Gaussians cancel
                    double logW = -((double) ws.loss[r] - kl[r]);
                    for (int q = 0; q < latent; q++) {
                        double lv = ws.head[r * 2 * latent + latent + q];
                        double e = ws.eps[r * latent + q];
                        double z = ws.z[r * latent + q];
                        logW += 0.5 * (lv + e * e - z * z);
                    }
                    // a running log-sum-exp, in sample order
                    if (logW > max[r]) {
                        acc[r] = acc[r] * Math.exp(max[r] - logW) + 1;
                        max[r] = logW;
                    } else {
                        acc[r] += Math.exp(logW - max[r]);
                    }
                }
            }
            for (int r = 0; r < b; r++) {
                out[start + r] = max[r] + Math.log(acc[r] / samples);
            }
        });
        return out;
    }
}
