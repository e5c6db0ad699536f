package simdvae.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.decide.Decision;
import simdvae.vae.model.Init;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.model.Scaling;
import simdvae.vae.model.TrainingConfig;
import simdvae.vae.table.Features;

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
 * with one shard. An ensemble ({@link #setEnsemble}) trains its members one after another, each in rounds of its own
 * as one model of its seed ({@link Vae#member}), and scores as {@link Vae} does: the members' mean.
 *
 * <p>Its params are declared in {@link VaeColumnParams} (the columns, shared with {@link VaeModel}),
 * {@link VaeNetworkParams} (the model) and {@link VaeTrainingParams} (the training run); the rounds are
 * {@code LocalSgd}'s, a shard's part of one {@code Shards}'.
 */
public final class VaeEstimator extends Estimator<VaeModel> implements VaeColumnParams<VaeEstimator>,
        VaeNetworkParams<VaeEstimator>, VaeTrainingParams<VaeEstimator>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    /** This estimator's identity in Spark ML. */
    private final String uid;
    /** inputCol, featureCols, outputPrefix, handleInvalid and contamination ({@link VaeColumnParams}). */
    private final Columns columns;
    /** The model's params ({@link VaeNetworkParams}). */
    private final Network network;
    /** The training run's params ({@link VaeTrainingParams}). */
    private final Training training;
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

    /** An estimator with the tutorial's defaults, 2 shards and 50 steps a round. */
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
        columns = new Columns(this);
        network = new Network(this);
        training = new Training(this);
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
    public Network network() {
        return network;
    }

    @Override
    public Training training() {
        return training;
    }

    /**
     * Sets every model and training param from {@code c} (its runtime is not a param: shards train on their task's
     * cores).
     *
     * @param c the configuration
     * @return this
     */
    public VaeEstimator setConfig(VaeConfig c) {
        ModelConfig m = c.model();
        TrainingConfig t = c.training();
        return setHidden(m.hidden().stream().mapToInt(Integer::intValue).toArray()).setLatent(m.latent())
                .setLikelihood(m.likelihood().spelling()).setScaling(m.scaling().spelling()).setInit(m.init().spelling())
                .setSeed(t.seed()).setLearningRate(t.learningRate()).setBatchSize(t.batch()).setEpochs(t.epochs())
                .setBeta(t.beta()).setKlWarmup(t.klWarmup()).setEnsemble(t.ensemble());
    }

    /**
     * The configuration these params give for {@code input} values a row, on one thread (a shard's task sets its
     * own); a value out of range is an {@link IllegalArgumentException}, as Spark ML reports bad params.
     *
     * @param input values a row
     * @return the configuration
     */
    public VaeConfig config(int input) {
        if (getShards() < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + getShards());
        }
        if (getSyncEvery() < 1) {
            throw new IllegalArgumentException("syncEvery must be at least 1, got " + getSyncEvery());
        }
        try {
            List<Integer> h = new ArrayList<>();
            Arrays.stream(getHidden()).forEach(h::add);
            ModelConfig m = new ModelConfig(input, h, getLatent(), Likelihood.parse(getLikelihood()),
                    Scaling.parse(getScaling()), Init.parse(getInit()));
            TrainingConfig t = TrainingConfig.defaults().withSeed(getSeed()).withLearningRate(getLearningRate())
                    .withBatch(getBatchSize()).withEpochs(getEpochs()).withKl(getBeta(), getKlWarmup())
                    .withEnsemble(getEnsemble());
            return VaeConfig.defaults().with(m).with(t).withThreads(1);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Adds a listener called on the driver after each round.
     *
     * @param l the listener
     * @return this
     */
    public VaeEstimator addRoundListener(RoundListener l) {
        listeners.add(l);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String[] cols = getOrDefault(featureCols());
        InputColumns.of(schema, getOrDefault(inputCol()), cols, cols.length, getOrDefault(handleInvalid()));
        return new OutputColumns(true, isDefined(contamination()), false).appendTo(schema,
                getOrDefault(outputPrefix()));
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
        StructType schema = dataset.schema();
        String[] cols = getOrDefault(featureCols());
        int input = cols.length > 0 ? cols.length : Shards.firstRowSize(dataset, getOrDefault(inputCol()));
        VaeConfig config = config(input);
        InputColumns inputColumns = InputColumns.of(schema, getOrDefault(inputCol()), cols, input,
                getOrDefault(handleInvalid()));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        // a table (text columns, or missing cells kept): its levels and missing cells over every row, before any
        // shard trains
        TableLevels levels = cols.length > 0 ? TableLevels.of(dataset, inputColumns, input) : null;
        boolean table = levels != null && levels.table();
        if (table) {
            inputColumns = inputColumns.withLevels(levels.levels());
        }
        JavaRDD<Shards.Shard> data = Shards.of(dataset, inputColumns, input, getShards(), table)
                .persist(StorageLevel.MEMORY_ONLY());
        try {
            List<Integer> sizes = data.map(Shards.Shard::size).collect();
            int rows = sizes.stream().mapToInt(Integer::intValue).sum();
            for (int i = 0; i < sizes.size(); i++) {
                if (sizes.get(i) == 0) {
                    throw new IllegalArgumentException("shard " + i + " of " + sizes.size() + " has no rows: the data"
                            + " has " + rows + " rows, fewer than shards");
                }
            }
            String[] names = getFeatureNames().length > 0 ? getFeatureNames() : cols;
            String label = getLabelCol().isEmpty() ? null : getLabelCol();
            boolean[] missing = table ? levels.missing() : null;
            // the scaling is fitted on shard 0's rows (all rows with one shard); a table's levels and missing cells
            // are all the rows'
            Features features = data.filter(sh -> sh.index() == 0)
                    .map(sh -> missing != null ? Features.fitted(config.model(), sh.rows(), missing)
                            : Features.fitted(config.model(), sh.rows(), false))
                    .first().named(names.length > 0 ? List.of(names) : null, label);
            Vae start = table ? Vae.create(config, features, rows) : Vae.create(config);
            VaeConfig run = start.config();
            // an ensemble's members one after another, each as one model of its own seed
            float[][] trained = new float[start.members()][];
            for (int k = 0; k < trained.length; k++) {
                VaeConfig member = start.member(k).config();
                String name = trained.length > 1 ? "simdvae member " + (k + 1) + "/" + trained.length + ", round "
                        : "simdvae round ";
                LocalSgd sgd = new LocalSgd(member, start.member(k).parameters(), sizes.get(0), getSyncEvery());
                sgd.run((round, rounds, state, steps) -> {
                    Broadcast<Trainer.State> shared = sc.broadcast(state);
                    // the job's name in Spark's UI, and what a task can tell its round by
                    sc.setJobDescription(name + round + "/" + rounds);
                    try {
                        return data.map(sh -> Shards.train(sh, member, features, shared.value(), steps)).collect();
                    } finally {
                        sc.setJobDescription(null);
                        shared.destroy();
                    }
                }, listeners);
                trained[k] = sgd.parameters();
            }
            // the reference scores: shard 0's rows (all rows with one shard, as train's training rows), scored where
            // they live; the model comes back as its file's bytes, its reference in them
            byte[] calibrated = data.filter(sh -> sh.index() == 0)
                    .map(sh -> Vae.of(run.withThreads(1), trained, features).calibrate(sh.rows(), "training")
                            .toBytes()).first();
            Vae vae = Vae.fromBytes(calibrated, "the trained model").withThreads(0);
            if (isDefined(contamination())) {
                vae = vae.withDecision(Decision.contamination((Double) getOrDefault(contamination())));
            }
            return copyValues(model(vae).setParent(this), ParamMap.empty());
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
