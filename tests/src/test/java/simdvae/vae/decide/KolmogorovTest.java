package simdvae.vae.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Kolmogorov distribution's survival function and the two-sample p-value, against SciPy 1.10. */
class KolmogorovTest {
    @Test
    void survivalMatchesScipy() {
        // scipy.special.kolmogorov(λ) and numpy.log of it; 1.1799 and 1.18 sit on either side of the switch of series
        double[][] known = {{0.3, 0.9999906941986655}, {0.5, 0.9639452436648751}, {0.8, 0.5441424115741981},
            {1.0, 0.26999967167735456}, {1.1799, 0.12351204971188676}, {1.18, 0.1234538094297657},
            {1.3581, 0.0499996304316674}, {2, 0.0006709252557796953}, {3, 3.045995948942526e-08}};
        for (double[] k : known) {
            assertEquals(k[1], Kolmogorov.survival(k[0]), 1e-14 + 1e-13 * k[1], "Q_KS(" + k[0] + ")");
        }
        assertEquals(1.0, Kolmogorov.survival(0.1));
        assertEquals(1.0, Kolmogorov.survival(0));
        // far in the tail, where only the logarithm is representable below e^−745: ln 2 − 2λ² to rounding
        assertEquals(-199.30685281944005, Kolmogorov.logSurvival(10), 1e-12);
        assertEquals(Math.log(2) - 2e6, Kolmogorov.logSurvival(1000), 1e-9);
    }

    @Test
    void survivalDecreasesSmoothlyAcrossItsTwoSeries() {
        double previous = 1;
        for (double l = 0; l < 6; l += 1e-3) {
            double q = Kolmogorov.survival(l);
            assertTrue(q <= previous, "λ = " + l);
            previous = q;
        }
        // one ulp below 1.18 the other series answers: the true change over one ulp is about 2e-16, so the two
        // series must agree there to rounding
        double below = Kolmogorov.survival(Math.nextDown(1.18));
        double at = Kolmogorov.survival(1.18);
        assertEquals(below, at, 1e-14);
    }

    @Test
    void twoSamplePValueMatchesScipyWithStephensCorrection() {
        // numpy.log(scipy.special.kolmogorov((√e + 0.12 + 0.11/√e) · d)), e = n m / (n + m)
        double[][] known = {{0.1, 500, 200, -2.2262577708529805}, {0.05, 10000, 20000, -32.739339368222964},
            {0.3, 30, 40, -2.6149478444293535}, {0.02, 5000, 100000, -3.1298241661190267}};
        for (double[] k : known) {
            assertEquals(k[3], Kolmogorov.logTwoSamplePValue(k[0], (long) k[1], (long) k[2]), 1e-12 * -k[3],
                    "D = " + k[0] + ", n = " + k[1] + ", m = " + k[2]);
        }
        assertEquals(0.0, Kolmogorov.logTwoSamplePValue(0, 10, 10));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Kolmogorov.survival(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Kolmogorov.survival(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Kolmogorov.logTwoSamplePValue(1.5, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> Kolmogorov.logTwoSamplePValue(0.5, 0, 10));
    }
}
