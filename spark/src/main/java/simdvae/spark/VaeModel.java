package simdvae.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import simdvae.vae.Vae;

/**
 * A trained {@link Vae} as a Spark ML {@link Model}: a {@code Transformer} that appends to every row its encoding
 * and its anomaly score, for use alone or in a {@code Pipeline}.
 *
 * <p>Input: either {@link #inputCol} (one column of {@code array<float>}, {@code array<double>} or an ML
 * {@code Vector}, as many values as the model's input) or {@link #featureCols} (numeric columns, in the model's
 * feature order, for tabular data). Raw values: the model applies the scaling it was trained with.
 *
 * <p>Output, each column name prefixed by {@link #outputPrefix}: {@code mu} and {@code logvar}
 * ({@code array<float>}, the latent size each) and {@code score} (double, nats): the negative ELBO at z = μ, that
 * is {@link Vae.Scores#reconstruction()} + {@link Vae.Scores#kl()}; when the model has reference scores,
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
 * <p>Long for its params (public methods, as Spark ML finds them), persistence and the task-side iterator that
 * scores rows in batches; reading input columns is {@code InputColumns}.
 */
public final class VaeModel extends Model<VaeModel> implements VaeColumnParams<VaeModel>, MLWritable {
    private static final long serialVersionUID = 1L;
    /** Rows per call into the model inside a task. */
    static final int BATCH = 256;
    static final String MODEL_FILE = "model.svae";

    /** This model's identity in Spark ML. */
    private final String uid;
    /** inputCol, featureCols and outputPrefix (see {@link VaeColumnParams}). */
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
        simdvae.vae.ScoreReference.checkThreshold(v);
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
            return v.withThreshold((Double) getOrDefault(threshold));
        }
        if (isDefined(contamination())) {
            Vae d = v.withContamination((Double) getOrDefault(contamination()));
            d.thresholdAtMean(); // a model without reference scores says so here, before any task
            return d;
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

    /** Which optional outputs this model writes: percentile, outlier, nats. */
    private boolean[] outputs(Vae v) {
        return new boolean[] {v.reference() != null, !Double.isNaN(v.thresholdAtMean()), (Boolean) getOrDefault(perColumn)};
    }

    /** Where the model's input comes from in {@code schema}; a table model's text columns coded by its levels. */
    private InputColumns input(StructType schema) {
        Vae v = vae();
        InputColumns in = InputColumns.of(schema, getOrDefault(inputCol()), getOrDefault(featureCols()),
                v.dataColumns(), getOrDefault(handleInvalid()));
        simdvae.vae.Columns columns = v.features().columns();
        if (columns == null) {
            if (in.anyText()) {
                throw new IllegalArgumentException("this model takes numbers only (it was trained without text"
                        + " columns), and the input has a string column");
            }
            return in;
        }
        List<List<String>> levels = new ArrayList<>();
        for (int j = 0; j < columns.count(); j++) {
            if (in.text(j) != (columns.kind(j) == simdvae.vae.Dataset.Kind.CATEGORICAL)) {
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
    static StructType withOutputs(StructType schema, String prefix, boolean[] optional) {
        List<String> names = new ArrayList<>(List.of(prefix + "mu", prefix + "logvar", prefix + "score"));
        String[] more = {"percentile", "outlier", "nats"};
        for (int i = 0; i < more.length; i++) {
            if (optional[i]) {
                names.add(prefix + more[i]);
            }
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
        if (optional[0]) {
            out = out.add(prefix + "percentile", DataTypes.DoubleType, false);
        }
        if (optional[1]) {
            out = out.add(prefix + "outlier", DataTypes.BooleanType, false);
        }
        if (optional[2]) {
            out = out.add(prefix + "nats", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        InputColumns input = input(dataset.schema());
        Vae decided = decided();
        boolean[] optional = outputs(decided);
        double cut = decided.thresholdAtMean();
        // Spark's internal rows, in and out: through Row, every array element was boxed both ways, which cost
        // more than the model itself (measured: 25,500 rows/s on one core against 59,000 for Vae.embed).
        org.apache.spark.sql.classic.Dataset<?> classic = (org.apache.spark.sql.classic.Dataset<?>) dataset;
        org.apache.spark.sql.classic.SparkSession spark = classic.sparkSession();
        Broadcast<byte[]> model = spark.sparkContext().broadcast(modelBytes,
                scala.reflect.ClassTag$.MODULE$.apply(byte[].class));
        String name = "model of " + uid;
        JavaRDD<InternalRow> rows = classic.queryExecution().toRdd().toJavaRDD();
        JavaRDD<InternalRow> scored = rows.mapPartitions(
                (FlatMapFunction<Iterator<InternalRow>, InternalRow>) it -> new Scored(it, input,
                        TaskModels.get(model, name), optional, cut));
        return spark.internalCreateDataFrame(scored.rdd(), outSchema, false);
    }

    /** A partition's rows with their outputs appended, computed {@value #BATCH} rows at a time. */
    private static final class Scored implements Iterator<InternalRow> {
        private final Iterator<InternalRow> rows;
        private final InputColumns input;
        private final Vae vae;
        private final List<InternalRow> batch = new ArrayList<>(BATCH);
        private final float[][] x;
        private final boolean[] optional;
        private final double threshold;
        private Vae.Embedding embedding;
        private int next;

        Scored(Iterator<InternalRow> rows, InputColumns input, Vae vae, boolean[] optional, double threshold) {
            this.rows = rows;
            this.input = input;
            this.optional = optional;
            this.threshold = threshold;
            TaskContext task = TaskContext.get();
            // the input has coded an unseen level as (other) already, under handleInvalid keep
            Vae v = vae.withUnseenLevels(simdvae.vae.UnseenLevels.OTHER);
            this.vae = task == null ? v : v.withThreads(Math.max(1, task.cpus()));
            this.x = new float[BATCH][vae.dataColumns()];
            this.table = vae.features().columns() != null;
        }

        /** Whether the model is a table model (its batches coded by the input's levels). */
        private final boolean table;

        @Override
        public boolean hasNext() {
            if (next < batch.size()) {
                return true;
            }
            batch.clear();
            next = 0;
            while (batch.size() < BATCH && rows.hasNext()) {
                InternalRow r = rows.next();
                if (input.read(r, x[batch.size()])) {
                    batch.add(r.copy()); // the iterator may reuse its row object
                }
            }
            if (batch.isEmpty()) {
                return false;
            }
            float[][] rowsIn = batch.size() == BATCH ? x : java.util.Arrays.copyOf(x, batch.size());
            embedding = vae.embed(table ? input.table(rowsIn) : simdvae.vae.Dataset.of(rowsIn), optional[2]);
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = next++;
            double score = embedding.score()[i];
            List<Object> cells = new ArrayList<>(6);
            cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.mu()[i]));
            cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.logVar()[i]));
            cells.add(score);
            if (optional[0]) {
                cells.add(vae.reference().percentileAtMean(score));
            }
            if (optional[1]) {
                cells.add(score > threshold);
            }
            if (optional[2]) {
                cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.perColumn()[i]));
            }
            InternalRow outputs = new GenericInternalRow(cells.toArray());
            return new JoinedRow(batch.get(i), outputs);
        }
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
