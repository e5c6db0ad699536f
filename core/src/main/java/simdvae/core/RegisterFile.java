package simdvae.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How many vector registers the JIT allocates from at a width: what a GEMM register tile must fit in (accumulators,
 * B vectors and a broadcast), else C2 spills to the stack and says nothing. x86 CPUs without AVX-512 (Zen 2 and 3,
 * Intel client parts) have 16 (xmm/ymm 0–15); AVX-512 gives 32 at every width through AVX512VL; ARM (NEON, SVE),
 * RISC-V, POWER and z have 32 or more. On x86 it is the JVM's {@code UseAVX}, not the CPU, that decides: on an AVX-512
 * machine {@code -XX:UseAVX=2} leaves C2 only ymm0–15 (how to measure an AVX2 CPU on one), and {@code -XX:UseAVX=0}
 * SSE's 16 × 128 bits.
 *
 * @param count  16 or 32 (0 for scalar: no vector registers)
 * @param reason why this many: what was read, or that it was forced
 */
public record RegisterFile(int count, String reason) {
    /** System property that forces the count for tests and experiments: {@code 16} or {@code 32}. */
    public static final String PROPERTY = "simdvae.registers";

    /** The register file of scalar code: none is sized. */
    public static final RegisterFile NONE = new RegisterFile(0, "scalar: no vector registers");

    private static final String ARCH = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    private static final boolean X86 = ARCH.equals("amd64") || ARCH.equals("x86_64");
    /** HotSpot's UseAVX, or -1 when it cannot be read (another JVM, or no jdk.management). */
    private static final int USE_AVX = X86 ? useAvx() : -1;
    /** Whether the CPU has AVX512VL (EVEX encodings of 128- and 256-bit operations on registers 16–31). */
    private static final boolean AVX512VL = X86 && cpuHasAvx512vl();

    /** Refuses anything but 0, 16 and 32. */
    public RegisterFile {
        if (count != 0 && count != 16 && count != 32) {
            throw new IllegalArgumentException("a vector register file of " + count + " registers: use 16 or 32");
        }
    }

    /**
     * The register file C2 uses for vectors of {@code bits} bits in this JVM, unless {@value #PROPERTY} forces one.
     *
     * @param bits the vector width (0 for scalar)
     * @return the count and why
     * @throws IllegalArgumentException when the property is set to anything but 16 or 32
     */
    public static RegisterFile of(int bits) {
        if (bits == 0) {
            return NONE;
        }
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            return forced(parse(forced), "-D" + PROPERTY + "=" + forced.trim());
        }
        return detect(bits);
    }

    /**
     * A count forced by the caller (a test, a benchmark).
     *
     * @param count 16 or 32
     * @param by    who forced it, for the reason
     * @return the register file
     */
    public static RegisterFile forced(int count, String by) {
        return new RegisterFile(count, "forced by " + by);
    }

    /**
     * Parses a count.
     *
     * @param text {@code 16} or {@code 32}
     * @return the count
     * @throws IllegalArgumentException naming the accepted values
     */
    public static int parse(String text) {
        String t = text == null ? "" : text.trim();
        return switch (t) {
            case "16" -> 16;
            case "32" -> 32;
            default -> throw new IllegalArgumentException("unknown vector register count '" + text
                    + "': use 16 or 32");
        };
    }

    /** What this JVM gives C2 at {@code bits}, with the evidence. */
    static RegisterFile detect(int bits) {
        if (!X86) {
            return new RegisterFile(32, ARCH.equals("aarch64") ? "aarch64: NEON and SVE have 32 vector registers"
                    : ARCH + ": assumed 32 vector registers");
        }
        if (USE_AVX >= 3) {
            if (bits < 512 && !AVX512VL) {
                return new RegisterFile(16, "UseAVX=" + USE_AVX + " but no AVX512VL: registers 16-31 only at 512 bits");
            }
            return new RegisterFile(32, "UseAVX=" + USE_AVX + ": AVX-512's 32 vector registers");
        }
        if (USE_AVX >= 0) {
            return new RegisterFile(16, "UseAVX=" + USE_AVX + ": " + (USE_AVX == 0 ? "SSE's" : "AVX's")
                    + " 16 vector registers");
        }
        // UseAVX unreadable: only AVX-512 (EVEX, 32 registers) makes 512-bit vectors preferred.
        return Simd.maxBits() >= 512 ? new RegisterFile(32, "512-bit vectors: AVX-512's 32 vector registers")
                : new RegisterFile(16, "x86 without 512-bit vectors: 16 vector registers");
    }

    /** HotSpot's UseAVX flag, or -1 where it cannot be read. */
    private static int useAvx() {
        String v = HotSpotFlags.value("UseAVX");
        return v == null || !v.matches("[0-9]+") ? -1 : Integer.parseInt(v);
    }

    /** Whether /proc/cpuinfo lists avx512vl; true where it cannot be read (every AVX-512 server core has it). */
    private static boolean cpuHasAvx512vl() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return (" " + line + " ").contains(" avx512vl ");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return true;
    }

    @Override
    public String toString() {
        return count + " registers (" + reason + ")";
    }
}
