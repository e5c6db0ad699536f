package simdvae.vae.model;

/**
 * An enum of simdvae's whose values are spelled on the command line, in reports and in metrics as {@link Spelling}
 * spells them: the constant in lower case. Its {@code parse(text)} is {@link Spelling#parse}.
 */
public interface Spelled {
    /**
     * The name used on the command line, in reports and in metrics.
     *
     * @return the constant's name in lower case ({@code gaussian}, {@code standardize}, {@code keras}, …)
     */
    default String spelling() {
        return Spelling.of((Enum<?>) this);
    }
}
