package simdvae.vae.decide;

/**
 * One statistical test's outcome. The p-value is kept as its natural logarithm, so that tests far in the tail (a
 * shifted column over a large batch) still compare with each other where the p-values themselves underflow to 0.
 *
 * @param test             which test: {@code "ks"} (two-sample Kolmogorov–Smirnov), {@code "chi2"} (Pearson χ²
 *                         of a 2 × k table), {@code "fisher"} (Pearson χ² of a 2 × 2 table, p-value from Fisher's
 *                         exact test), or {@code "none"} (nothing to test: an empty sample or a single category;
 *                         p = 1)
 * @param statistic        D for {@code ks}, X² for {@code chi2} and {@code fisher}, 0 for {@code none}
 * @param degreesOfFreedom the χ² degrees of freedom (1 for {@code fisher}; 0 for {@code ks} and {@code none})
 * @param logP             ln p, at most 0
 */
public record TestResult(String test, double statistic, int degreesOfFreedom, double logP) {
    /** The outcome of a test that could not run: p = 1. */
    public static final TestResult NONE = new TestResult("none", 0, 0, 0);

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when ln p is above 0 or NaN, or the statistic is NaN
     */
    public TestResult {
        if (!(logP <= 0)) {
            throw new IllegalArgumentException("a log p-value must be at most 0, got " + logP);
        }
        if (Double.isNaN(statistic) || degreesOfFreedom < 0 || test == null) {
            throw new IllegalArgumentException("a test result needs a name, a statistic and degrees of freedom ≥ 0");
        }
    }

    /**
     * The p-value, e^logP (0 when it underflows).
     *
     * @return p, in [0, 1]
     */
    public double p() {
        return Math.exp(logP);
    }

    /**
     * Whether the test ran (it had two non-empty samples and more than one category).
     *
     * @return whether it ran
     */
    public boolean ran() {
        return !"none".equals(test);
    }
}
