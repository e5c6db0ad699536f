package simdvae.core;

/**
 * The determinism contract's check: two results are the same bits, element by element (so −0 ≠ +0 and NaN payloads
 * count). Tests and benchmarks compare every vector kernel with its scalar reference through this one method; an
 * application can check its own runs the same way.
 */
public final class BitEquality {
    private BitEquality() {
    }

    /**
     * Throws unless {@code actual} holds exactly the bits of {@code expected}.
     *
     * @param expected the reference result
     * @param actual   the result to check
     * @param what     what was computed, for the message
     * @throws IllegalStateException naming the first differing element (values and bits), or the lengths
     */
    public static void require(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(what + ": lengths differ: " + expected.length + " vs " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToRawIntBits(expected[i]);
            int a = Float.floatToRawIntBits(actual[i]);
            if (e != a) {
                throw new IllegalStateException(what + ": element " + i + " differs: expected " + expected[i] + " ("
                        + Integer.toHexString(e) + "), got " + actual[i] + " (" + Integer.toHexString(a) + ")");
            }
        }
    }
}
