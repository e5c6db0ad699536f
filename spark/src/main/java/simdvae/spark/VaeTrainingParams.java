package simdvae.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import simdvae.vae.model.TrainingConfig;

/**
 * The params of {@link VaeEstimator} that say how it trains (its {@code TrainingConfig}), what names the model keeps,
 * and the data-parallel run's shards and rounds, each declared once in {@link Training} with its doc and default.
 * Spark ML finds params as public methods without arguments, so each has its method here, with Spark's usual
 * {@code getX()} and {@code setX(v)}.
 *
 * @param <T> the implementing class, which the setters return
 */
public interface VaeTrainingParams<T extends VaeTrainingParams<T>> extends Params {
    /**
     * The params' holder.
     *
     * @return the holder
     */
    Training training();

    /** {@return the {@code seed} param: seed of initialization, shuffles and ε} */
    default LongParam seed() {
        return training().seed;
    }

    /** {@return the {@code seed} param's value} */
    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /**
     * Sets {@code seed}: seed of initialization, shuffles and ε.
     *
     * @param v the seed
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setSeed(long v) {
        set(seed(), v);
        return (T) this;
    }

    /** {@return the {@code learningRate} param: Adam's learning rate} */
    default DoubleParam learningRate() {
        return training().learningRate;
    }

    /** {@return the {@code learningRate} param's value} */
    default double getLearningRate() {
        return (Double) getOrDefault(learningRate());
    }

    /**
     * Sets {@code learningRate}: Adam's learning rate.
     *
     * @param v the rate
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setLearningRate(double v) {
        set(learningRate(), v);
        return (T) this;
    }

    /** {@return the {@code batchSize} param: rows per step} */
    default IntParam batchSize() {
        return training().batchSize;
    }

    /** {@return the {@code batchSize} param's value} */
    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    /**
     * Sets {@code batchSize}: rows per step.
     *
     * @param v the batch size
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setBatchSize(int v) {
        set(batchSize(), v);
        return (T) this;
    }

    /** {@return the {@code epochs} param: passes of shard 0 over its rows} */
    default IntParam epochs() {
        return training().epochs;
    }

    /** {@return the {@code epochs} param's value} */
    default int getEpochs() {
        return (Integer) getOrDefault(epochs());
    }

    /**
     * Sets {@code epochs}: passes of shard 0 over its rows.
     *
     * @param v the epochs
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setEpochs(int v) {
        set(epochs(), v);
        return (T) this;
    }

    /** {@return the {@code beta} param: weight of the KL term} */
    default DoubleParam beta() {
        return training().beta;
    }

    /** {@return the {@code beta} param's value} */
    default double getBeta() {
        return (Double) getOrDefault(beta());
    }

    /**
     * Sets {@code beta}: weight of the KL term.
     *
     * @param v the weight
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setBeta(double v) {
        set(beta(), v);
        return (T) this;
    }

    /** {@return the {@code klWarmup} param: epochs over which the KL weight rises to beta} */
    default IntParam klWarmup() {
        return training().klWarmup;
    }

    /** {@return the {@code klWarmup} param's value} */
    default int getKlWarmup() {
        return (Integer) getOrDefault(klWarmup());
    }

    /**
     * Sets {@code klWarmup}: epochs over which the KL weight rises to beta.
     *
     * @param v the epochs
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setKlWarmup(int v) {
        set(klWarmup(), v);
        return (T) this;
    }

    /** {@return the {@code ensemble} param: models of different seeds trained one after another, scores averaged} */
    default IntParam ensemble() {
        return training().ensemble;
    }

    /** {@return the {@code ensemble} param's value} */
    default int getEnsemble() {
        return (Integer) getOrDefault(ensemble());
    }

    /**
     * Sets {@code ensemble}: models of different seeds trained one after another, scores averaged.
     *
     * @param v the members, at least 1
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setEnsemble(int v) {
        set(ensemble(), v);
        return (T) this;
    }

    /** {@return the {@code featureNames} param: names of the features, stored in the model (default: featureCols; none for an array or vector column)} */
    default StringArrayParam featureNames() {
        return training().featureNames;
    }

    /** {@return the {@code featureNames} param's value} */
    default String[] getFeatureNames() {
        return getOrDefault(featureNames());
    }

    /**
     * Sets {@code featureNames}: names of the features, stored in the model (default: featureCols; none for an array or vector column).
     *
     * @param v the names
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setFeatureNames(String... v) {
        set(featureNames(), v);
        return (T) this;
    }

    /** {@return the {@code labelCol} param: the label column's name, stored in the model (default: none)} */
    default Param<String> labelCol() {
        return training().labelCol;
    }

    /** {@return the {@code labelCol} param's value} */
    default String getLabelCol() {
        return getOrDefault(labelCol());
    }

    /**
     * Sets {@code labelCol}: the label column's name, stored in the model (default: none).
     *
     * @param v the name
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setLabelCol(String v) {
        set(labelCol(), v);
        return (T) this;
    }

    /** {@return the {@code shards} param: logical data shards S, fixed by the user (not by the cluster)} */
    default IntParam shards() {
        return training().shards;
    }

    /** {@return the {@code shards} param's value} */
    default int getShards() {
        return (Integer) getOrDefault(shards());
    }

    /**
     * Sets {@code shards}: logical data shards S, fixed by the user (not by the cluster).
     *
     * @param v the shards
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setShards(int v) {
        set(shards(), v);
        return (T) this;
    }

    /** {@return the {@code syncEvery} param: local steps per shard between two averagings (K)} */
    default IntParam syncEvery() {
        return training().syncEvery;
    }

    /** {@return the {@code syncEvery} param's value} */
    default int getSyncEvery() {
        return (Integer) getOrDefault(syncEvery());
    }

    /**
     * Sets {@code syncEvery}: local steps per shard between two averagings (K).
     *
     * @param v the steps
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setSyncEvery(int v) {
        set(syncEvery(), v);
        return (T) this;
    }


    /**
     * The params, each declared here once: name, doc and default.
     *
     * @serial exclude
     */
    final class Training implements Serializable {
        private static final long serialVersionUID = 1L;
        final LongParam seed;
        final DoubleParam learningRate;
        final IntParam batchSize;
        final IntParam epochs;
        final DoubleParam beta;
        final IntParam klWarmup;
        final IntParam ensemble;
        final StringArrayParam featureNames;
        final Param<String> labelCol;
        final IntParam shards;
        final IntParam syncEvery;

        /**
         * The params of {@code owner}, with their defaults.
         *
         * @param owner the estimator
         */
        public Training(Params owner) {
            TrainingConfig t = TrainingConfig.defaults();
            seed = new LongParam(owner, "seed", "seed of initialization, shuffles and ε");
            learningRate = new DoubleParam(owner, "learningRate", "Adam's learning rate");
            batchSize = new IntParam(owner, "batchSize", "rows per step");
            epochs = new IntParam(owner, "epochs", "passes of shard 0 over its rows");
            beta = new DoubleParam(owner, "beta", "weight of the KL term");
            klWarmup = new IntParam(owner, "klWarmup", "epochs over which the KL weight rises to beta");
            ensemble = new IntParam(owner, "ensemble", "models of different seeds trained one after another (each"
                    + " data-parallel, N times the training), scores averaged; member 0 has the seed");
            featureNames = new StringArrayParam(owner, "featureNames",
                    "names of the features, stored in the model (default: featureCols; none for an array or vector column)");
            labelCol = new Param<>(owner, "labelCol", "the label column's name, stored in the model (default: none)");
            shards = new IntParam(owner, "shards", "logical data shards S, fixed by the user (not by the cluster)");
            syncEvery = new IntParam(owner, "syncEvery", "local steps per shard between two averagings (K)");
            owner.setDefault(seed, t.seed());
            owner.setDefault(learningRate, t.learningRate());
            owner.setDefault(batchSize, t.batch());
            owner.setDefault(epochs, t.epochs());
            owner.setDefault(beta, t.beta());
            owner.setDefault(klWarmup, t.klWarmup());
            owner.setDefault(ensemble, t.ensemble());
            owner.setDefault(featureNames, new String[0]);
            owner.setDefault(labelCol, "");
            owner.setDefault(shards, 2);
            owner.setDefault(syncEvery, 50);
        }
    }
}
