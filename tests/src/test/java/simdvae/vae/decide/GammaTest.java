package simdvae.vae.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import org.junit.jupiter.api.Test;

/**
 * Log-gamma, the regularized upper incomplete gamma function and the χ² survival function: against values computed
 * independently (SciPy 1.10 and mpmath at 40 digits, the expression beside each), and against identities.
 */
class GammaTest {
    private static void close(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void logGammaMatchesKnownValues() {
        // scipy.special.gammaln(x)
        double[][] known = {{0.5, 0.5723649429247}, {1e-8, 18.42068073818021}, {3.7, 1.428072326665388},
            {10.5, 13.940625219403763}, {171.3, 708.1149470389971}, {1e6, 12815504.569147611},
            {1e10, 220258509288.81058}};
        for (double[] k : known) {
            close(k[1], Gamma.logGamma(k[0]), 1e-13, "lnΓ(" + k[0] + ")");
        }
        close(0.5 * Math.log(Math.PI), Gamma.logGamma(0.5), 1e-14, "lnΓ(1/2) = ln √π");
        double logFactorial = 0;
        for (int n = 1; n <= 40; n++) {
            // lnΓ(n) = ln (n − 1)!, summed directly
            assertEquals(logFactorial, Gamma.logGamma(n), 1e-13 * Math.max(1, logFactorial), "lnΓ(" + n + ")");
            logFactorial += Math.log(n);
        }
    }

    @Test
    void logGammaSatisfiesTheRecurrence() {
        // lnΓ(x + 1) = lnΓ(x) + ln x, across the switch to Stirling's series at 15
        qt().withExamples(2000).forAll(doubles().between(1e-3, 60)).checkAssert(x ->
                assertEquals(Gamma.logGamma(x) + Math.log(x), Gamma.logGamma(x + 1),
                        2e-14 * Math.max(1, Math.abs(Gamma.logGamma(x + 1))), "x = " + x));
    }

    @Test
    void upperIncompleteGammaMatchesKnownValues() {
        // scipy.special.gammaincc(a, x)
        double[][] known = {{0.5, 0.1, 0.6547208460185768}, {0.5, 2, 0.04550026389635857},
            {3, 2.5, 0.5438131158833297}, {10, 3, 0.9988975118698845}, {10, 20, 0.0049954123083075785},
            {100, 90, 0.84177901081357}, {100, 130, 0.002750408367306518}, {1000, 1100, 0.0010593232539299773},
            {2.5, 50, 5.285148360943219e-20}, {0.1, 1e-5, 0.6676015949594968}, {4.5, 4.5, 0.43727418891386693},
            {5000, 4900, 0.922055043773486}};
        for (double[] k : known) {
            close(k[2], Gamma.regularizedQ(k[0], k[1]), 1e-11, "Q(" + k[0] + ", " + k[1] + ")");
        }
        // mpmath: log(gammainc(a, x, inf, regularized=True)), where Q itself underflows or nearly
        double[][] tail = {{4.5, 5e4, -49964.584442574356477}, {4.5, 500, -480.69559775215862528},
            {0.5, 2000, -2004.3730660166381057}, {500, 2000, -811.97872848825284272}};
        for (double[] k : tail) {
            close(k[2], Gamma.logRegularizedQ(k[0], k[1]), 1e-13, "ln Q(" + k[0] + ", " + k[1] + ")");
        }
    }

    @Test
    void upperIncompleteGammaSatisfiesItsIdentities() {
        // Q(1, x) = e^−x, and Q(a + 1, x) = Q(a, x) + x^a e^−x / Γ(a + 1), on both sides of x = a + 1
        qt().withExamples(2000).forAll(doubles().between(0, 50)).checkAssert(x ->
                close(-x, Gamma.logRegularizedQ(1, x), 1e-12, "ln Q(1, " + x + ")"));
        qt().withExamples(3000).forAll(doubles().between(0.05, 80), doubles().between(1e-3, 120)).checkAssert((a, x) -> {
            double lhs = Gamma.regularizedQ(a + 1, x);
            double rhs = Gamma.regularizedQ(a, x) + Math.exp(a * Math.log(x) - x - Gamma.logGamma(a + 1));
            assertEquals(rhs, lhs, 1e-12, "a = " + a + ", x = " + x);
        });
        // non-increasing in x, from 1 at x = 0
        double previous = 1;
        for (double x = 0; x < 60; x += 0.25) {
            double q = Gamma.regularizedQ(7.5, x);
            assertTrue(q <= previous && q >= 0, "x = " + x);
            previous = q;
        }
        assertEquals(1.0, Gamma.regularizedQ(3, 0));
        assertEquals(Double.NEGATIVE_INFINITY, Gamma.logRegularizedQ(3, Double.POSITIVE_INFINITY));
    }

    @Test
    void chiSquareSurvivalMatchesKnownValues() {
        // scipy.stats.chi2.sf(x, df) and chi2.logsf(x, df)
        close(0.05, Math.exp(Gamma.logChiSquareSurvival(3.841458820694124, 1)), 1e-12, "χ²₁ at its 95% point");
        close(0.05, Math.exp(Gamma.logChiSquareSurvival(16.918977604620448, 9)), 1e-12, "χ²₉ at its 95% point");
        close(4.894437128029217e-06, Math.exp(Gamma.logChiSquareSurvival(30, 4)), 1e-11, "χ²₄ at 30");
        close(-480.6955977521586, Gamma.logChiSquareSurvival(1000, 9), 1e-13, "ln χ²₉ at 1000");
        close(0.4894866615843932, Math.exp(Gamma.logChiSquareSurvival(2000, 1999)), 1e-10, "χ²₁₉₉₉ at 2000");
        close(0.9188914116546758, Math.exp(Gamma.logChiSquareSurvival(0.5, 3)), 1e-12, "χ²₃ at 0.5");
        // two degrees of freedom: the survival is e^(−x/2) exactly
        qt().withExamples(1000).forAll(doubles().between(0, 3000)).checkAssert(x ->
                close(-x / 2, Gamma.logChiSquareSurvival(x, 2), 1e-12, "χ²₂ at " + x));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Gamma.logGamma(0));
        assertThrows(IllegalArgumentException.class, () -> Gamma.logGamma(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Gamma.regularizedQ(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Gamma.regularizedQ(1, -1));
        assertThrows(IllegalArgumentException.class, () -> Gamma.regularizedQ(1, Double.NaN));
    }
}
