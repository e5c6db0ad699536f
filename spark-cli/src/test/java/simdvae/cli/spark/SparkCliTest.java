package simdvae.cli.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simdvae spark train|score} end to end on a small CSV, and its one-line errors. */
class SparkCliTest {
    static Path csv(Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder s = new StringBuilder("a,b,c,d,e,f,kind\n");
        for (int i = 0; i < 300; i++) {
            double t = r.nextGaussian();
            s.append(String.format("%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%s%n", t, 2 * t + 0.1 * r.nextGaussian(),
                    -t, r.nextGaussian(), 5 + t * t, 3.0, t > 0 ? "up" : "down"));
        }
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, s);
        return file;
    }

    record Run(int code, String err) {
    }

    static Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(SparkMain.run(args), err.toString());
        } finally {
            System.setErr(old);
        }
    }

    static String sha(Path out) throws IOException {
        JsonObject m = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        return m.get("params_sha256").getAsString();
    }

    @Test
    void trainsTheSameModelOnOneAndTwoCoresAndScoresEveryRow(@TempDir Path dir) throws IOException {
        Path data = csv(dir);
        String[] common = {"--data", data.toString(), "--label-column", "kind", "--shards", "2", "--sync-every",
            "4", "--epochs", "3", "--batch", "16", "--hidden", "8", "--force"};
        Run one = run(concat(new String[] {"train", "--master", "local[1]", "--out", dir.resolve("one").toString()},
                common));
        assertEquals(0, one.code(), one.err());
        Run two = run(concat(new String[] {"train", "--master", "local[2]", "--out", dir.resolve("two").toString()},
                common));
        assertEquals(0, two.code(), two.err());
        assertEquals(sha(dir.resolve("one")), sha(dir.resolve("two")));
        assertTrue(Files.exists(dir.resolve("one").resolve("loss.png")));

        Path scores = dir.resolve("scores.csv");
        Run score = run("score", "--master", "local[2]", "--model", dir.resolve("one").resolve("model.svae")
                .toString(), "--data", data.toString(), "--contamination", "0.1", "--out", scores.toString());
        assertEquals(0, score.code(), score.err());
        List<String> lines = parts(scores);
        List<String> rows = lines.stream().filter(l -> !l.startsWith("mu_0")).toList();
        assertEquals(300, rows.size());
        assertTrue(lines.contains("mu_0,mu_1,logvar_0,logvar_1,score,p_value,percentile,outlier,kind"), lines.get(0));
        int flagged = 0;
        for (String row : rows) {
            String[] f = row.split(",");
            assertTrue(Double.isFinite(Double.parseDouble(f[4])), row);
            double p = Double.parseDouble(f[5]);
            assertTrue(p > 0 && p <= 1, row);
            double percentile = Double.parseDouble(f[6]);
            assertTrue(percentile >= 0 && percentile <= 100, row);
            assertTrue(f[7].equals("0") || f[7].equals("1"), row);
            flagged += f[7].equals("1") ? 1 : 0;
            assertTrue(f[8].equals("up") || f[8].equals("down"), row);
        }
        assertTrue(flagged > 0 && flagged < 100, flagged + " of 300 flagged at contamination 0.1");
        Run again = run("score", "--model", dir.resolve("one").resolve("model.svae").toString(), "--data",
                data.toString(), "--out", scores.toString());
        assertEquals(1, again.code());
        assertOneLine(again.err(), "exists (use --force to replace it)");

        // --fdr: the Benjamini-Hochberg discoveries among all the rows' p-values, whatever the partitions
        Path odd = dir.resolve("odd.csv");
        StringBuilder extra = new StringBuilder(Files.readString(data));
        for (int i = 0; i < 40; i++) {
            extra.append(String.format("%d,%d,9,-9,%d,-40,up%n", 8 + i, -8 - i, 30 + i));
        }
        Files.writeString(odd, extra);
        Path fdrOut = dir.resolve("fdr.csv");
        Run fdr = run("score", "--master", "local[2]", "--model", dir.resolve("one").resolve("model.svae")
                .toString(), "--data", odd.toString(), "--fdr", "0.2", "--out", fdrOut.toString());
        assertEquals(0, fdr.code(), fdr.err());
        List<String> fdrRows = parts(fdrOut).stream().filter(l -> !l.startsWith("mu_0")).toList();
        assertEquals(340, fdrRows.size());
        double[] p = new double[fdrRows.size()];
        boolean[] outlier = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            String[] f = fdrRows.get(i).split(",");
            p[i] = Double.parseDouble(f[5]);
            outlier[i] = f[7].equals("1");
        }
        boolean[] expected = simdvae.vae.decide.BenjaminiHochberg.discoveries(p, 0.2);
        assertTrue(java.util.Arrays.equals(expected, outlier), "the flagged rows are BH's on the p-values");
        int discoveries = 0;
        for (boolean o : outlier) {
            discoveries += o ? 1 : 0;
        }
        assertTrue(discoveries >= 20 && discoveries < 170, discoveries + " of 340 flagged at q = 0.2, smallest p "
                + java.util.Arrays.stream(p).min().orElse(1));
    }

    /** The lines of the CSV part files of a Spark output directory. */
    static List<String> parts(Path out) throws IOException {
        try (Stream<Path> parts = Files.list(out)) {
            return parts.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    void parquetWithNumericColumnsTrainsAndScores(@TempDir Path dir) throws IOException {
        Path csv = csv(dir);
        Path parquet = dir.resolve("rows.parquet");
        org.apache.spark.sql.SparkSession spark = Sessions.start("local[1]");
        try {
            spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString()).write()
                    .parquet(parquet.toString());
        } finally {
            spark.stop();
        }
        Run train = run("train", "--master", "local[2]", "--data", parquet.toString(), "--label-column", "kind",
                "--features", "a,b,c,d,e", "--epochs", "2", "--batch", "16", "--hidden", "8", "--out",
                dir.resolve("run").toString());
        assertEquals(0, train.code(), train.err());
        Path scores = dir.resolve("scores.parquet");
        Run score = run("score", "--master", "local[2]", "--model", dir.resolve("run").resolve("model.svae")
                .toString(), "--data", parquet.toString(), "--out", scores.toString());
        assertEquals(0, score.code(), score.err());
        assertTrue(score.err().contains("scored 300 rows"), score.err());
        // the model keeps the feature columns it was trained on, so scoring finds them by name
        simdvae.vae.Vae vae = simdvae.vae.Vae.load(dir.resolve("run").resolve("model.svae"));
        assertEquals(List.of("a", "b", "c", "d", "e"), vae.features().names());
        assertEquals("kind", vae.features().label());
    }

    @Test
    void badInputEndsWithOneLine(@TempDir Path dir) throws IOException {
        Path data = csv(dir);
        assertOneLine(run("train", "--shards", "0", "--data", data.toString()).err(),
                "shards must be at least 1, got 0");
        assertOneLine(run("train", "--sync-every", "0", "--data", data.toString()).err(),
                "syncEvery must be at least 1, got 0");
        assertOneLine(run("train", "--master", "spark://127.0.0.1:1", "--data", data.toString()).err(),
                "cannot reach the Spark master at 127.0.0.1:1");
        assertOneLine(run("train", "--master", "nowhere", "--data", data.toString()).err(), "unknown master nowhere");
        assertOneLine(run("score", "--model", data.toString(), "--out", dir.resolve("x").toString()).err(),
                "is not a simdvae model file");
        assertFalse(Files.exists(dir.resolve("x")));
    }

    static void assertOneLine(String err, String expected) {
        List<String> lines = err.lines().filter(l -> l.startsWith("simdvae spark:")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).contains(expected), err);
        assertFalse(err.contains("\tat "), err);
    }

    static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
