package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --ensemble N}, and the commands that read rows working on the ensemble it writes. */
class EnsembleCliTest {
    @TempDir
    Path dir;

    @Test
    void trainAnEnsembleAndScoreExplainCalibrateAndDriftIt() throws IOException {
        Path data = dir.resolve("table.csv");
        Files.writeString(data, MixedCsvCliTest.csv(300, 1, null));
        Path run = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", data.toString(), "--label-column", "kind", "--missing-values",
                "NA", "--hidden", "16", "--epochs", "2", "--batch", "16", "--iw-samples", "2", "--ensemble", "3",
                "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("an ensemble of 3 members"), r.err());
        JsonObject m = JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject();
        assertEquals(3, m.getAsJsonObject("config").get("ensemble").getAsInt());
        Path model = run.resolve("model.svae");
        Vae vae = Vae.load(model);
        assertEquals(3, vae.members());
        assertEquals(vae.parametersSha256(), m.get("params_sha256").getAsString());

        Path scores = dir.resolve("scores.csv");
        r = CliTest.run("score", "--model", model.toString(), "--data", data.toString(), "--missing-values", "NA",
                "--out", scores.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(scores);
        assertEquals(301, lines.size());
        assertTrue(Double.isFinite(Double.parseDouble(lines.get(5).split(",")[0])), lines.get(5));
        r = CliTest.run("explain", "--model", model.toString(), "--data", data.toString(), "--missing-values", "NA",
                "--row", "5");
        assertEquals(0, r.code(), r.err());
        Path calibrated = dir.resolve("calibrated.svae");
        r = CliTest.run("calibrate", "--model", model.toString(), "--data", data.toString(), "--missing-values", "NA",
                "--out", calibrated.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Vae.load(calibrated).members());
        r = CliTest.run("drift", "--model", calibrated.toString(), "--data", data.toString(), "--missing-values",
                "NA", "--out", dir.resolve("drift").toString());
        assertEquals(0, r.code(), r.err());

        // a warm start keeps the model's members; --ensemble with --from is refused
        r = CliTest.run("train", "--data", data.toString(), "--label-column", "kind", "--missing-values", "NA",
                "--from", model.toString(), "--epochs", "1", "--iw-samples", "0", "--out",
                dir.resolve("more").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Vae.load(dir.resolve("more").resolve("model.svae")).members());
        assertOneLineError("--ensemble comes from the model given with --from", "train", "--data", data.toString(),
                "--from", model.toString(), "--ensemble", "2", "--out", dir.resolve("x").toString());
    }

    @Test
    void aBadEnsembleSizeIsOneLine() {
        assertOneLineError("an ensemble must have 1 to 1000 members, got 0", "train", "--ensemble", "0", "--out",
                dir.resolve("zero").toString());
        assertOneLineError("got -2", "train", "--ensemble", "-2", "--out", dir.resolve("neg").toString());
    }

    @Test
    void theHelpSaysWhatItCosts() {
        CliTest.Run r = CliTest.run("train", "--help");
        assertEquals(0, r.code());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--ensemble=N"), help);
        assertTrue(help.contains("Costs N times the training"), help);
    }

    private static void assertOneLineError(String part, String... args) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(1, r.code(), String.join(" ", args) + " -> " + r.err());
        String[] lines = r.err().strip().lines().filter(l -> !l.startsWith("WARNING")).toArray(String[]::new);
        assertEquals(1, lines.length, "one line on stderr, got: " + r.err());
        assertTrue(lines[0].startsWith("simdvae: ") && lines[0].contains(part), lines[0]);
        assertFalse(lines[0].contains("Exception"), lines[0]);
    }
}
