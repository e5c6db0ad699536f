package simdvae.vae;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a model knows of its input columns: their names and the label column's (when the training data had them),
 * and the scaling fitted on the training data, which every path that takes raw rows applies (training, encode,
 * score, reconstruct) and {@link Vae#decode} undoes. Immutable.
 *
 * <p>Fitted in double over the training rows: {@link Scaling#STANDARDIZE} maps x to (x − mean)/sd (population sd),
 * {@link Scaling#MINMAX} to (x − min)/(max − min), clamped to [0, 1]. A constant column has nothing to divide by: it
 * is centred (or mapped to 0) only, and {@link #constantColumns()} names it.
 */
public final class Features implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The feature columns' names, or null. */
    @SuppressWarnings("serial") // always List.copyOf's list, which is serializable
    private final List<String> names;
    /** The label column's name, or null. */
    private final String label;
    /** The scaling fitted. */
    private final Scaling scaling;
    /** Per feature: subtracted before scaling (null without scaling). */
    private final double[] offset;
    /** Per feature: the factor after the offset (null without scaling). */
    private final double[] factor;
    /** Descriptions of the columns that were constant in the training data. */
    @SuppressWarnings("serial") // always List.copyOf's list
    private final List<String> constant;

    private Features(List<String> names, String label, Scaling scaling, double[] offset, double[] factor,
                     List<String> constant) {
        this.names = names == null ? null : List.copyOf(names);
        this.label = label;
        this.scaling = scaling;
        this.offset = offset;
        this.factor = factor;
        this.constant = List.copyOf(constant);
    }

    /** No names, no scaling: rows are used as given. */
    static Features identity() {
        return new Features(null, null, Scaling.NONE, null, null, List.of());
    }

    /**
     * The scaling of {@code config} ({@link VaeConfig#effectiveScaling()}) fitted on {@code data}, with its column
     * and label names: what a {@link Trainer} fits on its first data, for a caller that fits it elsewhere.
     *
     * @param config the run's configuration (its effective scaling)
     * @param data   the training rows
     * @return the fitted features
     */
    public static Features fitted(VaeConfig config, Dataset data) {
        return fit(config.effectiveScaling(), data);
    }

    /** Fits {@code scaling} (resolved, not AUTO) on {@code data} and keeps its column and label names. */
    static Features fit(Scaling scaling, Dataset data) {
        int n = data.columns();
        List<String> names = data.columnNames();
        if (scaling == Scaling.NONE) {
            return new Features(names, data.labelName(), scaling, null, null, List.of());
        }
        double[] offset = new double[n];
        double[] factor = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        double[] sum = new double[n];
        float[] row = new float[n];
        for (int i = 0; i < data.size(); i++) {
            data.copyRow(i, row, 0);
            for (int j = 0; j < n; j++) {
                sum[j] += row[j];
                lo[j] = Math.min(lo[j], row[j]);
                hi[j] = Math.max(hi[j], row[j]);
            }
        }
        double[] sq = new double[n];
        for (int i = 0; i < data.size(); i++) {
            data.copyRow(i, row, 0);
            for (int j = 0; j < n; j++) {
                double d = row[j] - sum[j] / data.size();
                sq[j] += d * d;
            }
        }
        List<String> constant = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            boolean flat = lo[j] == hi[j];
            if (flat) {
                constant.add(columnName(names, j) + " (always " + (float) lo[j] + ")");
            }
            if (scaling == Scaling.STANDARDIZE) {
                offset[j] = sum[j] / data.size();
                double sd = Math.sqrt(sq[j] / data.size());
                factor[j] = flat || sd == 0 ? 1 : 1 / sd;
            } else {
                offset[j] = lo[j];
                factor[j] = flat ? 1 : 1 / (hi[j] - lo[j]);
            }
        }
        return new Features(names, data.labelName(), scaling, offset, factor, constant);
    }

    /**
     * These features under other column names (one per feature, or null for none) and label name (or null), the
     * scaling unchanged: for data whose names are known apart from its rows.
     *
     * @param columnNames a name per feature, or null
     * @param labelName   the label column's name, or null
     * @return the renamed features
     */
    public Features named(List<String> columnNames, String labelName) {
        if (columnNames != null && offset != null && columnNames.size() != offset.length) {
            throw new SimdvaeException(columnNames.size() + " column names for " + offset.length + " features");
        }
        return new Features(columnNames, labelName, scaling, offset, factor, constant);
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
     * Feature {@code j}'s scaling as {@code scaled = (raw − offset) · factor} (then clamped to [0, 1] under min-max):
     * the offset, 0 without scaling.
     *
     * @param j the feature
     * @return its offset
     */
    public double offset(int j) {
        return scaling == Scaling.NONE ? 0 : offset[j];
    }

    /**
     * Feature {@code j}'s factor (see {@link #offset}), 1 without scaling.
     *
     * @param j the feature
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
     * The name of feature {@code j} for messages: its column name, else "feature j".
     *
     * @param j the feature
     * @return its name
     */
    public String describe(int j) {
        return columnName(names, j);
    }

    private static String columnName(List<String> names, int j) {
        return names != null && j < names.size() ? "column '" + names.get(j) + "'" : "feature " + j;
    }

    /**
     * Row {@code i} of {@code data}, scaled, into {@code dst[off ..]}. Refuses a non-finite value, and for a model
     * that needs them ({@code unitRange}), a value outside [0, 1], naming the row and the column.
     */
    void load(Dataset data, int i, float[] dst, int off, boolean unitRange) {
        int n = data.columns();
        data.copyRow(i, dst, off);
        if (scaling != Scaling.NONE) {
            boolean clamp = scaling == Scaling.MINMAX;
            for (int j = 0; j < n; j++) {
                float v = (float) ((dst[off + j] - offset[j]) * factor[j]);
                dst[off + j] = clamp ? Math.clamp(v, 0f, 1f) : v;
            }
        }
        float lo = unitRange ? 0f : -Float.MAX_VALUE;
        float hi = unitRange ? 1f : Float.MAX_VALUE;
        for (int j = 0; j < n; j++) {
            float v = dst[off + j];
            if (!(v >= lo && v <= hi)) {
                throw new SimdvaeException(!Float.isFinite(v)
                        ? "row " + i + ", " + describe(j) + ": the value " + v + " is not a finite number"
                        : "row " + i + ", " + describe(j) + ": the value " + v + " is outside [0, 1], which a"
                        + " Bernoulli model needs (scale the data with --scale minmax / Scaling.MINMAX, or use the"
                        + " gaussian likelihood)");
            }
        }
    }

    /** Undoes the scaling of feature {@code j}: a model-space value back in the data's units. */
    float unscale(float v, int j) {
        return scaling == Scaling.NONE ? v : (float) (v / factor[j] + offset[j]);
    }

    /** Undoes the scaling of a log-variance of feature {@code j}: log σ² in the data's units. */
    float unscaleLogVar(float logVar, int j) {
        return scaling == Scaling.NONE ? logVar : (float) (logVar - 2 * Math.log(factor[j]));
    }

    /** The model file's section: scaling code, per-feature offset and factor, names, label. */
    void write(DataOutputStream out, int features) throws IOException {
        out.writeInt(scaling.ordinal());
        if (scaling != Scaling.NONE) {
            for (int j = 0; j < features; j++) {
                out.writeDouble(offset[j]);
                out.writeDouble(factor[j]);
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

    static Features read(ByteBuffer in, int features, String file) {
        int code = in.getInt();
        if (code < 0 || code >= Scaling.values().length || code == Scaling.AUTO.ordinal()) {
            throw new SimdvaeException(file + " is damaged: unknown scaling code " + code);
        }
        Scaling scaling = Scaling.values()[code];
        double[] offset = null;
        double[] factor = null;
        if (scaling != Scaling.NONE) {
            if (in.remaining() < 16L * features) {
                throw new SimdvaeException(file + " is truncated: it ends inside its scaling");
            }
            offset = new double[features];
            factor = new double[features];
            for (int j = 0; j < features; j++) {
                offset[j] = in.getDouble();
                factor[j] = in.getDouble();
                if (!Double.isFinite(offset[j]) || !Double.isFinite(factor[j]) || factor[j] <= 0) {
                    throw new SimdvaeException(file + " is damaged: the scaling of feature " + j + " is invalid");
                }
            }
        }
        int count = in.getInt();
        if (count != -1 && count != features) {
            throw new SimdvaeException(file + " is damaged: " + count + " column names for " + features
                    + " features");
        }
        List<String> names = null;
        if (count == features) {
            names = new ArrayList<>();
            for (int j = 0; j < features; j++) {
                names.add(readString(in, file));
            }
        }
        String label = in.get() != 0 ? readString(in, file) : null;
        return new Features(names, label, scaling, offset, factor, Collections.emptyList());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in, String file) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: a column name of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
