package simdvae.vae.internal.network;

import simdvae.vae.data.Dataset;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;

/**
 * The decoder's output in the data's units: a numeric column's mean (unscaled; a Bernoulli column's probability) or
 * log-variance, a categorical column's most probable level.
 */
public final class RowOutput {
    private RowOutput() {
    }

    /**
     * A table model's output row {@code out[o ..]} in the data's units, one value a column: a numeric column's mean
     * (unscaled; a Bernoulli column's probability), or with {@code logVar} its log-variance (NaN for a column without
     * one); a categorical column's most probable level, as its index in {@link Schema#levels} (the first of equals).
     *
     * @param f      the model's features
     * @param out    the decoder's outputs
     * @param o      where the row starts
     * @param logVar whether to give log-variances instead of means
     * @param row    one value a column
     */
    public static void decode(Features f, float[] out, int o, boolean logVar, float[] row) {
        Schema columns = f.schema();
        simdvae.kernels.LossLayout layout = columns.layout();
        int gaussian = layout.gaussian();
        int numerics = gaussian + layout.bernoulli();
        for (int j = 0; j < columns.count(); j++) {
            int g = columns.group(j);
            if (columns.kind(j) == Dataset.Kind.NUMERIC) {
                if (gaussian > 0) {
                    row[j] = logVar ? f.unscaleLogVar(simdvae.kernels.GaussianLossKernel.logVar(out[o + gaussian + g]), j)
                            : f.unscale(out[o + g], j);
                } else {
                    row[j] = logVar ? Float.NaN : f.unscale(simdvae.kernels.ExpScalar.sigmoid(out[o + g]), j);
                }
            } else if (logVar) {
                row[j] = Float.NaN;
            } else {
                int c = g - numerics;
                int start = o + layout.logitStart(c);
                int best = 0;
                for (int q = 1; q < layout.levels(c); q++) {
                    if (out[start + q] > out[start + best]) {
                        best = q;
                    }
                }
                row[j] = best;
            }
        }
    }
}
