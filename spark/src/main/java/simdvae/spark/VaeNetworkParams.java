package simdvae.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import simdvae.vae.model.ModelConfig;

/**
 * The params of {@link VaeEstimator} that say what the model is (its {@code ModelConfig}), each declared once in
 * {@link Network} with its doc and default. Spark ML finds params as public methods without arguments, so each has
 * its method here, with Spark's usual {@code getX()} and {@code setX(v)}.
 *
 * @param <T> the implementing class, which the setters return
 */
public interface VaeNetworkParams<T extends VaeNetworkParams<T>> extends Params {
    /**
     * The params' holder.
     *
     * @return the holder
     */
    Network network();

    /** {@return the {@code hidden} param: hidden layer sizes of the encoder (the decoder mirrors them)} */
    default IntArrayParam hidden() {
        return network().hidden;
    }

    /** {@return the {@code hidden} param's value} */
    default int[] getHidden() {
        return getOrDefault(hidden());
    }

    /**
     * Sets {@code hidden}: hidden layer sizes of the encoder (the decoder mirrors them).
     *
     * @param v the sizes
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setHidden(int... v) {
        set(hidden(), v);
        return (T) this;
    }

    /** {@return the {@code latent} param: latent size} */
    default IntParam latent() {
        return network().latent;
    }

    /** {@return the {@code latent} param's value} */
    default int getLatent() {
        return (Integer) getOrDefault(latent());
    }

    /**
     * Sets {@code latent}: latent size.
     *
     * @param v the size
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setLatent(int v) {
        set(latent(), v);
        return (T) this;
    }

    /** {@return the {@code likelihood} param: bernoulli or gaussian} */
    default Param<String> likelihood() {
        return network().likelihood;
    }

    /** {@return the {@code likelihood} param's value} */
    default String getLikelihood() {
        return getOrDefault(likelihood());
    }

    /**
     * Sets {@code likelihood}: bernoulli or gaussian.
     *
     * @param v the likelihood
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setLikelihood(String v) {
        set(likelihood(), v);
        return (T) this;
    }

    /** {@return the {@code scaling} param: auto, none, standardize or minmax} */
    default Param<String> scaling() {
        return network().scaling;
    }

    /** {@return the {@code scaling} param's value} */
    default String getScaling() {
        return getOrDefault(scaling());
    }

    /**
     * Sets {@code scaling}: auto, none, standardize or minmax.
     *
     * @param v the scaling
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setScaling(String v) {
        set(scaling(), v);
        return (T) this;
    }

    /** {@return the {@code init} param: keras or pytorch initialization} */
    default Param<String> init() {
        return network().init;
    }

    /** {@return the {@code init} param's value} */
    default String getInit() {
        return getOrDefault(init());
    }

    /**
     * Sets {@code init}: keras or pytorch initialization.
     *
     * @param v the initialization
     * @return this
     */
    @SuppressWarnings("unchecked")
    default T setInit(String v) {
        set(init(), v);
        return (T) this;
    }


    /**
     * The params, each declared here once: name, doc and default.
     *
     * @serial exclude
     */
    final class Network implements Serializable {
        private static final long serialVersionUID = 1L;
        final IntArrayParam hidden;
        final IntParam latent;
        final Param<String> likelihood;
        final Param<String> scaling;
        final Param<String> init;

        /**
         * The params of {@code owner}, with their defaults.
         *
         * @param owner the estimator
         */
        public Network(Params owner) {
            ModelConfig m = ModelConfig.defaults();
            hidden = new IntArrayParam(owner, "hidden", "hidden layer sizes of the encoder (the decoder mirrors them)");
            latent = new IntParam(owner, "latent", "latent size");
            likelihood = new Param<>(owner, "likelihood", "bernoulli or gaussian");
            scaling = new Param<>(owner, "scaling", "auto, none, standardize or minmax");
            init = new Param<>(owner, "init", "keras or pytorch initialization");
            owner.setDefault(hidden, m.hidden().stream().mapToInt(Integer::intValue).toArray());
            owner.setDefault(latent, m.latent());
            owner.setDefault(likelihood, m.likelihood().spelling());
            owner.setDefault(scaling, m.scaling().spelling());
            owner.setDefault(init, m.init().spelling());
        }
    }
}
