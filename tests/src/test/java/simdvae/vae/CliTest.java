package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.cli.Main;

/** The command line as a user meets it: outputs, exit codes, one-line errors, nothing overwritten. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainWritesMetricsModelAndPicturesThenTheOtherCommandsUseTheModel() throws IOException {
        Path out = dir.resolve("run");
        String data = Mnist.dir().toString();
        Run r = run("train", "--data", data, "--epochs", "2", "--hidden", "64", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"metrics.json", "model.svae", "latent.png", "reconstructions.png", "samples.png",
            "manifold.png", "loss.png", "scores.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        JsonObject m = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        assertEquals(2, m.getAsJsonArray("epochs").size());
        assertTrue(m.get("test_loss").getAsDouble() < 300);
        assertTrue(m.get("test_loss_mu").getAsDouble() < m.get("test_loss").getAsDouble() + 20);
        // the importance-weighted bound (20 samples by default) is tighter than the one-sample negative ELBO
        assertTrue(m.get("test_nll").getAsDouble() < m.get("test_loss").getAsDouble(), m.toString());
        assertEquals("bernoulli", m.getAsJsonObject("config").get("likelihood").getAsString());
        assertEquals(64, m.get("params_sha256").getAsString().length());
        assertTrue(m.has("width") && m.has("threads"));
        // beside the width, the register file its GEMM tile is sized for: none at the scalar width, else 16 or 32
        int registers = m.get("vector_registers").getAsInt();
        boolean scalar = m.get("width").getAsString().equals("scalar");
        assertTrue(scalar ? registers == 0 : registers == 16 || registers == 32, m.toString());
        assertTrue(m.get("gemm_tile").getAsString().equals("scalar") == scalar, m.toString());
        assertTrue(!m.get("vector_registers_reason").getAsString().isEmpty(), m.toString());

        String model = out.resolve("model.svae").toString();
        assertEquals(0, run("sample", "--model", model, "--out", dir.resolve("s.png").toString()).code());
        assertTrue(Files.size(dir.resolve("s.png")) > 100);
        Run enc = run("encode", "--model", model, "--data", data, "--out", dir.resolve("e.csv").toString());
        assertEquals(0, enc.code(), enc.err());
        String csv = Files.readString(dir.resolve("e.csv"));
        assertTrue(csv.startsWith("mu_0,mu_1,logvar_0,logvar_1,label\n"));
        assertEquals(1001, csv.lines().count());
        assertEquals(0, run("reconstruct", "--model", model, "--data", data, "--out",
                dir.resolve("r.png").toString()).code());

        // nothing written over existing results
        byte[] before = Files.readAllBytes(out.resolve("metrics.json"));
        Run again = run("train", "--data", data, "--epochs", "1", "--out", out.toString());
        assertEquals(1, again.code());
        assertOneLine(again.err(), "already holds results");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("metrics.json"))));
        Run clash = run("sample", "--model", model, "--out", dir.resolve("s.png").toString());
        assertEquals(1, clash.code());
        assertOneLine(clash.err(), "already exists");
    }

    @Test
    void badInputGetsOneLineAndANonZeroExit() throws IOException {
        assertError(2, "Unknown option", "train", "--bogus");
        assertError(2, "Invalid value", "train", "--epochs", "many");
        assertError(1, "epochs must be at least 1", "train", "--epochs", "0", "--out", dir.resolve("a").toString());
        assertError(1, "batch size must be at least 1", "train", "--batch", "-3", "--out", dir.resolve("b").toString());
        assertError(1, "learning rate must be a positive number", "train", "--lr", "0");
        assertError(1, "hidden layer sizes must be at least 1", "train", "--hidden", "512,0");
        assertError(1, "latent size must be at least 1", "train", "--latent", "0");
        assertError(1, "--threads must be at least 1", "train", "--threads", "0");
        assertError(1, "unknown SIMD width 'wide'", "train", "--width", "wide");
        assertError(1, "does not exist", "train", "--data", dir.resolve("missing").toString(), "--out",
                dir.resolve("c").toString());
        Files.createDirectories(dir.resolve("empty"));
        assertError(1, "missing data file", "train", "--data", dir.resolve("empty").toString(), "--out",
                dir.resolve("d").toString());
        Path junk = dir.resolve("junk.svae");
        Files.writeString(junk, "not a model");
        assertError(1, "is not a simdvae model file", "sample", "--model", junk.toString(), "--out",
                dir.resolve("x.png").toString());
        assertError(2, "Missing required option: '--model=FILE'", "sample");
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        assertError(1, "cannot write", "train", "--epochs", "1", "--out", blocker.resolve("sub").toString());
        Path other = dir.resolve("other.svae");
        Vae.create(VaeConfig.defaults().withInput(400).withHidden(java.util.List.of(8))).save(other);
        assertError(1, "the images have 784 pixels, the model expects 400", "reconstruct", "--model", other.toString(),
                "--data", Mnist.dir().toString(), "--out", dir.resolve("y.png").toString());
        Run debug = run("train", "--latent", "0", "--debug");
        assertEquals(1, debug.code());
        assertTrue(debug.err().contains("at simdvae."), "--debug adds the stack trace");
    }

    private static void assertError(int code, String part, String... args) {
        Run r = run(args);
        assertEquals(code, r.code(), String.join(" ", args) + " -> " + r.err());
        assertOneLine(r.err(), part);
    }

    private static void assertOneLine(String err, String part) {
        String[] lines = err.strip().lines().filter(l -> !l.startsWith("WARNING")).toArray(String[]::new);
        assertEquals(1, lines.length, "one line on stderr, got: " + err);
        assertTrue(lines[0].startsWith("simdvae: ") && lines[0].contains(part), lines[0]);
        assertFalse(lines[0].contains("Exception"), lines[0]);
    }
}
