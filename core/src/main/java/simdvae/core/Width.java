package simdvae.core;

import java.util.Locale;

/**
 * A SIMD width request: {@code scalar}, a fixed vector size in bits, or {@code auto} (the CPU's preferred size).
 * {@link Simd} turns a request into a {@link Simd.Choice}; this enum only names the options.
 */
public enum Width {
    /** The CPU's preferred vector size, or scalar where vectors would not run well. */
    AUTO(-1),
    /** Plain Java, no vectors: the reference. */
    SCALAR(0),
    /** 64-bit vectors (2 floats). */
    W64(64),
    /** 128-bit vectors (4 floats). */
    W128(128),
    /** 256-bit vectors (8 floats). */
    W256(256),
    /** 512-bit vectors (16 floats). */
    W512(512);

    /** Vector size in bits; 0 for scalar, -1 for auto. */
    public final int bits;

    Width(int bits) {
        this.bits = bits;
    }

    /** The fixed widths, narrowest first (no {@link #AUTO}). */
    public static final Width[] FIXED = {SCALAR, W64, W128, W256, W512};

    /**
     * Parses {@code auto}, {@code scalar}, {@code 64}, {@code 128}, {@code 256} or {@code 512}.
     *
     * @param text the spelling (case and surrounding spaces ignored; {@code 0} means scalar)
     * @return the width
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Width parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto" -> AUTO;
            case "scalar", "0" -> SCALAR;
            case "64" -> W64;
            case "128" -> W128;
            case "256" -> W256;
            case "512" -> W512;
            default -> throw new IllegalArgumentException(
                    "unknown SIMD width '" + text + "': use auto, scalar, 64, 128, 256 or 512");
        };
    }

    /**
     * The fixed width of {@code bits} bits.
     *
     * @param bits 0 (scalar), 64, 128, 256 or 512
     * @return the width
     * @throws IllegalStateException for any other size (no width has it)
     */
    public static Width ofBits(int bits) {
        for (Width w : FIXED) {
            if (w.bits == bits) {
                return w;
            }
        }
        throw new IllegalStateException("no width of " + bits + " bits");
    }

    /**
     * The spelling {@link #parse} accepts.
     *
     * @return auto, scalar or the number of bits
     */
    public String spelling() {
        return this == AUTO ? "auto" : this == SCALAR ? "scalar" : Integer.toString(bits);
    }

    @Override
    public String toString() {
        return spelling();
    }
}
