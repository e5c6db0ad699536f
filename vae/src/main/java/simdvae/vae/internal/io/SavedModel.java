package simdvae.vae.internal.io;

import simdvae.vae.decide.Decision;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.table.Features;

/**
 * What a model file holds.
 *
 * @param model     the network
 * @param seed      the seed of its scores' draws (its training seed; an ensemble's member 0's)
 * @param features  its fitted features
 * @param members   each member's parameters, member 0's first (one array for one model)
 * @param reference its reference scores, or null
 * @param decision  its outlier decision
 */
public record SavedModel(ModelConfig model, long seed, Features features, float[][] members, ScoreReference reference,
                         Decision decision) {
    /**
     * A model of one member.
     *
     * @param model     the network
     * @param seed      the seed of its scores' draws
     * @param features  its fitted features
     * @param params    its parameters
     * @param reference its reference scores, or null
     * @param decision  its outlier decision
     */
    public SavedModel(ModelConfig model, long seed, Features features, float[] params, ScoreReference reference,
                      Decision decision) {
        this(model, seed, features, new float[][] {params}, reference, decision);
    }

    /** {@return member 0's parameters (the model's, for one model)} */
    public float[] params() {
        return members[0];
    }
}
