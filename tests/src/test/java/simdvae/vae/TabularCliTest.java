package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.TabularDataset;

/** CSV data through the command line: training, scoring, encoding, and every kind of bad file. */
class TabularCliTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** Runs the CLI and expects failure with exit 1 and one line on stderr that contains every part. */
    static void assertOneLineError(String[] args, String... parts) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(1, r.code(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("simdvae: "), err);
        for (String p : parts) {
            assertTrue(err.contains(p), "'" + p + "' in: " + err);
        }
    }

    @Test
    void trainScoreAndEncodeACsvFileWithALabelColumn() throws IOException {
        Planted p = Planted.make(900, 20, 12, 0.05, 2);
        Path csv = write("planted.csv", p.csv("kind"));
        Path out = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", csv.toString(), "--label-column", "kind", "--hidden", "32",
                "--epochs", "6", "--validation-split", "0.1", "--early-stopping", "3", "--kl-warmup", "2",
                "--iw-samples", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("validation loss"), r.err());
        for (String f : new String[] {"metrics.json", "model.svae", "latent.png", "loss.png", "scores.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        assertFalse(Files.exists(out.resolve("samples.png")), "no image pictures for tabular data");
        JsonObject m = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        JsonObject cfg = m.getAsJsonObject("config");
        assertEquals("gaussian", cfg.get("likelihood").getAsString());
        assertEquals("standardize", cfg.get("scaling").getAsString());
        assertEquals(2, cfg.get("kl_warmup").getAsInt());
        assertEquals(92, m.get("test_size").getAsInt()); // 10 % of 920 rows
        assertEquals(83, m.get("validation_size").getAsInt()); // 10 % of the other 828
        assertTrue(m.getAsJsonArray("epochs").get(0).getAsJsonObject().has("validation_loss"));
        assertTrue(m.has("best_epoch") && m.has("test_nll"));
        assertTrue(Double.isFinite(m.get("test_nll").getAsDouble()));

        // score a file with the same header, and one without the label column, by column names
        Path scores = dir.resolve("scores.csv");
        r = CliTest.run("score", "--model", out.resolve("model.svae").toString(), "--data", csv.toString(),
                "--iw-samples", "5", "--out", scores.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(scores);
        assertEquals("score,p_value,percentile,reconstruction,kl,negative_elbo,nll_k,kind", lines.get(0));
        assertEquals(921, lines.size());
        Path noLabel = write("nolabel.csv", p.csv("kind").lines().map(l -> l.substring(0, l.lastIndexOf(',')))
                .reduce((a, b) -> a + "\n" + b).orElseThrow() + "\n");
        Path scores2 = dir.resolve("scores2.csv");
        r = CliTest.run("score", "--model", out.resolve("model.svae").toString(), "--data", noLabel.toString(),
                "--out", scores2.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines2 = Files.readAllLines(scores2);
        assertEquals("score,p_value,percentile,reconstruction,kl,negative_elbo", lines2.get(0));
        for (int i = 1; i < lines2.size(); i++) {
            String[] with = lines.get(i).split(",");
            String[] without = lines2.get(i).split(",");
            assertEquals(List.of(with).subList(0, 6), List.of(without), "row " + i + " scores the same");
        }
        Path enc = dir.resolve("enc.csv");
        r = CliTest.run("encode", "--model", out.resolve("model.svae").toString(), "--data", csv.toString(),
                "--out", enc.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("mu_0,mu_1,logvar_0,logvar_1,kind", Files.readAllLines(enc).get(0));

        // reconstructions and samples as CSV rows under the model's column names, in the data's units
        Path recon = dir.resolve("recon.csv");
        r = CliTest.run("reconstruct", "--model", out.resolve("model.svae").toString(), "--data", csv.toString(),
                "--n", "40", "--out", recon.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rl = Files.readAllLines(recon);
        assertEquals(41, rl.size());
        assertEquals(String.join(",", p.columns()), rl.get(0));
        double reconMean = 0;
        double dataMean = 0;
        for (int i = 1; i < rl.size(); i++) {
            reconMean += Double.parseDouble(rl.get(i).split(",")[0]) / 40;
            dataMean += p.rows()[i - 1][0] / 40;
        }
        double spread = 0;
        for (double[] row : p.rows()) {
            spread = Math.max(spread, Math.abs(row[0] - dataMean));
        }
        assertTrue(Math.abs(reconMean - dataMean) < 0.5 * spread, reconMean + " vs " + dataMean);
        Path samples = dir.resolve("samples.csv");
        r = CliTest.run("sample", "--model", out.resolve("model.svae").toString(), "--n", "7", "--out",
                samples.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(8, Files.readAllLines(samples).size());
        assertOneLineError(new String[] {"sample", "--model", out.resolve("model.svae").toString(), "--out",
            dir.resolve("s.png").toString()}, "not a square image", "--out FILE.csv");

        // resume: a run checkpointed mid-way and resumed ends with the same parameters
        Path a = dir.resolve("a");
        r = CliTest.run("train", "--data", csv.toString(), "--label-column", "kind", "--hidden", "16", "--epochs",
                "3", "--validation-split", "0.2", "--beta", "0.7", "--kl-warmup", "2", "--iw-samples", "0",
                "--checkpoint-every", "13", "--out", a.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject ma = JsonParser.parseString(Files.readString(a.resolve("metrics.json"))).getAsJsonObject();
        r = CliTest.run("train", "--resume", a.toString(), "--threads", "1", "--width", "scalar");
        assertEquals(0, r.code(), r.err());
        JsonObject mb = JsonParser.parseString(Files.readString(a.resolve("metrics.json"))).getAsJsonObject();
        assertEquals(ma.get("params_sha256"), mb.get("params_sha256"));
    }

    @Test
    void badCsvFilesGetOneLineNamingFileLineAndColumn() throws IOException {
        String header = "a,b,c\n";
        Path nonNumeric = write("nonnum.csv", header + "1,2,3\n4,oops,6\n");
        // a text in a column that must be numeric (without --numeric, 'b' would be read as categorical)
        assertOneLineError(new String[] {"train", "--data", nonNumeric.toString(), "--numeric", "b", "--out",
            dir.resolve("o1").toString()}, "nonnum.csv", "line 3", "column 'b'", "'oops' is not a number");
        Path ragged = write("ragged.csv", header + "1,2,3\n4,5\n");
        assertOneLineError(new String[] {"train", "--data", ragged.toString()}, "ragged.csv", "line 3", "2 cells");
        Path empty = write("empty.csv", "");
        assertOneLineError(new String[] {"train", "--data", empty.toString()}, "empty.csv", "empty");
        Path headerOnly = write("header.csv", header);
        assertOneLineError(new String[] {"train", "--data", headerOnly.toString()}, "header.csv", "no rows");
        Path nan = write("nan.csv", header + "1,2,3\n4,NaN,6\n");
        assertOneLineError(new String[] {"train", "--data", nan.toString()}, "nan.csv", "line 3", "column 'b'",
                "finite");
        Path inf = write("inf.csv", header + "1,2,3\n4,5,1e999\n");
        assertOneLineError(new String[] {"train", "--data", inf.toString()}, "inf.csv", "line 3", "column 'c'",
                "finite");
        Path missing = write("missing.csv", header + "1,,3\n");
        // missing cells are allowed by default; --missing error refuses them as before
        assertOneLineError(new String[] {"train", "--data", missing.toString(), "--missing", "error"}, "missing.csv",
                "line 2", "column 'b'", "empty");
        Path ok = write("ok.csv", header + "0.5,0.25,1\n0,1,0.5\n1,0,0\n0.2,0.3,0.4\n0.9,0.8,0.7\n"
                + "0.1,0.2,0.3\n0.3,0.3,0.3\n0.6,0.1,0.2\n0.4,0.4,0.9\n0.7,0.2,0.1\n");
        assertOneLineError(new String[] {"train", "--data", ok.toString(), "--label-column", "nope"}, "ok.csv",
                "no column 'nope'");
        assertOneLineError(new String[] {"train", "--data", ok.toString(), "--features", "a,zz"}, "no column 'zz'");
        Path big = write("big.csv", header + "1,2,3\n4,5,6\n7,8,9\n10,11,12\n13,14,15\n16,17,18\n19,20,21\n"
                + "22,23,24\n25,26,27\n28,29,30\n");
        assertOneLineError(new String[] {"train", "--data", big.toString(), "--likelihood", "bernoulli", "--scale",
            "none", "--out", dir.resolve("o2").toString()}, "big.csv", "line 2", "column 'b'", "outside [0, 1]",
                "--scale minmax");
        // with min-max scaling the same data trains
        CliTest.Run r = CliTest.run("train", "--data", big.toString(), "--likelihood", "bernoulli", "--scale",
                "minmax", "--hidden", "4", "--epochs", "1", "--test-split", "0.3", "--out",
                dir.resolve("o3").toString());
        assertEquals(0, r.code(), r.err());
        // a model of three columns refuses a file of other columns
        Path other = write("other.csv", "a,b\n1,2\n");
        assertOneLineError(new String[] {"score", "--model", dir.resolve("o3/model.svae").toString(), "--data",
            other.toString(), "--out", dir.resolve("s.csv").toString()}, "other.csv", "no column 'c'");
    }

    @Test
    void gzippedCsvIsReadAndADamagedOneIsRefused() throws IOException {
        String text = "x,y,label\n" + "1.5,2,a\n".repeat(200) + "3,4.25,b\n".repeat(200);
        Path gz = dir.resolve("d.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        TabularDataset d = TabularDataset.read(gz, null, "label");
        assertEquals(400, d.size());
        assertEquals(List.of("x", "y"), d.columnNames());
        assertEquals(List.of("a", "b"), d.labelClasses());
        assertEquals(1, d.label(399));
        byte[] bytes = Files.readAllBytes(gz);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 8; i++) {
            bytes[i] ^= 0x5a;
        }
        Path bad = dir.resolve("bad.csv.gz");
        Files.write(bad, bytes);
        SimdvaeException e = org.junit.jupiter.api.Assertions.assertThrows(SimdvaeException.class,
                () -> TabularDataset.read(bad, null, "label"));
        assertTrue(e.getMessage().contains("bad.csv.gz"), e.getMessage());
    }
}
