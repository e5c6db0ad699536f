package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import simdvae.cli.Main;

/**
 * The width rules as a user meets them, in JVMs set up to differ from this one: vectors capped at 128 bits
 * ({@code -XX:MaxVectorSize=16}, as on a CPU without AVX2), a JVM started without the Vector API module, and one
 * without C2. {@link WidthProbe} reports what {@code auto} and {@link simdvae.kernels.Kernels#current()} give there.
 */
class WidthRefusalTest {
    record Result(int code, String stderr) {
    }

    static Result cli(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        return run(Main.class, jvmFlags, args);
    }

    static Result run(Class<?> main, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), err);
    }

    static List<String> lines(String err) {
        return err.lines().filter(l -> !l.startsWith("WARNING")).toList();
    }

    @Test
    void aWidthAboveTheCpuIsRefusedWithOneLine() throws Exception {
        Result r = cli(List.of("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=16"), "train", "--width",
                "256", "--epochs", "1");
        assertEquals(1, r.code(), r.stderr());
        List<String> lines = lines(r.stderr());
        assertEquals(1, lines.size(), r.stderr());
        assertTrue(lines.get(0).equals("simdvae: width 256 is not supported by this CPU (widest native vector: 128"
                + " bits); use auto, scalar or a width up to 128"), lines.get(0));
    }

    @Test
    void withoutTheVectorModuleAutoRunsScalarAndExplicitWidthsAreRefused() throws Exception {
        Result r = cli(List.of(), "train", "--width", "256", "--epochs", "1");
        assertEquals(1, r.code(), r.stderr());
        List<String> lines = lines(r.stderr());
        assertEquals(1, lines.size(), r.stderr());
        assertTrue(lines.get(0).contains("start java with --add-modules jdk.incubator.vector"), lines.get(0));
        Result auto = run(WidthProbe.class, List.of());
        assertEquals(0, auto.code(), auto.stderr());
        assertEquals(List.of("auto: scalar (jdk.incubator.vector is not available: start java with --add-modules"
                + " jdk.incubator.vector (scalar kernels only))", "kernels: scalar"), lines(auto.stderr()));
    }

    /** With the module but C2 off, the Vector API would run unoptimised (far slower than scalar): auto says so. */
    @Test
    void withoutC2AutoRunsScalarAndSaysWhy() throws Exception {
        Result r = run(WidthProbe.class, List.of("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1"));
        assertEquals(0, r.code(), r.stderr());
        List<String> lines = lines(r.stderr());
        assertEquals(2, lines.size(), r.stderr());
        assertTrue(lines.get(0).startsWith("auto: scalar (C2 is off (-XX:TieredStopAtLevel=1)"), lines.get(0));
        assertEquals("kernels: scalar", lines.get(1));
    }

    /** The same JVM as these tests (module and C2 on): auto is the CPU's widest vector, and says so. */
    @Test
    void withTheModuleAndC2AutoRunsTheWidestVector() throws Exception {
        Result r = run(WidthProbe.class, List.of("--add-modules", "jdk.incubator.vector"));
        assertEquals(0, r.code(), r.stderr());
        List<String> lines = lines(r.stderr());
        assertEquals("kernels: " + simdvae.core.Simd.choose(simdvae.core.Width.AUTO).width().spelling(), lines.get(1),
                r.stderr());
        assertTrue(lines.get(0).contains("auto: the CPU's preferred species"), lines.get(0));
    }
}
