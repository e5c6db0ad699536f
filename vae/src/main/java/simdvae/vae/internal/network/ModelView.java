package simdvae.vae.internal.network;

import simdvae.vae.model.Architecture;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.RuntimeConfig;
import simdvae.vae.table.UnseenLevels;

/** What running a model needs of it: the facade's {@code Vae} gives each of its views one. */
public interface ModelView {
    /**
     * The layers.
     *
     * @return the architecture
     */
    Architecture architecture();

    /**
     * The live parameters (not a copy).
     *
     * @return the parameters
     */
    float[] parameters();

    /**
     * The model's weights packed for inference, shared by all its views; told when the parameters change in place.
     *
     * @return the holder
     */
    PackedWeights packedWeights();

    /**
     * The model's rows, read under its current features (a plain model fits its scaling on its first training
     * rows).
     *
     * @return the rows' reader
     */
    RowInput rows();

    /**
     * The decoder's distribution.
     *
     * @return the likelihood
     */
    Likelihood likelihood();

    /**
     * The seed of the scores' draws of z.
     *
     * @return the seed
     */
    long seed();

    /**
     * Threads and width.
     *
     * @return the runtime
     */
    RuntimeConfig runtime();

    /**
     * What to do with a level training never saw.
     *
     * @return the policy
     */
    UnseenLevels unseenLevels();

    /**
     * Values a data row: a table's columns, or a plain model's input width.
     *
     * @return the count
     */
    int columnCount();
}
