package simdvae.vae;

import simdvae.core.SimdvaeException;

/**
 * A table row as the network takes it (see {@link Columns}): numeric cells scaled (a missing one: its neutral value,
 * and NaN as its target), categorical cells one-hot (a missing one: all zero, NaN as its target), and the "was
 * missing" inputs. For a numeric table without gaps the input and the targets are the plain model's row, bit for bit.
 */
final class TableRows {
    /** A level the model never saw, refused: scoring says how to count it instead, training what to do. */
    static final class UnseenLevel extends SimdvaeException {
        private static final long serialVersionUID = 1L;
        /** The refusal without advice. */
        final String fact;

        UnseenLevel(String fact) {
            super(fact + "; count unseen levels as " + Columns.OTHER + " with --unseen-levels other"
                    + " (UnseenLevels.OTHER)");
            this.fact = fact;
        }
    }

    private TableRows() {
    }

    static void encode(Features f, Columns columns, int[][] maps, Dataset data, int i, float[] raw, float[] x, int xOff,
                       float[] t, int tOff, boolean unitRange, UnseenLevels unseen) {
        int n = columns.count();
        data.copyRow(i, raw, 0);
        java.util.Arrays.fill(x, xOff + columns.layout().gaussian() + columns.layout().bernoulli(),
                xOff + columns.inputWidth(), 0f);
        for (int j = 0; j < n; j++) {
            float v = raw[j];
            boolean missing = Float.isNaN(v);
            int in = xOff + columns.input(j);
            int target = tOff + columns.group(j);
            if (columns.kind(j) == Dataset.Kind.NUMERIC) {
                if (missing) {
                    x[in] = f.neutral(j);
                    t[target] = Float.NaN;
                } else {
                    float s = f.scale(v, j);
                    if (!Float.isFinite(s) || unitRange && !(s >= 0f && s <= 1f)) {
                        throw new SimdvaeException(data.where(i) + ", " + f.describe(j) + ": the value " + v
                                + (Float.isFinite(s) ? " is outside [0, 1] after scaling, which a Bernoulli model"
                                + " needs (scale the data with --scale minmax / Scaling.MINMAX, or use the gaussian"
                                + " likelihood)" : " is not a finite number"));
                    }
                    x[in] = s;
                    t[target] = s;
                }
            } else if (missing) {
                t[target] = Float.NaN;
            } else {
                int level = maps[j][(int) v];
                if (level < 0) {
                    java.util.List<String> levels = columns.levels(j);
                    if (unseen == UnseenLevels.ERROR) {
                        throw new UnseenLevel(data.where(i) + ", " + f.describe(j) + ": the level '"
                                + data.levels(j).get((int) v) + "' was not in the training rows (its "
                                + (levels.size() - 1) + " levels: " + preview(levels) + ")");
                    }
                    level = levels.size() - 1;
                }
                x[in + level] = 1f;
                t[target] = level;
            }
            int ind = columns.indicator(j);
            if (ind >= 0) {
                x[xOff + ind] = missing ? 1f : 0f;
            }
        }
    }

    /** The first levels of a column, for a message. */
    private static String preview(java.util.List<String> levels) {
        int shown = Math.min(levels.size() - 1, 8);
        String list = String.join(", ", levels.subList(0, shown));
        return levels.size() - 1 > shown ? list + ", …" : list;
    }

    /**
     * The decoder's output row {@code out[o ..]} in the data's units, one value a column: a numeric column's mean
     * (unscaled; a Bernoulli column's probability), or with {@code logVar} its log-variance (NaN for a column without
     * one); a categorical column's most probable level, as its index in {@link Columns#levels} (the first of equals).
     */
    static void decode(Features f, Columns columns, float[] out, int o, boolean logVar, float[] row) {
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
