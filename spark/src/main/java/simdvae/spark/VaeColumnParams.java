package simdvae.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The Spark ML params that {@link VaeEstimator} and {@link VaeModel} share, declared once: where a row's input
 * comes from ({@code inputCol}, or {@code featureCols}: numeric and string columns), what a null or an unseen level
 * does ({@code handleInvalid}) and the prefix of the output columns. Spark ML finds params as
 * public methods without arguments, which these default methods are; each class holds its {@link Columns}.
 *
 * @param <T> the class itself, so setters chain
 */
public interface VaeColumnParams<T extends VaeColumnParams<T>> extends Params {
    /**
     * The param objects of this instance (not a param itself).
     *
     * @return them
     */
    Columns columns();

    /**
     * The {@code inputCol} param: a column of {@code array<float>}, {@code array<double>} or ML Vector holding the
     * model's input (default {@code features}).
     *
     * @return the param
     */
    default Param<String> inputCol() {
        return columns().inputCol;
    }

    /**
     * The {@code featureCols} param: numeric and string columns holding the model's features, in order (instead of
     * inputCol).
     *
     * @return the param
     */
    default StringArrayParam featureCols() {
        return columns().featureCols;
    }

    /**
     * The {@code outputPrefix} param: prefix of the output columns mu, logvar and score.
     *
     * @return the param
     */
    default Param<String> outputPrefix() {
        return columns().outputPrefix;
    }

    /**
     * The {@code handleInvalid} param, Spark ML's convention: what a null (or NaN) cell, or a level the model never
     * saw, does — {@code error} (the default: the task fails, naming the column), {@code skip} (the row is dropped)
     * or {@code keep} (a missing cell, which a table model masks; an unseen level counts as {@code (other)}).
     *
     * @return the param
     */
    default Param<String> handleInvalid() {
        return columns().handleInvalid;
    }

    /**
     * The {@code contamination} param: the expected share of outliers, in (0, 0.5]. On the estimator it becomes
     * the trained model's default; on a model it sets when a row is an outlier (column {@code outlier}: the row's
     * score above the threshold that leaves this share of the model's reference rows above it). Unset: the
     * model's own default, if any.
     *
     * @return the param
     */
    default DoubleParam contamination() {
        return columns().contamination;
    }

    /** {@return the {@code inputCol} param's value} */
    default String getInputCol() {
        return getOrDefault(inputCol());
    }

    /** {@return the {@code featureCols} param's value} */
    default String[] getFeatureCols() {
        return getOrDefault(featureCols());
    }

    /** {@return the {@code outputPrefix} param's value} */
    default String getOutputPrefix() {
        return getOrDefault(outputPrefix());
    }

    /** {@return the {@code handleInvalid} param's value} */
    default String getHandleInvalid() {
        return getOrDefault(handleInvalid());
    }

    /** {@return the {@code contamination} param's value (set, or the estimator's)} */
    default double getContamination() {
        return (Double) getOrDefault(contamination());
    }

    /**
     * Sets {@code contamination}.
     *
     * @param v the expected share of outliers, in (0, 0.5]
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setContamination(double v) {
        simdvae.vae.decide.Decision.checkContamination(v);
        set(contamination(), v);
        return (T) this;
    }

    /**
     * Sets {@code handleInvalid}: error, skip or keep.
     *
     * @param v the policy
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setHandleInvalid(String v) {
        InputColumns.Invalid.parse(v);
        set(handleInvalid(), v);
        return (T) this;
    }

    /**
     * Sets {@code inputCol}.
     *
     * @param v the column
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setInputCol(String v) {
        set(inputCol(), v);
        return (T) this;
    }

    /**
     * Reads the input from these numeric columns instead of {@link #inputCol}.
     *
     * @param v the columns, in the model's feature order
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setFeatureCols(String... v) {
        set(featureCols(), v);
        return (T) this;
    }

    /**
     * Sets {@code outputPrefix}.
     *
     * @param v the prefix
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setOutputPrefix(String v) {
        set(outputPrefix(), v);
        return (T) this;
    }

    /**
     * The param objects of one instance, with their defaults set on it.
     */
    final class Columns implements Serializable {
        private static final long serialVersionUID = 1L;
        /** The {@code inputCol} param. */
        final Param<String> inputCol;
        /** The {@code featureCols} param. */
        final StringArrayParam featureCols;
        /** The {@code outputPrefix} param. */
        final Param<String> outputPrefix;
        /** The {@code handleInvalid} param. */
        final Param<String> handleInvalid;
        /** The {@code contamination} param. */
        final DoubleParam contamination;

        /**
         * Declares the params on {@code owner} and sets their defaults there.
         *
         * @param owner the estimator or model
         */
        public Columns(Params owner) {
            inputCol = new Param<>(owner, "inputCol",
                    "a column of array<float>, array<double> or ML Vector holding the model's input");
            featureCols = new StringArrayParam(owner, "featureCols",
                    "numeric and string columns holding the model's features, in order (instead of inputCol)");
            outputPrefix = new Param<>(owner, "outputPrefix", "prefix of the columns mu, logvar and score");
            handleInvalid = new Param<>(owner, "handleInvalid", "what a null cell or an unseen level does: error,"
                    + " skip (drop the row) or keep (a missing cell; an unseen level as (other))");
            contamination = new DoubleParam(owner, "contamination", "the expected share of outliers, in (0, 0.5]:"
                    + " sets the outlier threshold from the model's reference scores");
            owner.setDefault(inputCol, "features");
            owner.setDefault(featureCols, new String[0]);
            owner.setDefault(outputPrefix, "");
            owner.setDefault(handleInvalid, "error");
        }
    }
}
