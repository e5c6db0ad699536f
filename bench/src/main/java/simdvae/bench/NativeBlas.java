package simdvae.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which native BLAS the {@code netlib-native} baseline runs on: the library the dynamic linker resolves for
 * {@code libblas.so.3} (what netlib's JNI binding loads). Debian may point it at OpenBLAS or at the reference BLAS,
 * about 20× slower; a figure from the wrong one is not an OpenBLAS figure. Asks the library itself
 * ({@code openblas_get_config}) through the Foreign Function API, and reads its path from {@code /proc/self/maps}.
 */
@SuppressWarnings("restricted") // the launcher starts the bench with --enable-native-access=ALL-UNNAMED
record NativeBlas(boolean found, boolean openBlas, String description) {
    static final String LIBRARY = "libblas.so.3";

    static NativeBlas probe() {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            return new NativeBlas(false, false, "none: no " + LIBRARY + " on this machine (install"
                    + " libopenblas0-pthread), so no netlib-native column");
        }
        String path = mappedPath().orElse(LIBRARY);
        Optional<MemorySegment> config = lookup.find("openblas_get_config");
        if (config.isEmpty()) {
            return new NativeBlas(true, false, "NOT OpenBLAS: " + path + " (likely the reference BLAS, ~20× slower;"
                    + " install libopenblas0-pthread)");
        }
        try {
            MethodHandle get = Linker.nativeLinker().downcallHandle(config.get(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment s = (MemorySegment) get.invokeExact();
            String text = s.reinterpret(256).getString(0).strip();
            boolean sse = text.matches("(?i).*\\b(Prescott|Core2|Penryn|Dunnington|Nehalem|Atom|Katmai|Banias)\\b.*");
            String coretype = getenv("OPENBLAS_CORETYPE");
            return new NativeBlas(true, true, text + " (" + path + ")"
                    + (coretype != null ? ", kernel chosen by OPENBLAS_CORETYPE=" + coretype : "")
                    + (sse && coretype == null ? "; WARNING: an SSE kernel, far below what this CPU can do (set"
                    + " OPENBLAS_CORETYPE)" : ""));
        } catch (Throwable e) {
            return new NativeBlas(true, true, "OpenBLAS (" + path + "; its configuration could not be read: " + e
                    + ")");
        }
    }

    /**
     * Asks OpenBLAS for one of its kernels ({@code OPENBLAS_CORETYPE}) in this process, before the library is loaded:
     * OpenBLAS reads the variable once, when it loads, so a benchmark fork can run Haswell's AVX2 kernel or an SSE one
     * beside ours without its own environment. Call it before anything loads {@code libblas.so.3}.
     *
     * @param coretype an OpenBLAS core name (Haswell, Nehalem, SkylakeX, ...)
     */
    static void useCoretype(String coretype) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT));
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) setenv.invokeExact(arena.allocateFrom("OPENBLAS_CORETYPE"), arena.allocateFrom(coretype),
                        1);
                if (rc != 0) {
                    throw new IllegalStateException("setenv failed");
                }
            }
        } catch (Throwable e) {
            throw new IllegalStateException("skipped: cannot set OPENBLAS_CORETYPE=" + coretype + " here: " + e, e);
        }
    }

    /** The C library's view of the environment (which {@link #useCoretype} changes; Java's copy does not see it). */
    private static String getenv(String name) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment v = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
                return v.equals(MemorySegment.NULL) ? null : v.reinterpret(256).getString(0);
            }
        } catch (Throwable e) {
            return System.getenv(name);
        }
    }

    /** Where the loaded libblas lives, from this process's memory map (Linux); empty elsewhere. */
    private static Optional<String> mappedPath() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .map(l -> l.replaceFirst("^\\S+(\\s+\\S+){4}\\s+", ""))
                    .filter(p -> p.contains("libblas") || p.contains("libopenblas")).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
