package simdvae.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CounterRngTest {
    /** Known-answer tests of Philox4x32-10 from Random123's kat_vectors (first two output words). */
    @Test
    void matchesThePhiloxKnownAnswers() {
        assertEquals(0xe169c58d6627e8d5L, new CounterRng(0).bits(0, 0));
        assertEquals(0x41c83b0e408f276dL, new CounterRng(-1).bits(-1, -1));
        assertEquals(0x94fdccebd16cfe09L,
                new CounterRng(0x299f31d0a4093822L).bits(0x0370734413198a2eL, 0x85a308d3243f6a88L));
    }

    @Test
    void drawsArePureFunctionsOfSeedStreamAndIndex() {
        CounterRng a = new CounterRng(42);
        CounterRng b = new CounterRng(42);
        double[] forward = new double[1000];
        for (int i = 0; i < 1000; i++) {
            forward[i] = a.normal(7, i);
        }
        for (int i = 999; i >= 0; i--) {
            assertEquals(forward[i], b.normal(7, i), "draw order must not matter");
        }
        assertNotEquals(a.bits(0, 1), a.bits(1, 0));
        assertNotEquals(new CounterRng(1).bits(0, 0), new CounterRng(2).bits(0, 0));
    }

    @Test
    void normalsHaveMeanZeroAndVarianceOne() {
        CounterRng r = new CounterRng(123);
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        double fourth = 0;
        for (int i = 0; i < n; i++) {
            double z = r.normal(3, i);
            sum += z;
            sq += z * z;
            fourth += z * z * z * z;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        // standard errors: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032, fourth moment √(96/n) ≈ 0.022
        assertEquals(0, mean, 0.012);
        assertEquals(1, var, 0.016);
        assertEquals(3, fourth / n, 0.11);
    }

    @Test
    void boundedIntsCoverTheRangeEvenly() {
        CounterRng r = new CounterRng(9);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[r.nextInt(0, i, 10)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 10_000) < 500, "bucket count " + c);
        }
    }
}
