package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV file with text columns, codes and gaps, as files come, through every command that reads rows. */
class MixedCsvCliTest {
    @TempDir
    Path dir;

    /** Numbers with gaps marked NA or empty, a colour as text, a yes/no answer, a numeric-looking code, a label. */
    static String csv(int rows, long seed, String colourOf7) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder("x,y,colour,answer,code,kind\n");
        for (int i = 0; i < rows; i++) {
            double x = r.nextGaussian();
            String y = r.nextInt(10) == 0 ? "NA" : String.format("%.3f", 2 * x + 0.3 * r.nextGaussian());
            String colour = i == 7 && colourOf7 != null ? colourOf7 : x < 0 ? "red" : r.nextInt(5) == 0 ? "" : "blue";
            s.append(String.format("%.3f,%s,%s,%s,%d,%s%n", x, y, colour, x > 0.3 ? "y" : "n", 1 + r.nextInt(3),
                    x > 0 ? "up" : "down"));
        }
        return s.toString();
    }

    Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void trainScoreEncodeReconstructAndSampleATableWithTextAndGaps() throws IOException {
        Path data = write("table.csv", csv(300, 1, null));
        Path run = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", data.toString(), "--label-column", "kind", "--missing-values",
                "NA", "--categorical", "code", "--hidden", "16", "--epochs", "4", "--batch", "16", "--iw-samples", "5",
                "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject m = JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject();
        JsonArray columns = m.getAsJsonArray("columns");
        assertEquals(5, columns.size());
        JsonObject y = columns.get(1).getAsJsonObject();
        assertEquals("numeric", y.get("kind").getAsString());
        assertTrue(y.get("missing_in_training").getAsInt() > 0, y.toString());
        JsonObject code = columns.get(4).getAsJsonObject();
        assertEquals("categorical", code.get("kind").getAsString());
        assertEquals("[\"1\",\"2\",\"3\",\"(other)\"]", code.get("levels").toString());
        assertTrue(Double.isFinite(m.get("test_nll").getAsDouble()));
        String model = run.resolve("model.svae").toString();
        Path scores = dir.resolve("scores.csv");
        r = CliTest.run("score", "--model", model, "--data", data.toString(), "--missing-values", "NA", "--out",
                scores.toString(), "--iw-samples", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(scores);
        assertEquals(301, lines.size());
        assertEquals("score,p_value,percentile,reconstruction,kl,negative_elbo,nll_k,kind", lines.get(0));
        r = CliTest.run("encode", "--model", model, "--data", data.toString(), "--missing-values", "NA", "--out",
                dir.resolve("codes.csv").toString());
        assertEquals(0, r.code(), r.err());
        Path rec = dir.resolve("rec.csv");
        r = CliTest.run("reconstruct", "--model", model, "--data", data.toString(), "--missing-values", "NA", "--n",
                "20", "--out", rec.toString());
        assertEquals(0, r.code(), r.err());
        List<String> back = Files.readAllLines(rec);
        assertEquals("x,y,colour,answer,code", back.get(0));
        for (String line : back.subList(1, back.size())) {
            String[] cells = line.split(",", -1);
            assertTrue(List.of("red", "blue", "(other)").contains(cells[2]), line);
            assertTrue(List.of("y", "n", "(other)").contains(cells[3]), line);
            assertTrue(!cells[1].isEmpty(), "a reconstruction fills every cell: " + line);
        }
        Path filled = dir.resolve("filled.csv");
        r = CliTest.run("reconstruct", "--model", model, "--data", data.toString(), "--missing-values", "NA", "--n",
                "300", "--fill-missing", "--out", filled.toString());
        assertEquals(0, r.code(), r.err());
        List<String> given = Files.readAllLines(data);
        List<String> imputed = Files.readAllLines(filled);
        for (int i = 1; i < given.size(); i++) {
            String[] g = given.get(i).split(",", -1);
            String[] f = imputed.get(i).split(",", -1);
            assertTrue(!f[1].isEmpty() && !f[2].isEmpty(), "gaps filled: " + imputed.get(i));
            if (!g[2].isEmpty()) {
                assertEquals(g[2], f[2], "an observed level is kept: " + given.get(i));
            }
            if (!g[1].equals("NA")) {
                assertEquals(Double.parseDouble(g[1]), Double.parseDouble(f[1]), 1e-6, "an observed number kept");
            }
        }
        Path samples = dir.resolve("samples.csv");
        r = CliTest.run("sample", "--model", model, "--n", "5", "--out", samples.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(6, Files.readAllLines(samples).size());
    }

    @Test
    void unseenLevelsGapsAndKindsAreRefusedInOneLineUnlessAskedFor() throws IOException {
        Path data = write("table.csv", csv(200, 2, null));
        Path run = dir.resolve("run");
        assertEquals(0, CliTest.run("train", "--data", data.toString(), "--label-column", "kind", "--missing-values",
                "NA", "--hidden", "8", "--epochs", "2", "--iw-samples", "0", "--out", run.toString()).code());
        String model = run.resolve("model.svae").toString();
        Path fresh = write("fresh.csv", csv(20, 3, "violet"));
        TabularCliTest.assertOneLineError(new String[] {"score", "--model", model, "--data", fresh.toString(),
            "--missing-values", "NA", "--out", dir.resolve("s.csv").toString()}, "fresh.csv", "line 9",
            "column 'colour'", "'violet'", "--unseen-levels other");
        CliTest.Run r = CliTest.run("score", "--model", model, "--data", fresh.toString(), "--missing-values", "NA",
                "--unseen-levels", "other", "--out", dir.resolve("s.csv").toString());
        assertEquals(0, r.code(), r.err());
        // without NA as a missing token, 'y' has texts: read as the model's numeric column, it is refused
        TabularCliTest.assertOneLineError(new String[] {"score", "--model", model, "--data", fresh.toString(),
            "--out", dir.resolve("s2.csv").toString()}, "fresh.csv", "column 'y'", "'NA' is not a number");
        TabularCliTest.assertOneLineError(new String[] {"train", "--data", data.toString(), "--missing-values", "NA",
            "--missing", "error", "--out", dir.resolve("o").toString()}, "table.csv", "missing values are refused");
        TabularCliTest.assertOneLineError(new String[] {"train", "--data", data.toString(), "--missing", "maybe",
            "--out", dir.resolve("o2").toString()}, "unknown --missing 'maybe'");
        TabularCliTest.assertOneLineError(new String[] {"train", "--data", data.toString(), "--categorical", "x",
            "--numeric", "x", "--out", dir.resolve("o3").toString()}, "'x'", "both --categorical and --numeric");
        TabularCliTest.assertOneLineError(new String[] {"train", "--data", data.toString(), "--categorical", "nope",
            "--out", dir.resolve("o4").toString()}, "no feature column 'nope'");
        TabularCliTest.assertOneLineError(new String[] {"score", "--model", model, "--data", fresh.toString(),
            "--unseen-levels", "maybe", "--out", dir.resolve("s3.csv").toString()}, "unknown unseen-levels policy");
    }

    @Test
    void aLevelOnlyTheHeldOutRowsHoldCountsAsOtherInsteadOfEndingTheRun() throws IOException {
        Path data = write("table.csv", csv(200, 4, null));
        Path test = write("test.csv", csv(40, 5, "violet"));
        Path run = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", data.toString(), "--test-data", test.toString(),
                "--label-column", "kind", "--missing-values", "NA", "--hidden", "8", "--epochs", "2",
                "--validation-split", "0.2", "--iw-samples", "3", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject m = JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject();
        assertTrue(Double.isFinite(m.get("test_loss").getAsDouble()), m.toString());
        assertTrue(Double.isFinite(m.get("test_nll").getAsDouble()), m.toString());
        // the model itself still refuses the level when it scores new rows
        TabularCliTest.assertOneLineError(new String[] {"score", "--model", run.resolve("model.svae").toString(),
            "--data", test.toString(), "--missing-values", "NA", "--out", dir.resolve("s.csv").toString()},
            "'violet'");
    }
}
