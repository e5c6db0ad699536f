package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line over time: a stream scored as its file is, drift reports, --fdr, and a new reference. */
class WatchCliTest {
    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void train() throws IOException {
        Path csv = rows("train.csv", 2000, 0, 11);
        Path run = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", csv.toString(), "--hidden", "32", "--latent", "3", "--epochs",
                "15", "--validation-split", "0.3", "--iw-samples", "0", "--threads", "2", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        model = run.resolve("model.svae");
    }

    /** A CSV file of {@link MixedRows} in the test folder: {@code n} rows, {@code anomalous} of them planted. */
    private static Path rows(String name, int n, int anomalous, long seed) throws IOException {
        return Files.writeString(dir.resolve(name), MixedRows.csv(MixedRows.make(n, anomalous, seed)));
    }

    /** {@code score} with standard input as {@code in}. */
    private static synchronized CliTest.Run withInput(byte[] in, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(in));
            return CliTest.run(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void aStreamIsScoredLineForLineAsItsFile() throws IOException {
        Path batch = rows("batch.csv", 300, 20, 12);
        Path out = dir.resolve("file-scores.csv");
        String[] common = {"score", "--model", model.toString(), "--per-column", "--iw-samples", "3",
            "--contamination", "0.05"};
        CliTest.Run file = CliTest.run(concat(common, "--data", batch.toString(), "--out", out.toString()));
        assertEquals(0, file.code(), file.err());
        CliTest.Run stream = withInput(Files.readAllBytes(batch), concat(common, "--data", "-"));
        assertEquals(0, stream.code(), stream.err());
        assertEquals(Files.readString(out), stream.out(), "standard output is the file's scores.csv, byte for byte");
        assertTrue(stream.err().contains("scored 300 rows from standard input"), stream.err());
    }

    @Test
    void aStreamRefusesAFalseDiscoveryRateAndABadRowInOneLine() {
        CliTest.Run fdr = withInput("price\n1\n".getBytes(StandardCharsets.UTF_8), "score", "--model",
                model.toString(), "--data", "-", "--fdr", "0.1");
        assertEquals(1, fdr.code());
        assertTrue(fdr.err().strip().startsWith("simdvae: --fdr decides over the rows scored together"), fdr.err());
        String text = MixedRows.csv(MixedRows.make(3, 0, 13)) + "1,2,3\n";
        CliTest.Run ragged = withInput(text.getBytes(StandardCharsets.UTF_8), "score", "--model", model.toString(),
                "--data", "-");
        assertEquals(1, ragged.code());
        assertTrue(ragged.err().contains("standard input, line 5: 3 cells, the header has 7"), ragged.err());
        assertEquals(4, ragged.out().strip().split("\n").length, "the rows before the bad one were written: "
                + ragged.out());
    }

    @Test
    void theFalseDiscoveryRateFlagsWhatBenjaminiAndHochbergFind() throws IOException {
        Path batch = rows("fdr.csv", 400, 40, 14);
        Path out = dir.resolve("fdr-scores.csv");
        CliTest.Run r = CliTest.run("score", "--model", model.toString(), "--data", batch.toString(), "--fdr",
                "0.2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        List<String> header = List.of(lines.get(0).split(","));
        int p = header.indexOf("p_value");
        int outlier = header.indexOf("outlier");
        List<Double> ps = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            ps.add(Double.parseDouble(line.split(",")[p]));
        }
        List<Double> sorted = new ArrayList<>(ps);
        sorted.sort(null);
        double cut = Double.NEGATIVE_INFINITY;
        for (int k = sorted.size(); k >= 1; k--) {
            if (sorted.get(k - 1) <= 0.2 * k / sorted.size()) {
                cut = sorted.get(k - 1);
                break;
            }
        }
        for (int i = 0; i < ps.size(); i++) {
            assertEquals(ps.get(i) <= cut ? "1" : "0", lines.get(i + 1).split(",")[outlier], "row " + i);
        }
        assertTrue(r.err().contains("false-discovery rate 0.2"), r.err());
    }

    @Test
    void driftWritesItsVerdictJsonAndPicture() throws IOException {
        Object[][] rows = MixedRows.make(600, 0, 15);
        for (Object[] row : rows) {
            if (row[3] != null) {
                row[3] = (Double) row[3] * 1.5;
            }
        }
        Path batch = dir.resolve("shifted.csv");
        Files.writeString(batch, MixedRows.csv(rows));
        Path out = dir.resolve("drift");
        CliTest.Run r = CliTest.run("drift", "--model", model.toString(), "--data", batch.toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().strip().startsWith("simdvae: DRIFT: the batch of 600 rows") && r.err().contains("'age'"),
                r.err());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("drift.json"))).getAsJsonObject();
        assertTrue(json.get("p_value").getAsDouble() < 0.01 && json.get("drifted").getAsBoolean());
        JsonArray columns = json.getAsJsonArray("columns");
        assertEquals(7, columns.size());
        assertEquals("age", columns.get(0).getAsJsonObject().get("column").getAsString());
        assertTrue(columns.get(0).getAsJsonObject().get("p_value").getAsDouble() < 1e-3);
        assertTrue(Files.size(out.resolve("drift.png")) > 1000);
        CliTest.Run again = CliTest.run("drift", "--model", model.toString(), "--data", batch.toString(), "--out",
                out.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds a drift report"), again.err());
    }

    @Test
    void aBatchOfOtherColumnsOrNoRowsIsRefusedInOneLine() throws IOException {
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "a,b\n1,2\n");
        CliTest.Run r = CliTest.run("drift", "--model", model.toString(), "--data", other.toString(), "--out",
                dir.resolve("d1").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has no column 'price'"), r.err());
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, String.join(",", MixedRows.COLUMNS) + "\n");
        r = CliTest.run("drift", "--model", model.toString(), "--data", empty.toString(), "--out",
                dir.resolve("d2").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has a header but no rows"), r.err());
    }

    @Test
    void calibrateGivesTheModelANewReferenceWithoutRetraining() throws IOException {
        Path recent = rows("recent.csv", 500, 0, 16);
        Path out = dir.resolve("calibrated.svae");
        CliTest.Run r = CliTest.run("calibrate", "--model", model.toString(), "--data", recent.toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        Vae before = Vae.load(model);
        Vae after = Vae.load(out);
        assertEquals(before.parametersSha256(), after.parametersSha256());
        assertEquals("calibration", after.reference().source());
        assertEquals(500, after.reference().rows());
        assertFalse(before.reference().scores().equals(after.reference().scores()));
    }

    private static String[] concat(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }
}
