package simdvae.vae.decide;

/**
 * The log-gamma function and the regularized upper incomplete gamma function Q(a, x), in log space too: a χ²
 * p-value is Q(df/2, X²/2), and drift reports rank columns by p-values far below the smallest double, so the tail is
 * computed as a logarithm from the start rather than as the log of an underflowed number.
 *
 * <p>Q is evaluated as Numerical Recipes does: below x = a + 1 from the series of P = 1 − Q (which converges there),
 * above it from the continued fraction of Q (modified Lentz), whose prefactor x^a e^(−x) / Γ(a) is taken in logs.
 */
public final class Gamma {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    private static final double EPS = 1e-16;
    private static final double TINY = 1e-300;
    private static final int MAX_ITERATIONS = 1_000_000;

    private Gamma() {
    }

    /**
     * ln Γ(x) for x &gt; 0: Stirling's series at x ≥ 15 (its first omitted term is below 2·10⁻¹⁶ there), and below,
     * the recurrence Γ(x) = Γ(x + k) / (x (x + 1) … (x + k − 1)) to reach 15.
     *
     * @param x a positive number
     * @return ln Γ(x)
     * @throws IllegalArgumentException when x is not a positive number
     */
    public static double logGamma(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("log-gamma needs a finite positive number, got " + x);
        }
        double shift = 0;
        double product = 1;
        while (x < 15) {
            product *= x;
            x += 1;
            // the product stays far from overflow: at most 15 factors below 15
        }
        if (product != 1) {
            shift = Math.log(product);
        }
        double inv = 1 / x;
        double inv2 = inv * inv;
        // Bernoulli terms B_2k / (2k (2k − 1) x^(2k − 1)), k = 1..5
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680
                - inv2 * (1.0 / 1188)))));
        return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series - shift;
    }

    /**
     * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a).
     *
     * @param a the shape, positive
     * @param x the point, at least 0 (+∞ gives 0)
     * @return Q(a, x), in [0, 1]
     * @throws IllegalArgumentException when a is not positive and finite or x is negative or NaN
     */
    public static double regularizedQ(double a, double x) {
        return Math.exp(logRegularizedQ(a, x));
    }

    /**
     * ln Q(a, x), accurate where Q itself underflows (large x).
     *
     * @param a the shape, positive
     * @param x the point, at least 0 (+∞ gives −∞)
     * @return ln Q(a, x), at most 0
     * @throws IllegalArgumentException when a is not positive and finite or x is negative or NaN
     */
    public static double logRegularizedQ(double a, double x) {
        if (!(a > 0) || a == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("the incomplete gamma function needs a finite positive shape, got " + a);
        }
        if (!(x >= 0)) {
            throw new IllegalArgumentException("the incomplete gamma function needs a point of at least 0, got " + x);
        }
        if (x == 0) {
            return 0;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x < a + 1) {
            return Math.log1p(-lowerSeries(a, x));
        }
        return logUpperFraction(a, x);
    }

    /** P(a, x) from its series Σ x^n / (a (a + 1) … (a + n)), times x^a e^(−x) / Γ(a); for x &lt; a + 1. */
    private static double lowerSeries(double a, double x) {
        double ap = a;
        double term = 1 / a;
        double sum = term;
        for (int n = 0; n < MAX_ITERATIONS; n++) {
            ap += 1;
            term *= x / ap;
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPS) {
                double p = sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
                return Math.min(1, p);
            }
        }
        throw new IllegalStateException("the incomplete gamma series did not converge for a = " + a + ", x = " + x);
    }

    /** ln Q(a, x) from its continued fraction (modified Lentz), for x ≥ a + 1. */
    private static double logUpperFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = b + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                return Math.min(0, -x + a * Math.log(x) - logGamma(a) + Math.log(h));
            }
        }
        throw new IllegalStateException("the incomplete gamma fraction did not converge for a = " + a + ", x = " + x);
    }

    /**
     * ln of the χ² distribution's survival function: ln P(χ²_df &gt; x) = ln Q(df / 2, x / 2).
     *
     * @param x  the statistic, at least 0
     * @param df the degrees of freedom, positive
     * @return the log p-value, at most 0
     * @throws IllegalArgumentException when df is not positive or x is negative or NaN
     */
    public static double logChiSquareSurvival(double x, double df) {
        return logRegularizedQ(df / 2, x / 2);
    }
}
