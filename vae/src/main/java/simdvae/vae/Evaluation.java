package simdvae.vae;

/**
 * Mean per-row loss on a data set ({@link Vae#evaluate}): the negative ELBO, the reconstruction's negative
 * log-likelihood plus KL, in nats.
 *
 * @param sampled with one z drawn a row (seeded, so repeatable)
 * @param atMean  with z = μ
 */
public record Evaluation(double sampled, double atMean) {
}
