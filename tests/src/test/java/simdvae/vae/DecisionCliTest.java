package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** score's percentile, outlier and per-column output, train --contamination and --from, and explain. */
class DecisionCliTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static JsonObject metrics(Path run) throws IOException {
        return JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject();
    }

    @Test
    void aModelTrainedWithAContaminationWritesOutliersAndPercentiles() throws IOException {
        // three columns on a line; one row in 31 breaks it in one column, by 4 to 6 of that column's sds
        StringBuilder b = new StringBuilder("x0,x1,x2,x3,kind\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(21);
        for (int i = 0; i < 930; i++) {
            double u = random.nextGaussian();
            double[] x = {u, 2 * u, -u, random.nextGaussian()};
            for (int j = 0; j < 3; j++) {
                x[j] += 0.05 * random.nextGaussian();
            }
            boolean odd = i % 31 == 7;
            if (odd) {
                int j = random.nextInt(3);
                x[j] += (random.nextBoolean() ? 1 : -1) * (4 + 2 * random.nextDouble()) * (j == 1 ? 2 : 1);
            }
            b.append(String.format("%.4f,%.4f,%.4f,%.4f,%s%n", x[0], x[1], x[2], x[3], odd ? "anomaly" : "normal"));
        }
        Path csv = write("planted.csv", b.toString());
        Path run = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", csv.toString(), "--label-column", "kind", "--hidden", "64",
                "--epochs", "60", "--kl-warmup", "5", "--validation-split", "0.2", "--contamination", "0.05",
                "--iw-samples", "0", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject m = metrics(run);
        assertEquals("validation", m.getAsJsonObject("reference").get("rows").getAsString());
        assertEquals(0.05, m.get("contamination").getAsDouble());
        double threshold = m.get("threshold").getAsDouble();
        Path scores = dir.resolve("scores.csv");
        r = CliTest.run("score", "--model", run.resolve("model.svae").toString(), "--data", csv.toString(),
                "--per-column", "--out", scores.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("outliers"), r.err());
        List<String> lines = Files.readAllLines(scores);
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("score", "p_value", "percentile", "outlier", "reconstruction", "kl", "negative_elbo"),
                header.subList(0, 7));
        assertEquals("nats_x0", header.get(7));
        assertEquals("kind", header.get(header.size() - 1));
        int flaggedAnomalies = 0;
        int flagged = 0;
        List<double[]> scoreAndKind = new java.util.ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double score = Double.parseDouble(c[0]);
            double percentile = Double.parseDouble(c[2]);
            assertTrue(percentile >= 0 && percentile <= 100, line);
            assertEquals(score > threshold ? "1" : "0", c[3], line);
            double sum = 0;
            for (int j = 7; j < 7 + 4; j++) {
                sum += Double.parseDouble(c[j]);
            }
            assertEquals(Double.parseDouble(c[4]), sum, 1e-4 * (Math.abs(sum) + 4), "per-column nats add up");
            scoreAndKind.add(new double[] {score, c[c.length - 1].equals("anomaly") ? 1 : 0});
            flagged += c[3].equals("1") ? 1 : 0;
            flaggedAnomalies += c[3].equals("1") && c[c.length - 1].equals("anomaly") ? 1 : 0;
        }
        // the score ranks the planted rows first; the threshold (5 % of the validation rows, which hold planted rows
        // too) flags most of them and few others
        scoreAndKind.sort((p, q) -> Double.compare(q[0], p[0]));
        long plantedOnTop = scoreAndKind.subList(0, 30).stream().filter(p -> p[1] == 1).count();
        assertTrue(plantedOnTop >= 27, plantedOnTop + " of the 30 highest scores are planted rows");
        assertTrue(flaggedAnomalies >= 20, flaggedAnomalies + " of 30 anomalies flagged, " + flagged + " in all");
        assertTrue(flagged <= 30 + 0.05 * 900 * 2, flagged + " flagged in all");
        // the threshold changes without retraining: a huge one flags nothing
        r = CliTest.run("score", "--model", run.resolve("model.svae").toString(), "--data", csv.toString(),
                "--threshold", "1e9", "--out", dir.resolve("none.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(dir.resolve("none.csv")).stream().skip(1).allMatch(l -> l.split(",")[3]
                .equals("0")));
    }

    @Test
    void anOutputColumnNeverTakesAnInputColumnsName() throws IOException {
        StringBuilder b = new StringBuilder("score,outlier,x,percentile\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int i = 0; i < 200; i++) {
            double u = random.nextGaussian();
            b.append(u).append(',').append(2 * u).append(',').append(random.nextGaussian()).append(',')
                    .append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path csv = write("clash.csv", b.toString());
        Path run = dir.resolve("run");
        assertEquals(0, CliTest.run("train", "--data", csv.toString(), "--label-column", "percentile", "--hidden",
                "8", "--epochs", "2", "--contamination", "0.1", "--iw-samples", "0", "--out", run.toString()).code());
        Path scores = dir.resolve("s.csv");
        CliTest.Run r = CliTest.run("score", "--model", run.resolve("model.svae").toString(), "--data",
                csv.toString(), "--per-column", "--out", scores.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("_score,p_value,_percentile,_outlier,reconstruction,kl,negative_elbo,nats_score,nats_outlier,"
                + "nats_x,percentile",
                Files.readAllLines(scores).get(0));
    }

    @Test
    void explainRanksThePlantedColumnFirst() throws IOException {
        StringBuilder b = new StringBuilder("u,twice,colour,kind\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        for (int i = 0; i < 600; i++) {
            double u = random.nextGaussian();
            b.append(String.format("%.4f,%.4f,%s,normal%n", u, 2 * u + 0.05 * random.nextGaussian(),
                    u > 0 ? "red" : "blue"));
        }
        b.append("1.5,3.0,blue,odd\n"); // row 601: its colour is the one that is wrong
        b.append("-1.0,6.0,blue,odd\n"); // row 602: its 'twice' is
        Path csv = write("t.csv", b.toString());
        Path run = dir.resolve("run");
        assertEquals(0, CliTest.run("train", "--data", csv.toString(), "--label-column", "kind", "--hidden", "32",
                "--epochs", "40", "--batch", "32", "--contamination", "0.01", "--iw-samples", "0", "--out",
                run.toString()).code());
        String model = run.resolve("model.svae").toString();
        CliTest.Run r = CliTest.run("explain", "--model", model, "--data", csv.toString(), "--row", "601");
        assertEquals(0, r.code(), r.err());
        List<String> out = r.out().lines().toList();
        assertTrue(out.get(0).startsWith("row 601 (") && out.get(0).contains("line 602"), out.get(0));
        assertTrue(out.get(0).contains("percentile") && out.get(0).contains("OUTLIER"), out.get(0));
        int table = out.indexOf(out.stream().filter(l -> l.startsWith("column")).findFirst().orElseThrow());
        assertTrue(out.get(table + 1).startsWith("colour") && out.get(table + 1).contains("blue")
                && out.get(table + 1).contains("red"), r.out());
        r = CliTest.run("explain", "--model", model, "--data", csv.toString(), "--row", "602", "--top", "1");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("twice")), r.out());
        TabularCliTest.assertOneLineError(new String[] {"explain", "--model", model, "--data", csv.toString(),
            "--row", "603"}, "--row must be between 1 and 602");
    }

    @Test
    void trainFromAModelGoesOnWithItsColumnsAndRefusesAnotherShape() throws IOException {
        Planted p = Planted.make(400, 0, 6, 0.05, 23);
        Path csv = write("a.csv", p.csv("kind"));
        Path base = dir.resolve("base");
        assertEquals(0, CliTest.run("train", "--data", csv.toString(), "--label-column", "kind", "--hidden", "16",
                "--epochs", "3", "--contamination", "0.1", "--iw-samples", "0", "--out", base.toString()).code());
        String model = base.resolve("model.svae").toString();
        Path next = dir.resolve("next");
        CliTest.Run r = CliTest.run("train", "--from", model, "--data", csv.toString(), "--label-column", "kind",
                "--epochs", "2", "--lr", "0.0005", "--iw-samples", "0", "--out", next.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject m = metrics(next);
        assertEquals(model, m.getAsJsonObject("config").get("from").getAsString());
        assertEquals(16, m.getAsJsonObject("config").getAsJsonArray("hidden").get(0).getAsInt());
        assertEquals(0.1, m.get("contamination").getAsDouble(), "the model's decision carries over");
        assertEquals(0.0005, m.getAsJsonObject("config").get("learning_rate").getAsDouble());
        assertTrue(!m.get("params_sha256").getAsString().equals(metrics(base).get("params_sha256").getAsString()));

        TabularCliTest.assertOneLineError(new String[] {"train", "--from", model, "--data", csv.toString(),
            "--hidden", "32", "--out", dir.resolve("o1").toString()}, "--hidden comes from the model");
        Path other = write("b.csv", Planted.make(100, 0, 4, 0.05, 2).csv("kind"));
        TabularCliTest.assertOneLineError(new String[] {"train", "--from", model, "--data", other.toString(),
            "--label-column", "kind", "--out", dir.resolve("o2").toString()}, "b.csv", "no column 'x4'");
        StringBuilder levels = new StringBuilder("a,b\n");
        for (int i = 0; i < 40; i++) {
            levels.append(i).append(',').append(i % 2 == 0 ? "x" : "y").append('\n');
        }
        Path before = write("levels.csv", levels.toString());
        Path after = write("more-levels.csv", levels.toString().replace("3,y", "3,z"));
        Path small = dir.resolve("small");
        assertEquals(0, CliTest.run("train", "--data", before.toString(), "--hidden", "4", "--epochs", "1",
                "--iw-samples", "0", "--out", small.toString()).code());
        TabularCliTest.assertOneLineError(new String[] {"train", "--from", small.resolve("model.svae").toString(),
            "--data", after.toString(), "--out", dir.resolve("o5").toString()}, "more-levels.csv", "column 'b'",
            "'z'", "keeps the levels it was first trained with");
        TabularCliTest.assertOneLineError(new String[] {"train", "--from", csv.toString(), "--data", csv.toString(),
            "--out", dir.resolve("o3").toString()}, "not a simdvae model");
        TabularCliTest.assertOneLineError(new String[] {"train", "--data", csv.toString(), "--contamination", "0.7",
            "--out", dir.resolve("o4").toString()}, "contamination must be in (0, 0.5]");
        TabularCliTest.assertOneLineError(new String[] {"score", "--model", model, "--data", csv.toString(),
            "--threshold", "NaN", "--out", dir.resolve("s.csv").toString()}, "threshold must be a finite number");
        TabularCliTest.assertOneLineError(new String[] {"score", "--model", model, "--data", csv.toString(),
            "--threshold", "3", "--contamination", "0.1", "--out", dir.resolve("s.csv").toString()},
            "give one of --contamination, --threshold and --fdr");
    }
}
