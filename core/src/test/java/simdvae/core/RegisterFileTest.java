package simdvae.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class RegisterFileTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(RegisterFile.PROPERTY);
    }

    @Test
    void everyVectorWidthHasSixteenOrThirtyTwoAndScalarNone() {
        for (Width w : Simd.supportedWidths()) {
            Simd.Choice c = Simd.choose(w);
            int count = c.registers().count();
            if (w == Width.SCALAR) {
                assertEquals(0, count);
            } else {
                assertTrue(count == 16 || count == 32, w + ": " + c.registers());
                assertTrue(!c.registers().reason().isBlank());
            }
        }
    }

    @Test
    void thePropertyForcesEitherFileAndRefusesOthersWithTheAcceptedValues() {
        System.setProperty(RegisterFile.PROPERTY, "16");
        Simd.Choice c = Simd.choose(Width.AUTO);
        assertEquals(16, c.registers().count());
        assertTrue(c.registers().reason().contains("-Dsimdvae.registers=16"), c.registers().reason());
        assertEquals(32, c.withRegisters(32, "a test").registers().count());
        System.setProperty(RegisterFile.PROPERTY, "24");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Simd.choose(Width.AUTO));
        assertTrue(e.getMessage().contains("use 16 or 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RegisterFile.forced(8, "a test"));
    }

    /** What a JVM started with these options reports at its preferred width: its register count. */
    private static int registersOfAJvmWith(String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.addAll(List.of(options));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RegisterFileProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.getErrorStream().readAllBytes();
        assertEquals(0, p.waitFor(), "the probe JVM failed: " + out);
        return Integer.parseInt(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    /**
     * On x86 the JVM's UseAVX decides, not the CPU: {@code -XX:UseAVX=2} leaves C2 ymm0-15 even on an AVX-512 CPU,
     * and {@code -XX:UseAVX=0} SSE's xmm0-15. (The register file of the CPU itself is what the JVM runs with by
     * default; on an AVX-512 CPU that is 32.)
     */
    @Test
    void onX86AJvmLimitedToAvx2OrSseSeesSixteenRegisters() throws Exception {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "x86 only: " + arch);
        assertEquals(16, registersOfAJvmWith("-XX:UseAVX=2"));
        assertEquals(16, registersOfAJvmWith("-XX:UseAVX=0"));
        if (Simd.maxBits() >= 512) {
            assertEquals(32, registersOfAJvmWith());
            assertEquals(32, registersOfAJvmWith("-XX:MaxVectorSize=32"), "AVX-512 at 256 bits still has 32");
        }
    }
}
