package simdvae.vae.decide;

/**
 * The Kolmogorov distribution's survival function Q_KS(λ) = 2 Σ_{j ≥ 1} (−1)^(j−1) e^(−2 j² λ²) (in log space too),
 * and the two-sample Kolmogorov–Smirnov p-value built on it.
 *
 * <p>Two series give Q_KS to double precision with a handful of terms each: the alternating one above, fast for
 * large λ, and below λ = 1.18 Jacobi's transform 1 − Q_KS(λ) = (√(2π) / λ) Σ_{j ≥ 1} e^(−(2j − 1)² π² / (8 λ²)).
 */
public final class Kolmogorov {
    private static final double SWITCH = 1.18;
    private static final double SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_TWO = Math.log(2);

    private Kolmogorov() {
    }

    /**
     * Q_KS(λ) = P(K &gt; λ) for the Kolmogorov distribution (SciPy's {@code scipy.special.kolmogorov}).
     *
     * @param lambda the point, at least 0
     * @return the survival probability, in [0, 1]
     * @throws IllegalArgumentException when λ is negative or NaN
     */
    public static double survival(double lambda) {
        return Math.exp(logSurvival(lambda));
    }

    /**
     * ln Q_KS(λ), accurate where Q_KS underflows.
     *
     * @param lambda the point, at least 0
     * @return ln P(K &gt; λ), at most 0
     * @throws IllegalArgumentException when λ is negative or NaN
     */
    public static double logSurvival(double lambda) {
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("the Kolmogorov distribution needs a point of at least 0, got " + lambda);
        }
        if (lambda < SWITCH) {
            if (lambda < 0.05) {
                // the transform's first term is e^(−493): the survival is 1 to the last bit
                return 0;
            }
            double x = Math.exp(-Math.PI * Math.PI / (8 * lambda * lambda));
            double x8 = Math.pow(x, 8);
            // x + x⁹ + x²⁵ + x⁴⁹ (+ x⁸¹ < 10⁻³¹ · x at λ = 1.18)
            double sum = x * (1 + x8 * (1 + x8 * x8 * (1 + x8 * x8 * x8)));
            return Math.log1p(-SQRT_TWO_PI / lambda * sum);
        }
        double y = Math.exp(-2 * lambda * lambda);
        // Q = 2y (1 − y³ + y⁸ − y¹⁵); y ≤ e^(−2.78), so y²⁴ is below 10⁻²⁸
        double y3 = y * y * y;
        double rest = -y3 + y3 * y3 * y * y - y3 * y3 * y3 * y3 * y3;
        return LOG_TWO - 2 * lambda * lambda + Math.log1p(rest);
    }

    /**
     * ln of the two-sample Kolmogorov–Smirnov p-value of a statistic D between samples of {@code n} and {@code m}
     * rows, from the asymptotic distribution with Stephens' small-sample correction (as Numerical Recipes):
     * Q_KS((√e + 0.12 + 0.11 / √e) D) with the effective size e = n m / (n + m).
     *
     * @param d the statistic, in [0, 1]
     * @param n one sample's size, positive
     * @param m the other's, positive
     * @return the log p-value, at most 0
     * @throws IllegalArgumentException when D is outside [0, 1] or a size is not positive
     */
    public static double logTwoSamplePValue(double d, long n, long m) {
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("a Kolmogorov-Smirnov statistic must be in [0, 1], got " + d);
        }
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("a two-sample test needs two non-empty samples, got " + n + " and " + m);
        }
        double e = (double) n * m / ((double) n + m);
        double root = Math.sqrt(e);
        return logSurvival((root + 0.12 + 0.11 / root) * d);
    }
}
