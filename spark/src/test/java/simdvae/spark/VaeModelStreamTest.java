package simdvae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.vae.Vae;

/**
 * VaeModel on Structured Streaming: a query over a growing folder of CSV files writes, row for row, the values of the
 * batch transform of the same files; what needs an end (a false-discovery rate, drift) is refused in one line.
 */
class VaeModelStreamTest {
    static final int ROWS = 450;
    static SparkSession spark;
    static Vae vae;
    static float[][] x;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("local[2]");
        x = VaeModelTest.rows(ROWS, 11);
        vae = VaeModelTest.train(x);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static StructType schema() {
        StructType s = new StructType().add("id", DataTypes.IntegerType, false);
        for (int j = 0; j < VaeModelTest.FEATURES; j++) {
            s = s.add("c" + j, DataTypes.DoubleType, false);
        }
        return s;
    }

    /**
     * Rows {@code from} to {@code to} as one CSV file in {@code folder}, written elsewhere and moved in at once (a
     * file source may list a file that is still being written).
     */
    static void addFile(Path staging, Path folder, int from, int to) throws IOException {
        addFile(staging, folder, x, from, to);
    }

    static void addFile(Path staging, Path folder, float[][] x, int from, int to) throws IOException {
        StringBuilder s = new StringBuilder("id");
        for (int j = 0; j < VaeModelTest.FEATURES; j++) {
            s.append(",c").append(j);
        }
        s.append('\n');
        for (int i = from; i < to; i++) {
            s.append(i);
            for (int j = 0; j < VaeModelTest.FEATURES; j++) {
                s.append(',').append(x[i][j]);
            }
            s.append('\n');
        }
        Path file = staging.resolve("rows-" + from + ".csv");
        Files.writeString(file, s);
        Files.move(file, folder.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    static final String[] OUTPUTS = {"mu", "logvar", "score", "p_value", "percentile", "outlier"};

    @Test
    void aQueryOverAGrowingFolderWritesTheBatchTransformsValues(@TempDir Path dir) throws Exception {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Path folder = Files.createDirectories(dir.resolve("in"));
        VaeModel model = new VaeModel(vae).setFeatureCols(VaeModelTest.columns()).setContamination(0.1);
        addFile(staging, folder, 0, 100);
        Dataset<Row> stream = spark.readStream().schema(schema()).option("header", "true").csv(folder.toString());
        Dataset<Row> scored = model.transform(stream);
        assertTrue(scored.isStreaming());
        StreamingQuery query = scored.writeStream().format("memory").queryName("scored_rows").outputMode("append")
                .option("checkpointLocation", dir.resolve("checkpoint").toString()).start();
        try {
            query.processAllAvailable();
            assertEquals(100, spark.table("scored_rows").count());
            addFile(staging, folder, 100, 250);
            query.processAllAvailable();
            assertEquals(250, spark.table("scored_rows").count());
            addFile(staging, folder, 250, 330);
            addFile(staging, folder, 330, ROWS);
            query.processAllAvailable();
        } finally {
            query.stop();
        }
        Dataset<Row> batch = model.transform(spark.read().schema(schema()).option("header", "true")
                .csv(folder.toString()));
        Map<Integer, Row> expected = byId(batch.select("id", OUTPUTS).collectAsList());
        List<Row> streamed = spark.table("scored_rows").select("id", OUTPUTS).collectAsList();
        assertEquals(ROWS, expected.size());
        assertEquals(ROWS, streamed.size());
        int flagged = 0;
        for (Row r : streamed) {
            Row e = expected.get(r.getInt(0));
            assertArrayEquals(VaeModelTest.floats(e.getList(1)), VaeModelTest.floats(r.getList(1)), "mu " + r);
            assertArrayEquals(VaeModelTest.floats(e.getList(2)), VaeModelTest.floats(r.getList(2)), "logvar " + r);
            for (int k = 3; k <= 5; k++) {
                assertEquals(e.getDouble(k), r.getDouble(k), OUTPUTS[k - 1] + " of row " + r.getInt(0));
            }
            assertEquals(e.getBoolean(6), r.getBoolean(6), "outlier of row " + r.getInt(0));
            flagged += r.getBoolean(6) ? 1 : 0;
        }
        assertTrue(flagged > 0, "no row flagged: the outlier column was not compared");
    }

    @Test
    void insideForeachBatchAFalseDiscoveryRateAndDriftAreTheSingleMachinesOnEachMicroBatch(@TempDir Path dir)
            throws Exception {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Path folder = Files.createDirectories(dir.resolve("in"));
        double q = 0.2;
        VaeModel model = new VaeModel(vae).setFeatureCols(VaeModelTest.columns()).setFdr(q);
        float[][] y = new float[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            y[i] = x[i].clone();
            for (int j = 0; i % 10 == 0 && j < VaeModelTest.FEATURES; j++) {
                y[i][j] += (j % 2 == 0 ? 10f : -10f) * (1 + i % 3); // a tenth of the rows far out
            }
        }
        // per micro-batch: the rows' outliers and drift p-value on Spark and on one machine, compared afterwards
        List<String> mismatches = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> flagged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Dataset<Row> stream = spark.readStream().schema(schema()).option("header", "true").csv(folder.toString());
        StreamingQuery query = stream.writeStream().option("checkpointLocation", dir.resolve("checkpoint").toString())
                .foreachBatch((org.apache.spark.api.java.function.VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
                    List<Row> in = batch.sort("id").collectAsList();
                    float[][] rows = new float[in.size()][VaeModelTest.FEATURES];
                    for (int i = 0; i < rows.length; i++) {
                        for (int j = 0; j < VaeModelTest.FEATURES; j++) {
                            rows[i][j] = (float) in.get(i).getDouble(1 + j); // as featureCols reads a double
                        }
                    }
                    simdvae.vae.data.Dataset local = simdvae.vae.data.Dataset.of(rows);
                    boolean[] expected = vae.withDecision(simdvae.vae.decide.Decision.fdr(q)).score(local)
                            .outliers();
                    List<Row> out = model.transform(batch).sort("id").select("outlier").collectAsList();
                    for (int i = 0; i < rows.length; i++) {
                        flagged.add(expected[i] ? 1 : 0);
                        if (out.get(i).getBoolean(0) != expected[i]) {
                            mismatches.add("batch " + id + ", row id " + in.get(i).getInt(0) + ": outlier");
                        }
                    }
                    if (model.drift(batch).logP() != vae.drift(local).logP()) {
                        mismatches.add("batch " + id + ": drift");
                    }
                    sizes.add((long) rows.length);
                }).start();
        try {
            addFile(staging, folder, y, 0, 200);
            query.processAllAvailable();
            addFile(staging, folder, y, 200, ROWS);
            query.processAllAvailable();
        } finally {
            query.stop();
        }
        assertEquals(List.of(200L, (long) ROWS - 200), sizes, "two micro-batches, one a file");
        assertEquals(List.of(), mismatches);
        int n = flagged.stream().mapToInt(Integer::intValue).sum();
        assertTrue(n > 0 && n < ROWS / 2, n + " rows flagged: the outliers were not compared");
    }

    @Test
    void whatNeedsAnEndIsRefusedOnAStreamInOneLine(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("in"));
        Dataset<Row> stream = spark.readStream().schema(schema()).option("header", "true").csv(folder.toString());
        VaeModel model = new VaeModel(vae).setFeatureCols(VaeModelTest.columns());
        String fdr = assertThrows(IllegalArgumentException.class, () -> model.setFdr(0.1).transform(stream))
                .getMessage();
        assertTrue(fdr.contains("a stream has no end") && !fdr.contains("\n"), fdr);
        String drift = assertThrows(IllegalArgumentException.class, () -> model.drift(stream)).getMessage();
        assertTrue(drift.contains("not on a stream") && !drift.contains("\n"), drift);
    }

    static Map<Integer, Row> byId(List<Row> rows) {
        Map<Integer, Row> m = new HashMap<>();
        for (Row r : rows) {
            m.put(r.getInt(0), r);
        }
        return m;
    }
}
