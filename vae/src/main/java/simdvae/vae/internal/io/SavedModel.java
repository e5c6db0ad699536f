package simdvae.vae.internal.io;

import simdvae.vae.decide.Decision;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.table.Features;

/**
 * What a model file holds.
 *
 * @param model     the network
 * @param seed      the seed of its scores' draws (its training seed)
 * @param features  its fitted features
 * @param params    its parameters
 * @param reference its reference scores, or null
 * @param decision  its outlier decision
 */
public record SavedModel(ModelConfig model, long seed, Features features, float[] params, ScoreReference reference,
                         Decision decision) {
}
