package simdvae.vae;

/**
 * μ and log σ² of each row ({@link Vae#encode}).
 *
 * @param mu     a latent-size row per input row
 * @param logVar likewise
 */
public record Encoding(float[][] mu, float[][] logVar) {
}
