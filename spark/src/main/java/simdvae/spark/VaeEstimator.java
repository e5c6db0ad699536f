package simdvae.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import simdvae.vae.Features;
import simdvae.vae.Likelihood;
import simdvae.vae.Scaling;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;

/**
 * Deterministic data-parallel training of a {@link Vae} on Spark: {@link #fit} returns a {@link VaeModel}.
 *
 * <p>Local SGD with parameter averaging, in a fixed order. Row i of the input (in the input's order) goes to shard
 * {@code i mod shards}, where the rows keep their order. Each round the driver broadcasts the parameters, Adam's
 * moments and the step count; the task of shard s runs {@link #syncEvery} ordinary {@link Trainer} steps on its
 * rows (its own seeded shuffle each epoch; its seed is the run's seed for shard 0 and a mix of seed and s for the
 * others, so ε is keyed by seed, shard and global step) and returns what it reached; the driver collects the
 * results in shard order and averages them in that order, in double. Nothing depends on which executor ran a task,
 * on when it finished, or on a retry (tasks are pure), so the same data, seed, {@code shards} and {@code syncEvery}
 * give the same parameter bits on {@code local[1]}, {@code local[4]} or a cluster of any size; with one shard the
 * result is that of {@link Trainer} on one machine, bit for bit.
 *
 * <p>An epoch is one pass of shard 0 (the largest) over its rows; training runs {@code epochs} of them. Feature
 * scaling (a Gaussian model's standardization) is fitted on shard 0's rows: every {@code shards}-th row, all rows
 * with one shard.
 *
 * <p>Long because Spark ML finds params as public methods: each of the model's settings is a param, its getter and
 * its setter here, documented; the rounds themselves are {@code LocalSgd} and {@code Shards}.
 */
public final class VaeEstimator extends Estimator<VaeModel>
        implements VaeColumnParams<VaeEstimator>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    /** This estimator's identity in Spark ML. */
    private final String uid;
    /** inputCol, featureCols and outputPrefix (see {@link VaeColumnParams}). */
    private final Columns columns;
    /** The {@code hidden} param: hidden layer sizes of the encoder (the decoder mirrors them). */
    private final IntArrayParam hidden;
    /** The {@code latent} param: latent size. */
    private final IntParam latent;
    /** The {@code learningRate} param: Adam's learning rate. */
    private final DoubleParam learningRate;
    /** The {@code batchSize} param: rows per step. */
    private final IntParam batchSize;
    /** The {@code epochs} param: passes of shard 0 over its rows. */
    private final IntParam epochs;
    /** The {@code seed} param: seed of initialization, shuffles and ε. */
    private final LongParam seed;
    /** The {@code likelihood} param: bernoulli or gaussian. */
    private final Param<String> likelihood;
    /** The {@code scaling} param: auto, none, standardize or minmax. */
    private final Param<String> scaling;
    /** The {@code beta} param: weight of the KL term. */
    private final DoubleParam beta;
    /** The {@code klWarmup} param: epochs over which the KL weight rises to beta. */
    private final IntParam klWarmup;
    /** The {@code init} param: keras or pytorch initialization. */
    private final Param<String> init;
    /** The {@code featureNames} param: names of the features, stored in the model (default: featureCols; none for an array or vector column). */
    private final StringArrayParam featureNames;
    /** The {@code labelCol} param: the label column's name, stored in the model (default: none). */
    private final Param<String> labelCol;
    /** The {@code shards} param: logical data shards S, fixed by the user (not by the cluster). */
    private final IntParam shards;
    /** The {@code syncEvery} param: local steps per shard between two averagings (K). */
    private final IntParam syncEvery;
    /** Called after each round (not persisted). */
    private transient List<RoundListener> listeners = new ArrayList<>();

    /**
     * What the driver reports after each round.
     *
     * @param round          the round, 1-based
     * @param rounds         rounds in the run
     * @param step           the step count reached
     * @param loss           the mean loss of the shards' steps
     * @param seconds        the round's seconds on the driver
     * @param trainSeconds   the slowest shard's seconds of training steps
     * @param taskSeconds    the slowest shard's seconds of its whole task (the rest of the round is Spark moving
     *                       state and the driver averaging it)
     * @param bytesBroadcast bytes broadcast (parameters and both moments)
     */
    public record Round(int round, int rounds, long step, double loss, double seconds, double trainSeconds,
                        double taskSeconds, long bytesBroadcast) {
    }

    /** Called on the driver after each round. */
    @FunctionalInterface
    public interface RoundListener {
        /**
         * After a round.
         *
         * @param round its numbers
         */
        void onRound(Round round);
    }

    /**
     * An estimator with the tutorial's defaults, 2 shards and 50 steps a round.
     */
    public VaeEstimator() {
        this(Identifiable$.MODULE$.randomUID("simdvaeEstimator"));
    }

    /**
     * Spark's copy and load call this.
     *
     * @param uid its identity in Spark ML
     */
    public VaeEstimator(String uid) {
        this.uid = uid;
        VaeConfig d = VaeConfig.defaults();
        columns = new Columns(this);
        hidden = new IntArrayParam(this, "hidden", "hidden layer sizes of the encoder (the decoder mirrors them)");
        latent = new IntParam(this, "latent", "latent size");
        learningRate = new DoubleParam(this, "learningRate", "Adam's learning rate");
        batchSize = new IntParam(this, "batchSize", "rows per step");
        epochs = new IntParam(this, "epochs", "passes of shard 0 over its rows");
        seed = new LongParam(this, "seed", "seed of initialization, shuffles and ε");
        likelihood = new Param<>(this, "likelihood", "bernoulli or gaussian");
        scaling = new Param<>(this, "scaling", "auto, none, standardize or minmax");
        beta = new DoubleParam(this, "beta", "weight of the KL term");
        klWarmup = new IntParam(this, "klWarmup", "epochs over which the KL weight rises to beta");
        init = new Param<>(this, "init", "keras or pytorch initialization");
        featureNames = new StringArrayParam(this, "featureNames", "names of the features, stored in the model"
                + " (default: featureCols; none for an array or vector column)");
        labelCol = new Param<>(this, "labelCol", "the label column's name, stored in the model (default: none)");
        shards = new IntParam(this, "shards", "logical data shards S, fixed by the user (not by the cluster)");
        syncEvery = new IntParam(this, "syncEvery", "local steps per shard between two averagings (K)");
        setDefault(hidden, d.hidden().stream().mapToInt(Integer::intValue).toArray());
        setDefault(latent, d.latent());
        setDefault(learningRate, d.learningRate());
        setDefault(batchSize, d.batch());
        setDefault(epochs, d.epochs());
        setDefault(seed, d.seed());
        setDefault(likelihood, d.likelihood().label());
        setDefault(scaling, d.scaling().label());
        setDefault(beta, d.beta());
        setDefault(klWarmup, d.klWarmup());
        setDefault(init, d.init().label());
        setDefault(featureNames, new String[0]);
        setDefault(labelCol, "");
        setDefault(shards, 2);
        setDefault(syncEvery, 50);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Columns columns() {
        return columns;
    }

    // Params, as Spark ML finds them: public methods without arguments.

    /**
     * The {@code hidden} param: hidden layer sizes of the encoder (the decoder mirrors them).
     *
     * @return the param
     */
    public IntArrayParam hidden() {
        return hidden;
    }
    /**
     * The {@code latent} param: latent size.
     *
     * @return the param
     */
    public IntParam latent() {
        return latent;
    }
    /**
     * The {@code learningRate} param: Adam's learning rate.
     *
     * @return the param
     */
    public DoubleParam learningRate() {
        return learningRate;
    }
    /**
     * The {@code batchSize} param: rows per step.
     *
     * @return the param
     */
    public IntParam batchSize() {
        return batchSize;
    }
    /**
     * The {@code epochs} param: passes of shard 0 over its rows.
     *
     * @return the param
     */
    public IntParam epochs() {
        return epochs;
    }
    /**
     * The {@code seed} param: seed of initialization, shuffles and ε.
     *
     * @return the param
     */
    public LongParam seed() {
        return seed;
    }
    /**
     * The {@code likelihood} param: likelihood.
     *
     * @return the param
     */
    public Param<String> likelihood() {
        return likelihood;
    }
    /**
     * The {@code scaling} param: scaling.
     *
     * @return the param
     */
    public Param<String> scaling() {
        return scaling;
    }
    /**
     * The {@code beta} param: weight of the KL term.
     *
     * @return the param
     */
    public DoubleParam beta() {
        return beta;
    }
    /**
     * The {@code klWarmup} param: epochs over which the KL weight rises to beta.
     *
     * @return the param
     */
    public IntParam klWarmup() {
        return klWarmup;
    }
    /**
     * The {@code init} param: init.
     *
     * @return the param
     */
    public Param<String> init() {
        return init;
    }
    /**
     * The {@code featureNames} param: names of the features, stored in the model (default: featureCols; none for an array or vector column).
     *
     * @return the param
     */
    public StringArrayParam featureNames() {
        return featureNames;
    }
    /**
     * The {@code labelCol} param: labelCol.
     *
     * @return the param
     */
    public Param<String> labelCol() {
        return labelCol;
    }
    /**
     * The {@code shards} param: logical data shards S, fixed by the user (not by the cluster).
     *
     * @return the param
     */
    public IntParam shards() {
        return shards;
    }
    /**
     * The {@code syncEvery} param: local steps per shard between two averagings (K).
     *
     * @return the param
     */
    public IntParam syncEvery() {
        return syncEvery;
    }

    /**
     * Sets {@code hidden}: hidden layer sizes of the encoder (the decoder mirrors them).
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setHidden(int... v) {
        set(hidden, v);
        return this;
    }
    /**
     * Sets {@code latent}: latent size.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setLatent(int v) {
        set(latent, v);
        return this;
    }
    /**
     * Sets {@code learningRate}: Adam's learning rate.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setLearningRate(double v) {
        set(learningRate, v);
        return this;
    }
    /**
     * Sets {@code batchSize}: rows per step.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setBatchSize(int v) {
        set(batchSize, v);
        return this;
    }
    /**
     * Sets {@code epochs}: passes of shard 0 over its rows.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setEpochs(int v) {
        set(epochs, v);
        return this;
    }
    /**
     * Sets {@code seed}: seed of initialization, shuffles and ε.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setSeed(long v) {
        set(seed, v);
        return this;
    }
    /**
     * Sets {@code likelihood}: likelihood.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setLikelihood(String v) {
        set(likelihood, v);
        return this;
    }
    /**
     * Sets {@code scaling}: scaling.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setScaling(String v) {
        set(scaling, v);
        return this;
    }
    /**
     * Sets {@code beta}: weight of the KL term.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setBeta(double v) {
        set(beta, v);
        return this;
    }
    /**
     * Sets {@code klWarmup}: epochs over which the KL weight rises to beta.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setKlWarmup(int v) {
        set(klWarmup, v);
        return this;
    }
    /**
     * Sets {@code init}: init.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setInit(String v) {
        set(init, v);
        return this;
    }
    /**
     * Sets {@code featureNames}: names of the features, stored in the model (default: featureCols; none for an array or vector column).
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setFeatureNames(String... v) {
        set(featureNames, v);
        return this;
    }
    /**
     * Sets {@code labelCol}: labelCol.
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }
    /**
     * Sets {@code shards}: logical data shards S, fixed by the user (not by the cluster).
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setShards(int v) {
        set(shards, v);
        return this;
    }
    /**
     * Sets {@code syncEvery}: local steps per shard between two averagings (K).
     *
     * @param v the value
     * @return this estimator
     */
    public VaeEstimator setSyncEvery(int v) {
        set(syncEvery, v);
        return this;
    }

    /**
     * Sets every hyperparameter param from a configuration: sizes, likelihood, scaling, initialisation, seed,
     * learning rate, batch, epochs, β and warm-up (its input size comes from the data; Adam's β1, β2 and ε, threads
     * and width are not params: the defaults, and each task's cores, are used).
     *
     * @param c the configuration
     * @return this estimator
     */
    public VaeEstimator setConfig(VaeConfig c) {
        return setHidden(c.hidden().stream().mapToInt(Integer::intValue).toArray()).setLatent(c.latent())
                .setLikelihood(c.likelihood().label()).setScaling(c.scaling().label()).setInit(c.init().label())
                .setSeed(c.seed()).setLearningRate(c.learningRate()).setBatchSize(c.batch()).setEpochs(c.epochs())
                .setBeta(c.beta()).setKlWarmup(c.klWarmup());
    }

    /**
     * Adds a listener called on the driver after each round.
     *
     * @param l the listener
     * @return this estimator
     */
    public VaeEstimator addRoundListener(RoundListener l) {
        listeners.add(l);
        return this;
    }

    /**
     * The {@link VaeConfig} these Params stand for, for data of {@code input} features. Throws {@link
     * IllegalArgumentException} with one line for a value out of range (shards or syncEvery below 1, say).
     *
     * @param input features a row
     * @return the configuration
     */
    public VaeConfig config(int input) {
        require(intOf(shards) >= 1, "shards must be at least 1, got " + intOf(shards));
        require(intOf(syncEvery) >= 1, "syncEvery must be at least 1, got " + intOf(syncEvery));
        try {
            List<Integer> h = new ArrayList<>();
            for (int v : getOrDefault(hidden)) {
                h.add(v);
            }
            return VaeConfig.defaults().withInput(input).withHidden(h).withLatent(intOf(latent))
                    .withLearningRate(doubleOf(learningRate)).withBatch(intOf(batchSize))
                    .withEpochs(intOf(epochs)).withSeed(longOf(seed))
                    .withLikelihood(Likelihood.parse(getOrDefault(likelihood)))
                    .withScaling(Scaling.parse(getOrDefault(scaling))).withBeta(doubleOf(beta))
                    .withKlWarmup(intOf(klWarmup)).withInit(VaeConfig.Init.parse(getOrDefault(init)))
                    .withThreads(1);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private int intOf(IntParam p) {
        return (Integer) getOrDefault(p);
    }

    private double doubleOf(DoubleParam p) {
        return (Double) getOrDefault(p);
    }

    private long longOf(LongParam p) {
        return (Long) getOrDefault(p);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String[] cols = getOrDefault(featureCols());
        InputColumns.of(schema, getOrDefault(inputCol()), cols, cols.length, getOrDefault(handleInvalid()));
        return VaeModel.withOutputs(schema, getOrDefault(outputPrefix()), new boolean[] {true,
            isDefined(contamination()), false});
    }

    private VaeModel model(Vae vae) {
        VaeModel m = new VaeModel(vae).setOutputPrefix(getOrDefault(outputPrefix()))
                .setHandleInvalid(getOrDefault(handleInvalid()));
        if (getOrDefault(featureCols()).length > 0) {
            m.setFeatureCols(getOrDefault(featureCols()));
        } else {
            m.setInputCol(getOrDefault(inputCol()));
        }
        return m;
    }

    @Override
    public VaeModel fit(Dataset<?> dataset) {
        int s = intOf(shards);
        int k = intOf(syncEvery);
        StructType schema = dataset.schema();
        String[] cols = getOrDefault(featureCols());
        int input = cols.length > 0 ? cols.length : Shards.firstRowSize(dataset, getOrDefault(inputCol()));
        VaeConfig config = config(input);
        InputColumns inputColumns = InputColumns.of(schema, getOrDefault(inputCol()), cols, input,
                getOrDefault(handleInvalid()));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        // a table (text columns, or missing cells kept): its levels and gaps over every row, before any shard trains
        TableLevels levels = cols.length > 0 ? TableLevels.of(dataset, inputColumns, input) : null;
        boolean table = levels != null && levels.table();
        if (table) {
            inputColumns = inputColumns.withLevels(levels.levels());
        }

        JavaRDD<Shards.Shard> data = Shards.of(dataset, inputColumns, input, s, table)
                .persist(StorageLevel.MEMORY_ONLY());
        try {
            List<Integer> sizes = data.map(Shards.Shard::size).collect();
            int rows = sizes.stream().mapToInt(Integer::intValue).sum();
            for (int i = 0; i < s; i++) {
                if (sizes.get(i) == 0) {
                    throw new IllegalArgumentException("shard " + i + " of " + s + " has no rows: the data has "
                            + rows + " rows, fewer than shards");
                }
            }
            String[] names = getOrDefault(featureNames).length > 0 ? getOrDefault(featureNames) : cols;
            String label = getOrDefault(labelCol).isEmpty() ? null : getOrDefault(labelCol);
            boolean[] gaps = table ? levels.gaps() : null;
            // the scaling is fitted on shard 0's rows (all rows with one shard); a table's levels and gaps are all
            // the rows'
            Features features = data.filter(sh -> sh.index() == 0)
                    .map(sh -> gaps != null ? Features.fitted(config, sh.rows(), gaps)
                            : Features.fitted(config, sh.rows(), false))
                    .first().named(names.length > 0 ? List.of(names) : null, label);
            Vae start = table ? Vae.create(config, features, rows) : Vae.create(config);
            VaeConfig run = start.config();
            LocalSgd sgd = new LocalSgd(run, start.parameters(), sizes.get(0), k);
            int rounds = sgd.rounds();
            for (int round = 0; round < rounds; round++) {
                long began = System.nanoTime();
                long steps = sgd.nextSteps();
                Broadcast<Trainer.State> shared = sc.broadcast(sgd.state());
                List<LocalSgd.Result> results;
                // the job's name in Spark's UI, and what a task can tell its round by
                sc.setJobDescription("simdvae round " + (round + 1) + "/" + rounds);
                try {
                    results = data.map(sh -> Shards.train(sh, run, features, shared.value(), steps)).collect();
                } finally {
                    sc.setJobDescription(null);
                    shared.destroy();
                }
                sgd.average(results, steps);
                double loss = 0;
                long train = 0;
                long task = 0;
                for (LocalSgd.Result res : results) {
                    loss += res.loss();
                    train = Math.max(train, res.trainNanos());
                    task = Math.max(task, res.taskNanos());
                }
                Round report = new Round(round + 1, rounds, sgd.step(), loss / results.size(),
                        (System.nanoTime() - began) / 1e9, train / 1e9, task / 1e9,
                        12L * sgd.parameters().length + 8);
                for (RoundListener l : listeners) {
                    l.onRound(report);
                }
            }
            // the reference scores: shard 0's rows (all rows with one shard, as train's training rows), scored where
            // they live; the model comes back as its file's bytes, its reference in them
            float[] trained = sgd.parameters();
            byte[] calibrated = data.filter(sh -> sh.index() == 0)
                    .map(sh -> Vae.of(run.withThreads(1), trained, features).calibrate(sh.rows(), "training")
                            .toBytes()).first();
            Vae vae = Vae.fromBytes(calibrated, "the trained model").withThreads(0);
            if (isDefined(contamination())) {
                vae = vae.withContamination((Double) getOrDefault(contamination()));
            }
            VaeModel model = model(vae);
            return copyValues(model.setParent(this), ParamMap.empty());
        } finally {
            data.unpersist(false);
        }
    }

    @Override
    public VaeEstimator copy(ParamMap extra) {
        VaeEstimator copy = defaultCopy(extra);
        copy.listeners = new ArrayList<>(listeners);
        return copy;
    }

    /**
     * The reader of saved estimators (Spark's persistence looks for this static method).
     *
     * @return the reader
     */
    public static MLReader<VaeEstimator> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Reads an estimator saved with {@code write().save(path)}.
     *
     * @param path where it was saved
     * @return the estimator
     */
    public static VaeEstimator load(String path) {
        return read().load(path);
    }
}
