package simdvae.vae.internal.network;

import java.util.Arrays;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Scaling;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;
import simdvae.vae.table.UnseenLevels;

/**
 * Rows of a data set as the network takes them, under a model's fitted {@link Features}: a plain row scaled; a table
 * row (see {@link Schema}) with numeric cells scaled (a missing one: its {@link Features#missingInput}, and NaN as
 * its target), categorical cells one-hot (a missing one: all zero, NaN as its target) and the "was missing" inputs.
 * For a numeric table without missing cells the input and the targets are the plain model's row, bit for bit.
 * Refuses what the model cannot take, naming the row and the column. Safe to share between threads.
 */
public final class RowInput {
    /** A level the model never saw, refused: scoring says how to count it instead, training what to do. */
    public static final class UnseenLevel extends SimdvaeException {
        private static final long serialVersionUID = 1L;
        /** The refusal without advice. */
        private final String fact;

        UnseenLevel(String fact) {
            super(fact + "; count unseen levels as " + Schema.OTHER + " with --unseen-levels other"
                    + " (UnseenLevels.OTHER)");
            this.fact = fact;
        }

        /**
         * The refusal without the advice on counting unseen levels.
         *
         * @return where and which level
         */
        public String fact() {
            return fact;
        }
    }

    private final Features features;
    /** Matches data sets' levels to the model's (table models). */
    private final LevelMaps maps;

    /**
     * Rows under {@code features}.
     *
     * @param features a model's fitted features
     */
    public RowInput(Features features) {
        this.features = features;
        this.maps = features.schema() == null ? null : new LevelMaps(features.schema(), features.names());
    }

    /**
     * The features these rows are read under.
     *
     * @return the features
     */
    public Features features() {
        return features;
    }

    /**
     * Row {@code i} of {@code data}, as the network takes it: the encoder's input into {@code x[xOff ..]} and, for a
     * table model, the loss's targets into {@code t[tOff ..]} (a plain model's targets are its input). {@code raw}
     * is scratch of at least {@code data.columns()} floats. Refuses a non-finite value, for {@code unitRange} a
     * value outside [0, 1], and a level training never saw under {@link UnseenLevels#ERROR}.
     *
     * @param data      the rows
     * @param i         the row
     * @param raw       scratch
     * @param x         the encoder's inputs
     * @param xOff      where row i's inputs start
     * @param t         the loss's targets (a table model's)
     * @param tOff      where row i's targets start
     * @param unitRange whether values must lie in [0, 1] after scaling (a Bernoulli model)
     * @param unseen    what to do with a level training never saw
     */
    public void toInput(Dataset data, int i, float[] raw, float[] x, int xOff, float[] t, int tOff, boolean unitRange,
                       UnseenLevels unseen) {
        if (maps == null) {
            plain(data, i, x, xOff, unitRange);
        } else {
            table(maps.of(data), data, i, raw, x, xOff, t, tOff, unitRange, unseen);
        }
    }

    /** A plain row, scaled, into {@code dst[off ..]}. */
    private void plain(Dataset data, int i, float[] dst, int off, boolean unitRange) {
        int n = data.columns();
        data.copyRow(i, dst, off);
        if (features.scaling() != Scaling.NONE) {
            for (int j = 0; j < n; j++) {
                dst[off + j] = features.scale(dst[off + j], j);
            }
        }
        float lo = unitRange ? 0f : -Float.MAX_VALUE;
        float hi = unitRange ? 1f : Float.MAX_VALUE;
        // the row's least and greatest values first (C2 vectorises these reductions; a NaN makes both NaN), the
        // cell by cell search only for a row that has a bad value: inference of many rows spent 7 % here
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            min = Math.min(min, dst[off + j]);
            max = Math.max(max, dst[off + j]);
        }
        if (min >= lo && max <= hi) {
            return;
        }
        for (int j = 0; j < n; j++) {
            float v = dst[off + j];
            if (!(v >= lo && v <= hi)) {
                throw new SimdvaeException(Float.isNaN(v) && Float.isNaN(rawValue(data, i, j))
                        ? data.where(i) + ", " + features.describe(j) + ": a missing value, which this model cannot"
                        + " take (it was trained as a Bernoulli model of complete rows; train on data with missing"
                        + " cells, or fill them)"
                        : !Float.isFinite(v)
                        ? data.where(i) + ", " + features.describe(j) + ": the value " + v + " is not a finite number"
                        : data.where(i) + ", " + features.describe(j) + ": the value " + v + " is outside [0, 1],"
                        + " which a Bernoulli model needs (scale the data with --scale minmax / Scaling.MINMAX, or"
                        + " use the gaussian likelihood)");
            }
        }
    }

    private static float rawValue(Dataset data, int i, int j) {
        float[] row = new float[data.columns()];
        data.copyRow(i, row, 0);
        return row[j];
    }

    private void table(int[][] levelMap, Dataset data, int i, float[] raw, float[] x, int xOff, float[] t, int tOff,
                       boolean unitRange, UnseenLevels unseen) {
        Schema columns = features.schema();
        int n = columns.count();
        data.copyRow(i, raw, 0);
        Arrays.fill(x, xOff + columns.layout().gaussian() + columns.layout().bernoulli(), xOff + columns.inputWidth(),
                0f);
        for (int j = 0; j < n; j++) {
            float v = raw[j];
            boolean missing = Float.isNaN(v);
            int in = xOff + columns.input(j);
            int target = tOff + columns.group(j);
            if (columns.kind(j) == Dataset.Kind.NUMERIC) {
                if (missing) {
                    x[in] = features.missingInput(j);
                    t[target] = Float.NaN;
                } else {
                    float s = features.scale(v, j);
                    if (!Float.isFinite(s) || unitRange && !(s >= 0f && s <= 1f)) {
                        throw new SimdvaeException(data.where(i) + ", " + features.describe(j) + ": the value " + v
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
                int level = levelMap[j][(int) v];
                if (level < 0) {
                    List<String> levels = columns.levels(j);
                    if (unseen == UnseenLevels.ERROR) {
                        throw new UnseenLevel(data.where(i) + ", " + features.describe(j) + ": the level '"
                                + data.levels(j).get((int) v) + "' was not in the training rows (its "
                                + (levels.size() - 1) + " levels: " + preview(levels) + ")");
                    }
                    level = levels.size() - 1;
                }
                x[in + level] = 1f;
                t[target] = level;
            }
            int ind = columns.missingIndicator(j);
            if (ind >= 0) {
                x[xOff + ind] = missing ? 1f : 0f;
            }
        }
    }

    /** The first levels of a column, for a message. */
    private static String preview(List<String> levels) {
        int shown = Math.min(levels.size() - 1, 8);
        String list = String.join(", ", levels.subList(0, shown));
        return levels.size() - 1 > shown ? list + ", …" : list;
    }
}
