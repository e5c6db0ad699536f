package simdvae.core;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Width selection, in one place. A width is requested as {@code auto}, {@code scalar}, 64, 128, 256 or 512 bits
 * through {@link #choose(Width)}, the process-wide default ({@link #setDefault(Width)}), or the system property
 * {@value #WIDTH_PROPERTY}. The answer is a {@link Choice} that says which width runs and why.
 *
 * <p>Widths above the CPU's preferred vector size are refused: the Vector API would emulate them in Java, orders of
 * magnitude slower, without saying so. A JVM started without {@code --add-modules jdk.incubator.vector} or without
 * the C2 compiler gets scalar kernels under {@code auto}, and the reason names the missing piece.
 */
public final class Simd {
    /** System property read for the default width: {@code auto|scalar|64|128|256|512}. */
    public static final String WIDTH_PROPERTY = "simdvae.width";

    private static final String MODULE = "jdk.incubator.vector";
    private static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule(MODULE).isPresent();
    private static final String NO_C2 = detectMissingC2();
    private static final int MAX_BITS = MODULE_PRESENT ? Species.preferredBits() : 0;
    /** Why fused multiply-adds run in software here, or null when the CPU does them (or we cannot tell). */
    private static final String NO_FMA = detectMissingFma();

    private static volatile Width defaultRequest;

    private Simd() {
    }

    /**
     * A resolved width: what runs, and why this one; and the vector register file the JIT has at that width, which
     * sizes the GEMM's register tile.
     *
     * @param width     the fixed width that runs (never auto)
     * @param reason    why: requested, auto's pick, or the fallback's cause
     * @param registers the vector registers C2 allocates from at this width ({@link RegisterFile#NONE} for scalar)
     */
    public record Choice(Width width, String reason, RegisterFile registers) {
        /** Refuses auto: a choice is resolved. */
        public Choice {
            if (width == Width.AUTO) {
                throw new IllegalArgumentException("a choice is a fixed width, not auto");
            }
            if ((width == Width.SCALAR) != (registers.count() == 0)) {
                throw new IllegalArgumentException("width " + width + " with " + registers);
            }
        }

        /** A choice with the register file this JVM has at its width (or {@value RegisterFile#PROPERTY}). */
        Choice(Width width, String reason) {
            this(width, reason, RegisterFile.of(width == Width.AUTO ? 0 : width.bits));
        }

        /**
         * The same width with another register file: how tests and benchmarks run every tile on one machine.
         *
         * @param count 16 or 32
         * @param by    who forces it, for the reason
         * @return the choice; this one for scalar, which has no vector registers
         */
        public Choice withRegisters(int count, String by) {
            return width == Width.SCALAR ? this : new Choice(width, reason, RegisterFile.forced(count, by));
        }

        /**
         * Floats per vector.
         *
         * @return the lane count; 1 for scalar
         */
        public int lanes() {
            return width == Width.SCALAR ? 1 : width.bits / Float.SIZE;
        }

        @Override
        public String toString() {
            return width.spelling() + " (" + reason + ")";
        }
    }

    /**
     * Whether {@code jdk.incubator.vector} is in the boot layer (the JVM got {@code --add-modules}).
     *
     * @return true when the Vector API can be used
     */
    public static boolean vectorModulePresent() {
        return MODULE_PRESENT;
    }

    /**
     * The widest vector width the CPU runs natively.
     *
     * @return bits; 0 when vectors are not available at all
     */
    public static int maxBits() {
        return MAX_BITS;
    }

    /**
     * Every fixed width this JVM and CPU run natively.
     *
     * @return the widths, scalar first
     */
    public static List<Width> supportedWidths() {
        List<Width> widths = new ArrayList<>();
        for (Width w : Width.FIXED) {
            if (w == Width.SCALAR || w.bits <= MAX_BITS) {
                widths.add(w);
            }
        }
        return List.copyOf(widths);
    }

    /**
     * Resolves a request.
     *
     * @param request a width, or auto
     * @return what runs, and why
     * @throws UnsupportedWidthException for a vector width this JVM or CPU cannot run natively
     */
    public static Choice choose(Width request) {
        if (request == Width.SCALAR) {
            return new Choice(Width.SCALAR, "requested");
        }
        if (request == Width.AUTO) {
            if (!MODULE_PRESENT) {
                return new Choice(Width.SCALAR, missingModuleMessage());
            }
            if (NO_C2 != null) {
                return new Choice(Width.SCALAR, NO_C2 + ": the Vector API would run unoptimised, so auto picks scalar");
            }
            return new Choice(Width.ofBits(MAX_BITS), "auto: the CPU's preferred species is " + MAX_BITS + " bits"
                    + (NO_FMA == null ? "" : "; warning: " + NO_FMA));
        }
        if (!MODULE_PRESENT) {
            throw new UnsupportedWidthException("width " + request + " needs " + missingModuleMessage());
        }
        if (request.bits > MAX_BITS) {
            throw new UnsupportedWidthException("width " + request + " is not supported by this CPU (widest native vector: "
                    + MAX_BITS + " bits); use auto, scalar or a width up to " + MAX_BITS);
        }
        String note = NO_C2 == null ? "requested" : "requested; warning: " + NO_C2;
        if (NO_FMA != null) {
            note += "; warning: " + NO_FMA;
        }
        return new Choice(request, note);
    }

    /**
     * Work, in floating-point operations, below which {@link #chooseFor} picks the scalar kernels for {@code auto}:
     * until C2 has compiled them, vector kernels run interpreted or in C1 and box every vector, a warm-up of 1.5-2 s
     * of a core that a job this small never earns back (the scalar kernels compile in a tenth of that and run at 2-3
     * GFLOP/s). Every width gives the same bits, so this changes only the speed.
     */
    public static final double SMALL_JOB_FLOPS = 4e9;

    /**
     * {@link #choose(Width)} for a job of about {@code flops} floating-point operations: {@code auto} picks the
     * scalar kernels for a job below {@link #SMALL_JOB_FLOPS}.
     *
     * @param request a width, or auto
     * @param flops   the job's work, estimated
     * @return what runs, and why
     */
    public static Choice chooseFor(Width request, double flops) {
        if (request == Width.AUTO && flops < SMALL_JOB_FLOPS) {
            return new Choice(Width.SCALAR, String.format("auto: a small job (%.2f GFLOP), which the vector kernels'"
                    + " JIT warm-up would cost more than it saves", flops / 1e9));
        }
        return choose(request);
    }

    /**
     * The process-wide default: the width set by {@link #setDefault(Width)}, else the system property
     * {@value #WIDTH_PROPERTY}, else {@code auto}.
     *
     * @return the default, resolved
     * @throws UnsupportedWidthException if the property names an unsupported width
     * @throws IllegalArgumentException if the property is not a width
     */
    public static Choice current() {
        Width request = defaultRequest;
        if (request == null) {
            String property = System.getProperty(WIDTH_PROPERTY);
            request = property == null ? Width.AUTO : Width.parse(property);
        }
        return choose(request);
    }

    /**
     * Sets the process-wide default (validated now).
     *
     * @param request the default; {@code null} returns to the property or auto
     */
    public static void setDefault(Width request) {
        if (request != null) {
            choose(request);
        }
        defaultRequest = request;
    }

    private static String missingModuleMessage() {
        return MODULE + " is not available: start java with --add-modules " + MODULE + " (scalar kernels only)";
    }

    /**
     * Says so when HotSpot has no hardware fused multiply-add ({@code UseFMA} false: a CPU without FMA3, or
     * {@code -XX:UseAVX=0}): every kernel's FMA chain, which the determinism contract rests on, then runs
     * {@code Math.fma} in software, thousands of times slower. Null when FMA is in hardware or the flag is unreadable.
     */
    private static String detectMissingFma() {
        return "false".equals(HotSpotFlags.value("UseFMA")) ? "no hardware fused multiply-add (UseFMA=false): every"
                + " kernel's FMAs run in software, thousands of times slower" : null;
    }

    /** Names the flag that keeps C2 from compiling, or null when C2 runs. */
    private static String detectMissingC2() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint)";
        }
        try {
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                    return "C2 is off (" + arg + ")";
                }
                if (arg.equals("-XX:-UseCompiler")) {
                    return "the JIT is off (" + arg + ")";
                }
            }
        } catch (RuntimeException | LinkageError e) {
            return null; // no management module: nothing to learn, assume a normal JVM
        }
        return null;
    }
}
