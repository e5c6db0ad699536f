package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import simdvae.vae.cli.Main;

/**
 * The width rules as a user meets them, in JVMs set up to differ from this one: vectors capped at 128 bits
 * ({@code -XX:MaxVectorSize=16}, as on a CPU without AVX2), and a JVM started without the Vector API module.
 */
class WidthRefusalTest {
    record Result(int code, String stderr) {
    }

    static Result cli(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
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
    }
}
