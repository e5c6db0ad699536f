package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;
import simdvae.core.BitEquality;
import simdvae.core.Width;

class ExpTest {
    static final float[] EDGES = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 88.7228394f,
        88.72284f, 88.7229f, 89f, 100f, -87.33655f, -87.3366f, -100f, -103.27893f, -103.972f, -103.9721f, -104f,
        -110f, -200f, 0.34657359f, -0.34657359f, 1e-8f, -1e-8f, 1e-30f, 20f, -20f};

    /** ulps between two non-negative floats (exp's results), by their bit patterns, which are ordered. */
    static int ulpDistance(float a, float b) {
        return Math.abs(Float.floatToIntBits(a) - Float.floatToIntBits(b));
    }

    static float correctlyRounded(float x) {
        return (float) Math.exp(x);
    }

    @Test
    void specialValuesHaveDefinedResults() {
        assertTrue(Float.isNaN(ExpScalar.exp(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, ExpScalar.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, ExpScalar.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, ExpScalar.exp(88.7229f), "overflow");
        assertEquals(Float.POSITIVE_INFINITY, ExpScalar.exp(Float.MAX_VALUE), "overflow");
        assertEquals(0f, ExpScalar.exp(-104f), "underflow");
        assertEquals(0f, ExpScalar.exp(-Float.MAX_VALUE), "underflow");
        assertEquals(1f, ExpScalar.exp(0f));
        assertEquals(1f, ExpScalar.exp(-0f));
        float sub = ExpScalar.exp(-100f);
        assertTrue(sub > 0 && sub < Float.MIN_NORMAL, "gradual underflow into the subnormals: " + sub);
    }

    @Test
    void withinOneUlpOnEdgeValues() {
        for (float x : EDGES) {
            if (!Float.isNaN(x)) {
                float got = ExpScalar.exp(x);
                assertTrue(ulpDistance(got, correctlyRounded(x)) <= 1, "exp(" + x + ") = " + got + " vs "
                        + correctlyRounded(x));
            }
        }
    }

    /** A sweep over every 61st float of the whole range where exp is neither 0 nor ∞, plus all bit patterns. */
    @Test
    void withinOneUlpAcrossTheWholeRange() {
        int worst = 0;
        float worstX = 0;
        for (float lo : new float[] {-104f, 0f}) {
            int from = Float.floatToIntBits(lo == 0f ? 0f : -0f);
            int to = Float.floatToIntBits(lo == 0f ? 89f : -104f);
            for (int bits = from; bits <= to; bits += 61) {
                float x = Float.intBitsToFloat(bits);
                int d = ulpDistance(ExpScalar.exp(x), correctlyRounded(x));
                if (d > worst) {
                    worst = d;
                    worstX = x;
                }
            }
        }
        assertTrue(worst <= 1, "max error " + worst + " ulp at x = " + worstX);
    }

    @Test
    void withinOneUlpOnRandomFloats() {
        qt().withExamples(200_000).forAll(integers().all()).checkAssert(bits -> {
            float x = Float.intBitsToFloat(bits);
            float got = ExpScalar.exp(x);
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(got));
            } else {
                assertTrue(ulpDistance(got, correctlyRounded(x)) <= 1, "exp(" + x + ") = " + got);
            }
        });
    }

    @Test
    void everyWidthEqualsTheScalarReferenceBitForBit() {
        TestSupport.requireVectorWidth();
        SeededCases.check(100, TestSupport.size(1000), integers().between(0, 7), (n, off, r) -> {
            float[] x = new float[off + n];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(4) == 0 ? Float.intBitsToFloat(r.nextInt())
                        : r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : (float) (r.nextDouble() * 220 - 115);
            }
            float[] expExpected = new float[off + n];
            float[] sigExpected = new float[off + n];
            float[] dy = TestSupport.gaussian(r, off + n, 3);
            float[] backExpected = new float[off + n];
            ExpScalar.INSTANCE.exp(x, off, expExpected, off, n);
            ExpScalar.INSTANCE.sigmoid(x, off, sigExpected, off, n);
            ExpScalar.INSTANCE.sigmoidBackward(sigExpected, off, dy, off, backExpected, off, n);
            for (Width w : TestSupport.vectorWidths()) {
                float[] e = new float[off + n];
                float[] s = new float[off + n];
                float[] back = new float[off + n];
                Kernels.of(w).exp().exp(x, off, e, off, n);
                Kernels.of(w).exp().sigmoid(x, off, s, off, n);
                Kernels.of(w).exp().sigmoidBackward(sigExpected, off, dy, off, back, off, n);
                BitEquality.require(expExpected, e, "exp at " + w + " n=" + n);
                BitEquality.require(sigExpected, s, "sigmoid at " + w + " n=" + n);
                BitEquality.require(backExpected, back, "sigmoidBackward at " + w + " n=" + n);
            }
        });
    }

    @Test
    void sigmoidIsAccurateAndFiniteForEveryFiniteInput() {
        qt().withExamples(100_000).forAll(integers().all()).checkAssert(bits -> {
            float x = Float.intBitsToFloat(bits);
            if (Float.isNaN(x)) {
                return;
            }
            float got = ExpScalar.sigmoid(x);
            double exact = 1 / (1 + Math.exp(-(double) x));
            assertTrue(got >= 0f && got <= 1f, "sigmoid(" + x + ") = " + got);
            assertTrue(Math.abs(got - exact) <= 3 * Math.ulp((float) exact) + Float.MIN_NORMAL,
                    "sigmoid(" + x + ") = " + got + " vs " + exact);
        });
    }
}
