package simdvae.vae;

/**
 * What an embedding application keeps of each row ({@link Vae#embed}): μ, log σ² and a score that depends on the row
 * alone, the negative ELBO at z = μ (nats; {@link Scores#reconstruction()} + {@link Scores#kl()} of
 * {@link Vae#score}, the same bits). One encoder and one decoder pass.
 *
 * @param mu        μ of each row
 * @param logVar    log σ² of each row
 * @param score     the negative ELBO at z = μ of each row, nats
 * @param perColumn each row's reconstruction term per column, nats (as {@link Scores#perColumn()}), or null unless
 *                  asked for
 */
public record Embedding(float[][] mu, float[][] logVar, double[] score, float[][] perColumn) {
}
