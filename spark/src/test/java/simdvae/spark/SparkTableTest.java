package simdvae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import simdvae.vae.Embedding;
import simdvae.vae.Scores;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.DriftReport;

/**
 * Tables with string columns and nulls on Spark: the same bits as the single-machine path for any partitioning, and
 * handleInvalid's three answers.
 */
class SparkTableTest {
    static final int ROWS = 300;
    static final List<String> NAMES = List.of("x", "colour", "y", "answer");
    static final Object[][] CELLS = cells();

    static Object[][] cells() {
        SplittableRandom r = new SplittableRandom(4);
        Object[][] t = new Object[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            double x = r.nextGaussian();
            t[i] = new Object[] {x, x < 0 ? "red" : "blue", r.nextInt(8) == 0 ? null : 2 * x + 0.3 * r.nextGaussian(),
                r.nextInt(10) == 0 ? null : x > 0.5 ? "yes" : "no"};
        }
        return t;
    }

    /**
     * {@link #CELLS} with every eighth row moved: x far out and the colour that goes with the other sign, so that the
     * rows break both the values and the relation the model learnt.
     */
    static Object[][] oddCells() {
        Object[][] t = new Object[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            Object[] c = CELLS[i];
            t[i] = i % 8 != 0 ? c : new Object[] {(Double) c[0] + 5, "red".equals(c[1]) ? "blue" : "red", c[2], c[3]};
        }
        return t;
    }

    static Dataset<Row> frame(SparkSession spark, int partitions) {
        return frame(spark, CELLS, partitions);
    }

    static Dataset<Row> frame(SparkSession spark, Object[][] cells, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            Object[] c = cells[i];
            rows.add(RowFactory.create(i, c[0], c[1], c[2], c[3]));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("x", DataTypes.DoubleType)
                .add("colour", DataTypes.StringType).add("y", DataTypes.DoubleType)
                .add("answer", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(partitions).sort("id");
    }

    static VaeEstimator estimator(int shards) {
        return new VaeEstimator().setFeatureCols(NAMES.toArray(new String[0])).setHandleInvalid("keep")
                .setLikelihood("gaussian").setHidden(12).setLatent(2).setBatchSize(16).setEpochs(3).setSeed(9)
                .setShards(shards).setSyncEvery(7);
    }

    /** The model {@code e}'s settings train on {@code data} in this JVM, without Spark: what Spark must match. */
    static Vae trainedAlone(VaeEstimator e, simdvae.vae.data.Dataset data) {
        Vae alone = Vae.create(e.config(NAMES.size()), data);
        try (Trainer t = new Trainer(alone)) {
            t.train(data);
        }
        return alone;
    }

    @Test
    void aTableWithStringsAndNullsTrainsToTheSingleMachineBitsOnAnyPartitioning() {
        VaeEstimator e = estimator(1);
        simdvae.vae.data.Dataset data = simdvae.vae.data.Dataset.of(CELLS, NAMES);
        Vae alone = trainedAlone(e, data);
        String one = VaeEstimatorTest.withSpark("local[1]", spark -> e.fit(frame(spark, 1)).vae()
                .parametersSha256());
        assertEquals(alone.parametersSha256(), one, "one shard: the single-machine model");
        String two = VaeEstimatorTest.withSpark("local[2]", spark -> e.fit(frame(spark, 3)).vae()
                .parametersSha256());
        assertEquals(one, two, "another partitioning, other cores");
        String shards = VaeEstimatorTest.withSpark("local[2]", spark -> estimator(2).fit(frame(spark, 2)).vae()
                .parametersSha256());
        String again = VaeEstimatorTest.withSpark("local[1]", spark -> estimator(2).fit(frame(spark, 5)).vae()
                .parametersSha256());
        assertEquals(shards, again, "two shards, any partitioning");
    }

    @Test
    void scoresAreTheModelsAndHandleInvalidIsErrorSkipOrKeep() {
        simdvae.vae.data.Dataset data = simdvae.vae.data.Dataset.of(CELLS, NAMES);
        Vae vae = trainedAlone(estimator(1), data);
        double[] expected = vae.embed(data).score();
        VaeEstimatorTest.withSpark("local[2]", spark -> {
            VaeModel model = new VaeModel(vae).setFeatureCols(NAMES.toArray(new String[0]));
            Dataset<Row> in = frame(spark, 3);
            Exception e = assertThrows(Exception.class, () -> model.transform(in).count());
            assertTrue(VaeModelTest.rootMessage(e).contains("a null in column"), VaeModelTest.rootMessage(e));
            List<Row> kept = model.setHandleInvalid("keep").transform(in).select("id", "score").collectAsList();
            assertEquals(ROWS, kept.size());
            for (Row r : kept) {
                assertEquals(expected[r.getInt(0)], r.getDouble(1), 0, "row " + r.getInt(0));
            }
            long complete = java.util.Arrays.stream(CELLS).filter(c -> c[2] != null && c[3] != null).count();
            assertEquals(complete, model.setHandleInvalid("skip").transform(in).count());
            return null;
        });
    }

    @Test
    void percentilesOutliersAndPerColumnNatsAreTheSingleMachinesWhateverThePartitioning() {
        simdvae.vae.data.Dataset data = simdvae.vae.data.Dataset.of(CELLS, NAMES);
        VaeEstimator e = estimator(1).setContamination(0.1);
        Vae alone = trainedAlone(e, data);
        Vae decided = alone.withDecision(simdvae.vae.decide.Decision.contamination(0.1));
        Embedding expected = decided.embed(data, true);
        Scores scores = decided.score(data);
        double threshold = decided.threshold();
        for (int partitions : new int[] {1, 4}) {
            VaeEstimatorTest.withSpark("local[2]", spark -> {
                VaeModel model = e.fit(frame(spark, partitions)).setPerColumn(true);
                assertEquals("training", model.vae().reference().source());
                assertEquals(ROWS, model.vae().reference().rows(), "one shard: every row is a reference row");
                assertEquals(threshold, model.vae().threshold(), "the single machine's threshold");
                List<Row> rows = model.transform(frame(spark, partitions))
                        .select("id", "score", "percentile", "outlier", "nats", "p_value").collectAsList();
                int flagged = 0;
                for (Row r : rows) {
                    int i = r.getInt(0);
                    assertEquals(expected.score()[i], r.getDouble(1), 0);
                    assertEquals(decided.reference().scores().percentile(expected.score()[i]), r.getDouble(2), 0);
                    assertEquals(expected.score()[i] > threshold, r.getBoolean(3));
                    assertEquals(scores.outlier(i), r.getBoolean(3));
                    assertEquals(scores.pValue(i), r.getDouble(5), 0);
                    List<Float> nats = r.getList(4);
                    for (int j = 0; j < NAMES.size(); j++) {
                        assertEquals(expected.perColumn()[i][j], nats.get(j), 0);
                    }
                    flagged += r.getBoolean(3) ? 1 : 0;
                }
                assertTrue(Math.abs(flagged - 0.1 * ROWS) <= 1, flagged + " flagged");
                // the threshold changes without retraining
                assertEquals(0, model.setThreshold(1e9).transform(frame(spark, partitions))
                        .filter("outlier").count());
                return null;
            });
        }
    }

    @Test
    void aFalseDiscoveryRateAndDriftOnATableAreTheSingleMachinesWhateverThePartitioning() {
        simdvae.vae.data.Dataset data = simdvae.vae.data.Dataset.of(CELLS, NAMES);
        Vae alone = trainedAlone(estimator(1), data);
        Object[][] odd = oddCells();
        simdvae.vae.data.Dataset oddData = simdvae.vae.data.Dataset.of(odd, NAMES);
        double q = 0.2;
        Scores expected = alone.withDecision(Decision.fdr(q)).score(oddData);
        int flagged = 0;
        for (boolean o : expected.outliers()) {
            flagged += o ? 1 : 0;
        }
        assertTrue(flagged > 0 && flagged < ROWS / 2, flagged + " rows flagged: the test would not test");
        DriftReport drift = alone.drift(oddData);
        VaeEstimatorTest.withSpark("local[2]", spark -> {
            VaeModel model = new VaeModel(alone).setFeatureCols(NAMES.toArray(new String[0]))
                    .setHandleInvalid("keep");
            for (int partitions : new int[] {1, 3, 7}) {
                List<Row> rows = model.setFdr(q).transform(frame(spark, odd, partitions))
                        .select("id", "p_value", "outlier").collectAsList();
                assertEquals(ROWS, rows.size());
                for (Row r : rows) {
                    int i = r.getInt(0);
                    assertEquals(expected.pValue(i), r.getDouble(1), 0, "p-value of row " + i);
                    assertEquals(expected.outlier(i), r.getBoolean(2), partitions + " partitions, row " + i);
                }
                DriftReport d = model.drift(frame(spark, odd, partitions));
                assertEquals(drift.logP(), d.logP(), partitions + " partitions");
                assertEquals(drift.columns(), d.columns(), partitions + " partitions");
                assertArrayEquals(drift.counts().counts(), d.counts().counts(), partitions + " partitions");
            }
            return null;
        });
    }
}
