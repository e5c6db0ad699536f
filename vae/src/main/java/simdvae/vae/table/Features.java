package simdvae.vae.table;

import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.kernels.LossLayout;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.model.Scaling;

/**
 * What a model knows of its input columns: their names and the label column's (when the training data had them), the
 * scaling fitted on the training data, and for a table model its {@link Schema} (kinds, levels, gaps). Every path
 * that takes raw rows applies it (training, encode, score, reconstruct) and {@code Vae.decode}
 * undoes it. Immutable.
 *
 * <p>Fitted in double over the training rows' observed cells: {@link Scaling#STANDARDIZE} maps x to (x − mean)/sd
 * (population sd), {@link Scaling#MINMAX} to (x − min)/(max − min), clamped to [0, 1]. A constant column has nothing
 * to divide by: it is centred (or mapped to 0) only, and {@link #constantColumns()} names it.
 *
 * <p>A model made from its table ({@code Vae.create(VaeConfig,}) is a <em>table</em> model, with
 * {@link #schema()}; a model made from its configuration alone ({@code Vae.create(VaeConfig)}: images, say) takes
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
    private final Schema columns;
    /** A table model's per column: what a missing numeric cell encodes as (its scaled training mean). */
    private final float[] missingInput;

    private Features(List<String> names, String label, Scaling scaling, double[] offset, double[] factor,
                     List<String> constant, Schema columns, float[] missingInput) {
        this.names = names == null ? null : List.copyOf(names);
        this.label = label;
        this.scaling = scaling;
        this.offset = offset;
        this.factor = factor;
        this.constant = List.copyOf(constant);
        this.columns = columns;
        this.missingInput = missingInput;
    }

    /**
     * No names, no scaling: rows are used as given (a plain model before its first training).
     *
     * @return the features
     */
    public static Features identity() {
        return new Features(null, null, Scaling.NONE, null, null, List.of(), null, null);
    }

    /**
     * The scaling of {@code config} ({@link ModelConfig#effectiveScaling()}) fitted on {@code data}, with its column
     * and label names, and for a table model its columns' kinds, levels and gaps.
     *
     * @param config the run's configuration (its likelihood and effective scaling)
     * @param data   the training rows
     * @param table  whether the model is a table model (see {@code Vae.create(VaeConfig,}); data with a
     *               categorical column or a missing cell always makes one
     * @return the fitted features
     */
    public static Features fitted(ModelConfig config, Dataset data, boolean table) {
        return FeatureFit.fit(config, data, table);
    }

    /**
     * A table model's features for rows gathered from elsewhere (a shard of data-parallel training): the scaling
     * fitted on {@code data}, whose level lists hold exactly the levels of all the training rows (each one a level
     * of the model, in the lists' order), and {@code missing} saying which columns had missing cells anywhere in them.
     * With all the training rows for {@code data}, these are {@link #fitted(ModelConfig, Dataset, boolean)}'s.
     *
     * @param config the run's configuration (its likelihood and effective scaling)
     * @param data   the rows the scaling is fitted on
     * @param missing per column, whether the training rows had a missing cell
     * @return the fitted features
     */
    public static Features fitted(ModelConfig config, Dataset data, boolean[] missing) {
        return FeatureFit.fit(config, data, true, missing.clone());
    }

    /**
     * Features from their parts, as a fit found them or a model file holds them.
     *
     * @param names    the feature columns' names, or null
     * @param label    the label column's name, or null
     * @param scaling  the scaling fitted
     * @param offset   per column, subtracted before scaling (null without scaling)
     * @param factor   per column, the factor after the offset (null without scaling)
     * @param constant descriptions of the columns that were constant in the training rows
     * @param columns  a table model's columns, or null
     * @param missingInput a table model's per column: what a missing numeric cell gives the encoder, or null
     * @return the features
     */
    public static Features of(List<String> names, String label, Scaling scaling, double[] offset, double[] factor,
                       List<String> constant, Schema columns, float[] missingInput) {
        return new Features(names, label, scaling, offset, factor, constant, columns, missingInput);
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
        return new Features(columnNames, labelName, scaling, offset, factor, constant, columns, missingInput);
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
    public Schema schema() {
        return columns;
    }

    /**
     * A table model's loss layout (its columns' groups), or null for a model of plain rows.
     *
     * @return the layout, or null
     */
    public LossLayout layout() {
        return columns == null ? null : columns.layout();
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

    /**
     * The name of column {@code j} of {@code names} for messages: "column 'name'", else "feature j".
     *
     * @param names the columns' names, or null
     * @param j     the column
     * @return its name
     */
    public static String columnName(List<String> names, int j) {
        return names != null && j < names.size() ? "column '" + names.get(j) + "'" : "feature " + j;
    }

    /**
     * What a missing cell of a table's numeric column j gives the encoder: its scaled training mean.
     *
     * @param j the column
     * @return its input
     */
    public float missingInput(int j) {
        return missingInput[j];
    }

    /**
     * The fitted scaling of column {@code j} applied to a raw value: {@code (v − offset) · factor}, clamped to
     * [0, 1] under min-max; the value itself without scaling.
     *
     * @param v a raw value of a numeric column
     * @param j the column
     * @return the value the model sees
     */
    public float scale(float v, int j) {
        if (scaling == Scaling.NONE) {
            return v;
        }
        float s = (float) ((v - offset[j]) * factor[j]);
        return scaling == Scaling.MINMAX ? Math.clamp(s, 0f, 1f) : s;
    }

    /**
     * The inverse of {@link #scale}: a value the model sees, back in the data's units.
     *
     * @param v a scaled value
     * @param j the column
     * @return the value in the data's units
     */
    public float unscale(float v, int j) {
        return scaling == Scaling.NONE ? v : (float) (v / factor[j] + offset[j]);
    }

    /**
     * A log-variance of column {@code j} the model gives, in the data's units (log σ² plus twice the log of the
     * column's scale).
     *
     * @param logVar a log-variance of the scaled column
     * @param j      the column
     * @return the log-variance in the data's units
     */
    public float unscaleLogVar(float logVar, int j) {
        return scaling == Scaling.NONE ? logVar : (float) (logVar - 2 * Math.log(factor[j]));
    }
}
