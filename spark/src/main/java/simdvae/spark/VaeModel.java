package simdvae.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import simdvae.vae.Scores;
import simdvae.vae.Vae;
import simdvae.vae.table.Schema;

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
 * is {@link Scores#reconstruction()} + {@link Scores#kl()}; when the model has reference scores,
 * {@code percentile} (double, 0 to 100: the share of its reference rows whose negative ELBO at z = μ is lower);
 * with a decision ({@link #contamination}, {@link #threshold}, or the model's default) {@code outlier} (boolean:
 * the score above the threshold); with {@link #perColumn} {@code nats} ({@code array<float>}, one a column: each
 * column's share of the reconstruction term). Each row's outputs are those of {@link Vae#embed}
 * (and so of {@link Vae#encode} and {@link Vae#score}) on that row, bit for bit, whatever the partitioning: they
 * depend on the row alone (a sampled ELBO would depend on the row's position, so it is not offered here).
 *
 * <p>Execution: the model is broadcast once per {@link #transform}; each task runs rows through it in batches of
 * {@value #BATCH} with as many threads as the task has cores ({@code spark.task.cpus}).
 *
 * <p>Persistence: {@link #write()}{@code .save(path)} writes Spark's metadata and the model file
 * ({@code path/model.svae}); {@link #load} reads it back.
 *
 * <p>Reading input columns is {@code InputColumns}; scoring a partition's rows in batches, {@code ScoredRows}.
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
     * Sets {@code threshold}, in place of a {@code contamination} set before.
     *
     * @param v the threshold, nats
     * @return this
     */
    public VaeModel setThreshold(double v) {
        simdvae.vae.decide.Decision.threshold(v); // refuses a threshold that is not finite
        clear(contamination());
        return (VaeModel) set(threshold, v);
    }

    /**
     * Sets {@code contamination}, in place of a {@code threshold} set before.
     *
     * @param v the expected share of outliers, in (0, 0.5]
     * @return this
     */
    @Override
    public VaeModel setContamination(double v) {
        clear(threshold);
        return VaeColumnParams.super.setContamination(v);
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

    /** The model deciding as the params say: a threshold, a contamination, or its own default. */
    private Vae decided() {
        Vae v = vae();
        if (isDefined(threshold) && isDefined(contamination())) {
            throw new IllegalArgumentException("set threshold or contamination, not both");
        }
        if (isDefined(threshold)) {
            return v.withDecision(simdvae.vae.decide.Decision.threshold((Double) getOrDefault(threshold)));
        }
        if (isDefined(contamination())) {
            if (v.reference() == null) {
                throw simdvae.vae.decide.Decision.noReference(); // here, before any task
            }
            return v.withDecision(simdvae.vae.decide.Decision.contamination((Double) getOrDefault(contamination())));
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
        return withOutputs(schema, getOrDefault(outputPrefix()), outputs(decided()));
    }

    /**
     * Which of the optional output columns a model writes.
     *
     * @param percentile the score's percentile among the model's reference rows
     * @param outlier    whether the row is an outlier
     * @param perColumn  the reconstruction term per column, {@code nats}
     */
    record Outputs(boolean percentile, boolean outlier, boolean perColumn) implements java.io.Serializable {
    }

    /** The optional outputs this model writes under {@code v}'s reference and decision. */
    private Outputs outputs(Vae v) {
        return new Outputs(v.reference() != null, !Double.isNaN(threshold(v)), (Boolean) getOrDefault(perColumn));
    }

    /** {@code v}'s threshold on the anomaly score this model writes; NaN for no decision. */
    private static double threshold(Vae v) {
        return v.threshold();
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

    /**
     * {@code schema} with the output columns appended (mu, logvar, score; percentile, outlier and nats as
     * {@code optional} says); refuses a name the input already has.
     */
    static StructType withOutputs(StructType schema, String prefix, Outputs optional) {
        List<String> names = new ArrayList<>(List.of(prefix + "mu", prefix + "logvar", prefix + "score"));
        if (optional.percentile()) {
            names.add(prefix + "percentile");
        }
        if (optional.outlier()) {
            names.add(prefix + "outlier");
        }
        if (optional.perColumn()) {
            names.add(prefix + "nats");
        }
        for (String name : names) {
            if (List.of(schema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("the input already has a column " + name
                        + " (choose another outputPrefix)");
            }
        }
        StructType out = schema.add(prefix + "mu", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add(prefix + "logvar", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add(prefix + "score", DataTypes.DoubleType, false);
        if (optional.percentile()) {
            out = out.add(prefix + "percentile", DataTypes.DoubleType, false);
        }
        if (optional.outlier()) {
            out = out.add(prefix + "outlier", DataTypes.BooleanType, false);
        }
        if (optional.perColumn()) {
            out = out.add(prefix + "nats", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        InputColumns input = input(dataset.schema());
        Vae decided = decided();
        Outputs optional = outputs(decided);
        double cut = threshold(decided);
        // Spark's internal rows, in and out: through Row, every array element was boxed both ways, which cost
        // more than the model itself (measured: 25,500 rows/s on one core against 59,000 for Vae.embed).
        org.apache.spark.sql.classic.Dataset<?> classic = (org.apache.spark.sql.classic.Dataset<?>) dataset;
        org.apache.spark.sql.classic.SparkSession spark = classic.sparkSession();
        Broadcast<byte[]> model = spark.sparkContext().broadcast(modelBytes,
                scala.reflect.ClassTag$.MODULE$.apply(byte[].class));
        String name = "model of " + uid;
        JavaRDD<InternalRow> rows = classic.queryExecution().toRdd().toJavaRDD();
        JavaRDD<InternalRow> scored = rows.mapPartitions(
                (FlatMapFunction<Iterator<InternalRow>, InternalRow>) it -> new ScoredRows(it, input,
                        TaskModels.get(model, name), optional, cut));
        return spark.internalCreateDataFrame(scored.rdd(), outSchema, false);
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
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter$.MODULE$.saveMetadata(VaeModel.this, path, sparkSession());
                Path file = new Path(path, MODEL_FILE);
                try {
                    FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                    try (OutputStream out = fs.create(file, true)) {
                        out.write(modelBytes);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * The reader of {@link #write()}'s directories (Spark's persistence looks for this static method).
     *
     * @return the reader
     */
    public static MLReader<VaeModel> read() {
        return new MLReader<>() {
            @Override
            public VaeModel load(String path) {
                DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path,
                        sparkSession(), VaeModel.class.getName());
                Path file = new Path(path, MODEL_FILE);
                byte[] bytes;
                try {
                    FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                    try (InputStream in = fs.open(file)) {
                        bytes = in.readAllBytes();
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
                }
                VaeModel model = new VaeModel(metadata.uid());
                model.setVae(Vae.fromBytes(bytes, file.toString()));
                metadata.getAndSetParams(model, scala.Option.empty());
                return model;
            }
        };
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
