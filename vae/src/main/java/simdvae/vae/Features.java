package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a model knows of its input columns: their names and the label column's (when the training data had them), the
 * scaling fitted on the training data, and for a table model its {@link Columns} (kinds, levels, gaps). Every path
 * that takes raw rows applies it (training, encode, score, reconstruct; {@link #encode}) and {@link Vae#decode}
 * undoes it. Immutable.
 *
 * <p>Fitted in double over the training rows' observed cells: {@link Scaling#STANDARDIZE} maps x to (x − mean)/sd
 * (population sd), {@link Scaling#MINMAX} to (x − min)/(max − min), clamped to [0, 1]. A constant column has nothing
 * to divide by: it is centred (or mapped to 0) only, and {@link #constantColumns()} names it.
 *
 * <p>A model made from its table ({@link Vae#create(VaeConfig, Dataset)}) is a <em>table</em> model, with
 * {@link #columns()}; a model made from its configuration alone ({@link Vae#create(VaeConfig)}: images, say) takes
 * plain rows of numbers.
 */
public final class Features implements java.io.Serializable {
    private static final long serialVersionUID = 2L;

    /** The feature columns' names, or null. */
    @SuppressWarnings("serial") // always List.copyOf's list, which is serializable
    private final List<String> names;
    /** The label column's name, or null. */
    private final String label;
    /** The scaling fitted. */
    private final Scaling scaling;
    /** Per column: subtracted before scaling (null without scaling). */
    private final double[] offset;
    /** Per column: the factor after the offset (null without scaling). */
    private final double[] factor;
    /** Descriptions of the columns that were constant in the training data. */
    @SuppressWarnings("serial") // always List.copyOf's list
    private final List<String> constant;
    /** A table model's columns, or null for plain rows. */
    private final Columns columns;
    /** A table model's per column: what a missing numeric cell encodes as (its scaled training mean). */
    private final float[] neutral;
    /** Matches data sets' levels to the model's; rebuilt after deserialization. */
    private transient volatile LevelMaps levelMaps;

    private Features(List<String> names, String label, Scaling scaling, double[] offset, double[] factor,
                     List<String> constant, Columns columns, float[] neutral) {
        this.names = names == null ? null : List.copyOf(names);
        this.label = label;
        this.scaling = scaling;
        this.offset = offset;
        this.factor = factor;
        this.constant = List.copyOf(constant);
        this.columns = columns;
        this.neutral = neutral;
    }

    /** No names, no scaling: rows are used as given. */
    static Features identity() {
        return new Features(null, null, Scaling.NONE, null, null, List.of(), null, null);
    }

    /**
     * The scaling of {@code config} ({@link VaeConfig#effectiveScaling()}) fitted on {@code data}, with its column
     * and label names, and for a table model its columns' kinds, levels and gaps.
     *
     * @param config the run's configuration (its likelihood and effective scaling)
     * @param data   the training rows
     * @param table  whether the model is a table model (see {@link Vae#create(VaeConfig, Dataset)}); data with a
     *               categorical column or a missing cell always makes one
     * @return the fitted features
     */
    public static Features fitted(VaeConfig config, Dataset data, boolean table) {
        return FeatureFit.fit(config, data, table);
    }

    /**
     * A table model's features for rows gathered from elsewhere (a shard of data-parallel training): the scaling
     * fitted on {@code data}, whose level lists hold exactly the levels of all the training rows (each one a level
     * of the model, in the lists' order), and {@code gaps} saying which columns had missing cells anywhere in them.
     * With all the training rows for {@code data}, these are {@link #fitted(VaeConfig, Dataset, boolean)}'s.
     *
     * @param config the run's configuration (its likelihood and effective scaling)
     * @param data   the rows the scaling is fitted on
     * @param gaps   per column, whether the training rows had a missing cell
     * @return the fitted features
     */
    public static Features fitted(VaeConfig config, Dataset data, boolean[] gaps) {
        return FeatureFit.fit(config, data, true, gaps.clone());
    }

    /** The parts {@link FeatureFit} found. */
    static Features of(List<String> names, String label, Scaling scaling, double[] offset, double[] factor,
                       List<String> constant, Columns columns, float[] neutral) {
        return new Features(names, label, scaling, offset, factor, constant, columns, neutral);
    }

    /**
     * These features under other column names (one per column, or null for none) and label name (or null), the
     * scaling and columns unchanged: for data whose names are known apart from its rows.
     *
     * @param columnNames a name per column, or null
     * @param labelName   the label column's name, or null
     * @return the renamed features
     */
    public Features named(List<String> columnNames, String labelName) {
        int count = columns != null ? columns.count() : offset != null ? offset.length : -1;
        if (columnNames != null && count >= 0 && columnNames.size() != count) {
            throw new SimdvaeException(columnNames.size() + " column names for " + count + " columns");
        }
        return new Features(columnNames, labelName, scaling, offset, factor, constant, columns, neutral);
    }

    /**
     * The feature columns' names, in model order, or null when the training data had none.
     *
     * @return the names, or null
     */
    public List<String> names() {
        return names;
    }

    /**
     * The label column's name in the training data, or null.
     *
     * @return the name, or null
     */
    public String label() {
        return label;
    }

    /**
     * A table model's columns: kinds, levels, gaps, and the layout of its rows.
     *
     * @return the columns, or null for a model of plain rows (images)
     */
    public Columns columns() {
        return columns;
    }

    /**
     * Column {@code j}'s scaling as {@code scaled = (raw − offset) · factor} (then clamped to [0, 1] under min-max):
     * the offset, 0 without scaling (and for a categorical column).
     *
     * @param j the column
     * @return its offset
     */
    public double offset(int j) {
        return scaling == Scaling.NONE ? 0 : offset[j];
    }

    /**
     * Column {@code j}'s factor (see {@link #offset}), 1 without scaling.
     *
     * @param j the column
     * @return its factor
     */
    public double factor(int j) {
        return scaling == Scaling.NONE ? 1 : factor[j];
    }

    /**
     * NONE, STANDARDIZE or MINMAX.
     *
     * @return the scaling
     */
    public Scaling scaling() {
        return scaling;
    }

    /**
     * Columns that were constant in the training data, with their value (they are centred, not scaled).
     *
     * @return one description per constant column
     */
    public List<String> constantColumns() {
        return constant;
    }

    /**
     * The name of column {@code j} for messages: its column name, else "feature j".
     *
     * @param j the column
     * @return its name
     */
    public String describe(int j) {
        return columnName(names, j);
    }

    static String columnName(List<String> names, int j) {
        return names != null && j < names.size() ? "column '" + names.get(j) + "'" : "feature " + j;
    }

    /**
     * What a missing cell of a table's numeric column j gives the encoder: its scaled training mean.
     *
     * @param j the column
     * @return the neutral input
     */
    public float neutral(int j) {
        return neutral[j];
    }

    /** Scales a raw value of numeric column j. */
    float scale(float v, int j) {
        if (scaling == Scaling.NONE) {
            return v;
        }
        float s = (float) ((v - offset[j]) * factor[j]);
        return scaling == Scaling.MINMAX ? Math.clamp(s, 0f, 1f) : s;
    }

    /**
     * Row {@code i} of {@code data}, as the network takes it: the encoder's input into {@code x[xOff ..]} and, for a
     * table model, the loss's targets into {@code t[tOff ..]} (a plain model's targets are its input). {@code raw}
     * is scratch of at least {@code data.columns()} floats. Refuses what the model cannot take (a non-finite value;
     * for {@code unitRange}, a value outside [0, 1]; a level training never saw, under {@link UnseenLevels#ERROR}),
     * naming the row and the column.
     */
    void encode(Dataset data, int i, float[] raw, float[] x, int xOff, float[] t, int tOff, boolean unitRange,
                UnseenLevels unseen) {
        if (columns == null) {
            load(data, i, x, xOff, unitRange);
            return;
        }
        LevelMaps maps = levelMaps;
        if (maps == null) {
            maps = new LevelMaps(columns, names);
            levelMaps = maps;
        }
        TableRows.encode(this, columns, maps.of(data), data, i, raw, x, xOff, t, tOff, unitRange, unseen);
    }

    /** A plain row, scaled, into {@code dst[off ..]}: what plain models have always done. */
    private void load(Dataset data, int i, float[] dst, int off, boolean unitRange) {
        int n = data.columns();
        data.copyRow(i, dst, off);
        if (scaling != Scaling.NONE) {
            for (int j = 0; j < n; j++) {
                dst[off + j] = scale(dst[off + j], j);
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
                        ? data.where(i) + ", " + describe(j) + ": a missing value, which this model cannot take (it"
                        + " was trained as a Bernoulli model of complete rows; train on data with gaps, or fill them)"
                        : !Float.isFinite(v)
                        ? data.where(i) + ", " + describe(j) + ": the value " + v + " is not a finite number"
                        : data.where(i) + ", " + describe(j) + ": the value " + v + " is outside [0, 1], which a"
                        + " Bernoulli model needs (scale the data with --scale minmax / Scaling.MINMAX, or use the"
                        + " gaussian likelihood)");
            }
        }
    }

    private static float rawValue(Dataset data, int i, int j) {
        float[] row = new float[data.columns()];
        data.copyRow(i, row, 0);
        return row[j];
    }

    /** Undoes the scaling of column {@code j}: a model-space value back in the data's units. */
    float unscale(float v, int j) {
        return scaling == Scaling.NONE ? v : (float) (v / factor[j] + offset[j]);
    }

    /** Undoes the scaling of a log-variance of column {@code j}: log σ² in the data's units. */
    float unscaleLogVar(float logVar, int j) {
        return scaling == Scaling.NONE ? logVar : (float) (logVar - 2 * Math.log(factor[j]));
    }

    /**
     * The model file's section (format 3): int32 scaling code; a byte 1 and the {@link Columns} for a table model, or
     * a byte 0; unless no scaling, per column float64 offset and factor; for a table model, per column float32
     * neutral value; int32 number of column names (−1: none), each an int32 byte count and UTF-8; a byte 1 and the
     * label column's name likewise, or a byte 0.
     */
    void write(DataOutputStream out, int plainColumns) throws IOException {
        out.writeInt(scaling.ordinal());
        out.writeBoolean(columns != null);
        if (columns != null) {
            columns.write(out);
        }
        int n = columns != null ? columns.count() : plainColumns;
        if (scaling != Scaling.NONE) {
            for (int j = 0; j < n; j++) {
                out.writeDouble(offset[j]);
                out.writeDouble(factor[j]);
            }
        }
        if (columns != null) {
            for (int j = 0; j < n; j++) {
                out.writeFloat(neutral[j]);
            }
        }
        out.writeInt(names == null ? -1 : names.size());
        if (names != null) {
            for (String s : names) {
                writeString(out, s);
            }
        }
        out.writeBoolean(label != null);
        if (label != null) {
            writeString(out, label);
        }
    }

    /**
     * Reads what {@link #write} wrote ({@code version} 3), or the section of formats 1 and 2 (no columns byte, no
     * columns: a plain model of {@code plainColumns} columns).
     */
    static Features read(ByteBuffer in, int plainColumns, String file, int version) {
        int code = in.getInt();
        if (code < 0 || code >= Scaling.values().length || code == Scaling.AUTO.ordinal()) {
            throw new SimdvaeException(file + " is damaged: unknown scaling code " + code);
        }
        Scaling scaling = Scaling.values()[code];
        Columns columns = version >= 3 && in.get() != 0 ? Columns.read(in, file) : null;
        int n = columns != null ? columns.count() : plainColumns;
        double[] offset = null;
        double[] factor = null;
        if (scaling != Scaling.NONE) {
            if (in.remaining() < 16L * n) {
                throw new SimdvaeException(file + " is truncated: it ends inside its scaling");
            }
            offset = new double[n];
            factor = new double[n];
            for (int j = 0; j < n; j++) {
                offset[j] = in.getDouble();
                factor[j] = in.getDouble();
                if (!Double.isFinite(offset[j]) || !Double.isFinite(factor[j]) || factor[j] <= 0) {
                    throw new SimdvaeException(file + " is damaged: the scaling of feature " + j + " is invalid");
                }
            }
        }
        float[] neutral = null;
        if (columns != null) {
            neutral = new float[n];
            for (int j = 0; j < n; j++) {
                neutral[j] = in.getFloat();
            }
        }
        int count = in.getInt();
        if (count != -1 && count != n) {
            throw new SimdvaeException(file + " is damaged: " + count + " column names for " + n + " columns");
        }
        List<String> names = null;
        if (count == n) {
            names = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                names.add(readString(in, file));
            }
        }
        String label = in.get() != 0 ? readString(in, file) : null;
        return new Features(names, label, scaling, offset, factor, Collections.emptyList(), columns, neutral);
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(ByteBuffer in, String file) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: a name of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
