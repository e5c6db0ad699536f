package simdvae.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import simdvae.vae.Scores;
import simdvae.vae.Vae;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.DriftReport;

/**
 * A trained {@link Vae} as a Spark ML {@link Model}: a {@code Transformer} that appends to every row its encoding
 * and its anomaly score, for use alone or in a {@code Pipeline}.
 *
 * <p>Input: either {@link #inputCol} (one column of {@code array<float>}, {@code array<double>} or an ML
 * {@code Vector}, as many values as the model's input) or {@link #featureCols} (numeric and string columns, in the
 * model's feature order, for tabular data; a null is a missing cell, see {@link #handleInvalid}). Raw values: the model applies the scaling it was trained with.
 *
 * <p>Output, each column name prefixed by {@link #outputPrefix}: {@code mu} and {@code logvar}
 * ({@code array<float>}, the latent size each) and {@code score} (double, nats): the negative ELBO at z = μ, that
 * is {@link Scores#reconstruction()} + {@link Scores#kl()}; when the model has reference scores, {@code p_value}
 * (double, in (0, 1]: the score's conformal p-value against the reference rows, {@link Scores#pValues()}) and
 * {@code percentile} (double, 0 to 100: the share of its reference rows whose negative ELBO at z = μ is lower);
 * with a decision ({@link #contamination}, {@link #threshold}, {@link #fdr}, or the model's default) {@code outlier}
 * (boolean: the score above the threshold, or for a false-discovery rate the p-value at most the Benjamini–Hochberg
 * cut over all rows); with {@link #perColumn} {@code nats} ({@code array<float>}, one a column: each column's share
 * of the reconstruction term). Each row's outputs are those of {@link Vae#embed} and {@link Vae#score} on that row
 * (for a false-discovery rate: of {@link Vae#score} on all the rows together), bit for bit, whatever the
 * partitioning: they depend on the row alone (a sampled ELBO would depend on the row's position, so it is not
 * offered here).
 *
 * <p>Execution: the model is broadcast once per {@link #transform}; each task runs rows through it in batches of
 * {@value #BATCH} with as many threads as the task has cores ({@code spark.task.cpus}). With a false-discovery rate,
 * {@link #transform} first runs one job that scores every row to find the cut (so the input is read twice: cache it
 * when reading it is costly or not repeatable); see {@code GlobalFdr} for why the cut is the same for any
 * partitioning.
 *
 * <p>Streams: {@link #transform} of a Structured Streaming DataFrame is a streaming DataFrame with the same columns
 * and, row for row, the same values as the batch transform of the same rows (by threshold or contamination; a
 * false-discovery rate needs all the rows and is refused on a stream, though it works inside {@code foreachBatch}).
 * {@link #drift} tests a batch DataFrame for drift, with the same report as {@link Vae#drift} for any partitioning.
 *
 * <p>Persistence: {@link #write()}{@code .save(path)} writes Spark's metadata and the model file
 * ({@code path/model.svae}); {@link #load} reads it back.
 *
 * <p>Reading input columns is {@code InputColumns}; scoring a partition's rows in batches, {@code ScoredRows}; a
 * batch or streaming DataFrame's partitions, {@code ScoredFrames}; the output columns, {@code OutputColumns}.
 */
public final class VaeModel extends Model<VaeModel> implements VaeColumnParams<VaeModel>, MLWritable {
    private static final long serialVersionUID = 1L;
    /** Rows per call into the model inside a task. */
    static final int BATCH = 256;
    static final String MODEL_FILE = "model.svae";

    /** This model's identity in Spark ML. */
    private final String uid;
    /** inputCol, featureCols, outputPrefix, handleInvalid and contamination (see {@link VaeColumnParams}). */
    private final Columns columns;
    /** The {@code threshold} param (nats; instead of a contamination). */
    private final DoubleParam threshold;
    /** The {@code fdr} param (a false-discovery rate, instead of a threshold or contamination). */
    private final DoubleParam fdr;
    /** The {@code perColumn} param. */
    private final BooleanParam perColumn;
    /** The model file's bytes: what tasks get and what is saved. */
    private byte[] modelBytes;
    /** The parsed model (rebuilt from the bytes after deserialization). */
    private transient Vae vae;

    /**
     * A model with no {@link Vae} yet (Spark's copy and load call this); see {@link #VaeModel(Vae)}.
     *
     * @param uid its identity in Spark ML
     */
    public VaeModel(String uid) {
        this.uid = uid;
        this.columns = new Columns(this);
        // made here, after uid: a param takes its owner's uid when it is made
        this.threshold = new DoubleParam(this, "threshold", "a row is an outlier when its score (nats) is above this");
        this.fdr = new DoubleParam(this, "fdr", "a false-discovery rate in (0, 1): the rows that Benjamini-Hochberg"
                + " finds among all the rows transformed together, by their p-values, are outliers");
        this.perColumn = new BooleanParam(this, "perColumn", "whether to add the column nats: each column's share of"
                + " the reconstruction term");
        setDefault(perColumn, false);
    }

    /**
     * The {@code threshold} param: a row is an outlier when its score is above this many nats (instead of
     * {@link #contamination}).
     *
     * @return the param
     */
    public DoubleParam threshold() {
        return threshold;
    }

    /**
     * Sets {@code threshold}, in place of a {@code contamination} or {@code fdr} set before.
     *
     * @param v the threshold, nats
     * @return this
     */
    public VaeModel setThreshold(double v) {
        Decision.threshold(v); // refuses a threshold that is not finite
        clear(contamination());
        clear(fdr);
        return (VaeModel) set(threshold, v);
    }

    /**
     * Sets {@code contamination}, in place of a {@code threshold} or {@code fdr} set before.
     *
     * @param v the expected share of outliers, in (0, 0.5]
     * @return this
     */
    @Override
    public VaeModel setContamination(double v) {
        clear(threshold);
        clear(fdr);
        return VaeColumnParams.super.setContamination(v);
    }

    /**
     * The {@code fdr} param: a false-discovery rate q in (0, 1). The outliers are the rows that Benjamini–Hochberg
     * finds at level q among all the rows of one {@link #transform}, by their p-values (as
     * {@code Decision.fdr(q)} over the same rows on one machine): at most a share q of them are expected to be
     * normal rows. Instead of {@link #threshold} and {@link #contamination}; needs a model with reference scores
     * and a batch DataFrame (a stream has no end to wait for).
     *
     * @return the param
     */
    public DoubleParam fdr() {
        return fdr;
    }

    /**
     * Sets {@code fdr}, in place of a {@code threshold} or {@code contamination} set before.
     *
     * @param v the false-discovery rate, in (0, 1)
     * @return this
     */
    public VaeModel setFdr(double v) {
        if (!(v > 0 && v < 1)) {
            throw new IllegalArgumentException("fdr must be a false-discovery rate in (0, 1), got " + v);
        }
        clear(threshold);
        clear(contamination());
        return (VaeModel) set(fdr, v);
    }

    /**
     * The {@code perColumn} param: whether to add {@code nats}, each column's share of the reconstruction term.
     *
     * @return the param
     */
    public BooleanParam perColumn() {
        return perColumn;
    }

    /**
     * Sets {@code perColumn}.
     *
     * @param v whether to add the per-column column
     * @return this
     */
    public VaeModel setPerColumn(boolean v) {
        return (VaeModel) set(perColumn, v);
    }

    /** The model deciding as the params say: a threshold, a contamination, a false-discovery rate, or its own. */
    private Vae decided() {
        Vae v = vae();
        if ((isDefined(threshold) ? 1 : 0) + (isDefined(contamination()) ? 1 : 0) + (isDefined(fdr) ? 1 : 0) > 1) {
            throw new IllegalArgumentException("set one of threshold, contamination and fdr, not several");
        }
        if (isDefined(fdr)) {
            if (v.reference() == null) {
                throw Decision.noReference();
            }
            return v.withDecision(Decision.fdr((Double) getOrDefault(fdr)));
        }
        if (isDefined(threshold)) {
            return v.withDecision(Decision.threshold((Double) getOrDefault(threshold)));
        }
        if (isDefined(contamination())) {
            if (v.reference() == null) {
                throw Decision.noReference(); // here, before any task
            }
            return v.withDecision(Decision.contamination((Double) getOrDefault(contamination())));
        }
        return v;
    }

    /**
     * Wraps a trained model.
     *
     * @param vae the model
     */
    public VaeModel(Vae vae) {
        this(Identifiable$.MODULE$.randomUID("simdvae"));
        setVae(vae);
    }

    /** A model read back: its saved uid and model ({@code VaeModelFiles}). */
    VaeModel(String uid, Vae vae) {
        this(uid);
        setVae(vae);
    }

    private void setVae(Vae v) {
        this.vae = v;
        this.modelBytes = v.toBytes();
    }

    /**
     * The wrapped model.
     *
     * @return the model
     */
    public Vae vae() {
        if (vae == null) {
            if (modelBytes == null) {
                throw new IllegalStateException("this VaeModel has no trained model (construct it from a Vae)");
            }
            vae = Vae.fromBytes(modelBytes, "model of " + uid);
        }
        return vae;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Columns columns() {
        return columns;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        input(schema);
        return outputs(decided()).appendTo(schema, getOrDefault(outputPrefix()));
    }

    /** The optional outputs this model writes under {@code v}'s reference and decision. */
    private OutputColumns outputs(Vae v) {
        return new OutputColumns(v.reference() != null, v.decision().kind() != Decision.Kind.NONE,
                (Boolean) getOrDefault(perColumn));
    }

    /** Where the model's input comes from in {@code schema}; a table model's text columns coded by its levels. */
    private InputColumns input(StructType schema) {
        Vae v = vae();
        InputColumns in = InputColumns.of(schema, getOrDefault(inputCol()), getOrDefault(featureCols()),
                v.columnCount(), getOrDefault(handleInvalid()));
        simdvae.vae.table.Schema columns = v.features().schema();
        if (columns == null) {
            if (in.anyText()) {
                throw new IllegalArgumentException("this model takes numbers only (it was trained without text"
                        + " columns), and the input has a string column");
            }
            return in;
        }
        List<List<String>> levels = new ArrayList<>();
        for (int j = 0; j < columns.count(); j++) {
            if (in.text(j) != (columns.kind(j) == simdvae.vae.data.Dataset.Kind.CATEGORICAL)) {
                throw new IllegalArgumentException("feature column " + j + " is " + (in.text(j) ? "a string" : "a"
                        + " number") + " in the input but " + columns.kind(j).name().toLowerCase(java.util.Locale.ROOT)
                        + " in the model");
            }
            levels.add(columns.levels(j));
        }
        return in.withLevels(levels);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        InputColumns input = input(dataset.schema());
        Vae decided = decided();
        OutputColumns optional = outputs(decided);
        Decision decision = decided.decision();
        if (decision.kind() != Decision.Kind.FDR) {
            return ScoredFrames.of(dataset, input, ship(dataset), optional,
                    ScoredRows.Rule.scoreAbove(decided.threshold()), outSchema);
        }
        if (dataset.isStreaming()) {
            throw new IllegalArgumentException("a false-discovery rate decides over all the rows together, and a"
                    + " stream has no end: use a threshold or a contamination on a stream (or fdr in foreachBatch)");
        }
        if (decided.reference() == null) {
            throw Decision.noReference();
        }
        // one job finds the cut over every row, then the rows are scored again with it
        TaskModels.Shipped model = ship(dataset);
        String prefix = getOrDefault(outputPrefix());
        OutputColumns first = new OutputColumns(true, false, false); // the p-values are all the cut needs
        Dataset<Row> pValues = ScoredFrames.of(dataset, input, model, first,
                ScoredRows.Rule.scoreAbove(Double.NaN), first.appendTo(dataset.schema(), prefix));
        double cut = GlobalFdr.cut(pValues, prefix + "p_value", decision.value());
        return ScoredFrames.of(dataset, input, model, optional, ScoredRows.Rule.pValueAtMost(cut), outSchema);
    }

    /**
     * Tests the rows of a (batch) DataFrame for drift against the model's reference rows, as {@link Vae#drift} does
     * for rows on one machine: read as {@link #transform} reads them (the same input columns and
     * {@link #handleInvalid}), counted per partition into integer counts that the driver adds up, so the report is
     * {@link Vae#drift}'s on the same rows, to the last bit, whatever the partitioning. Runs one Spark job.
     *
     * @param batch the rows to test (not a stream: test each micro-batch inside {@code foreachBatch})
     * @return the report, columns most shifted first
     * @throws IllegalArgumentException for a stream, an empty batch, input columns that do not fit the model, or a
     *                                  model without drift summaries
     */
    public DriftReport drift(Dataset<?> batch) {
        if (batch.isStreaming()) {
            throw new IllegalArgumentException("drift tests a batch with an end: call it on each micro-batch"
                    + " (foreachBatch), not on a stream");
        }
        return SparkDrift.report(batch, input(batch.schema()), vae(), ship(batch));
    }

    /** The model file's bytes broadcast on {@code data}'s session (once per transform or drift). */
    private TaskModels.Shipped ship(Dataset<?> data) {
        org.apache.spark.sql.classic.Dataset<?> classic = (org.apache.spark.sql.classic.Dataset<?>) data;
        return TaskModels.ship(classic.sparkSession().sparkContext(), modelBytes, "model of " + uid);
    }

    @Override
    public VaeModel copy(ParamMap extra) {
        VaeModel copy = new VaeModel(uid);
        copy.modelBytes = modelBytes;
        copy.vae = vae;
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return VaeModelFiles.writer(this, modelBytes);
    }

    /**
     * The reader of {@link #write()}'s directories (Spark's persistence looks for this static method).
     *
     * @return the reader
     */
    public static MLReader<VaeModel> read() {
        return VaeModelFiles.reader();
    }

    /**
     * Reads a model saved with {@code write().save(path)}.
     *
     * @param path where it was saved
     * @return the model
     */
    public static VaeModel load(String path) {
        return read().load(path);
    }
}
