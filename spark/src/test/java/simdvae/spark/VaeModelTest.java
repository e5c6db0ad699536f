package simdvae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.vae.Encoding;
import simdvae.vae.Scores;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.DriftReport;
import simdvae.vae.model.Likelihood;

/** VaeModel: the same bits as the library on every row, whatever the partitioning, input form or persistence. */
class VaeModelTest {
    static final int FEATURES = 12;
    static final int ROWS = 700;
    static SparkSession spark;
    static Vae vae;
    static float[][] x;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("local[2]");
        x = rows(ROWS, 3);
        vae = train(x);
    }

    /** {@code n} rows of a two-factor model of {@value #FEATURES} columns, seeded. */
    static float[][] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][FEATURES];
        for (float[] row : x) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            for (int j = 0; j < FEATURES; j++) {
                row[j] = (float) (10 + 3 * Math.sin(j) * a + j * b + 0.3 * r.nextGaussian());
            }
        }
        return x;
    }

    /** A small Gaussian model trained on {@code x}; its reference rows are those training rows. */
    static Vae train(float[][] x) {
        Vae v = Vae.create(VaeConfig.defaults().withInput(FEATURES).withHidden(List.of(16)).withLatent(2)
                .withLikelihood(Likelihood.GAUSSIAN).withEpochs(3).withBatch(32).withThreads(1));
        try (Trainer t = new Trainer(v)) {
            t.train(simdvae.vae.data.Dataset.of(x));
        }
        return v;
    }

    /** {@link #x} with every tenth row moved far from the others: outliers a false-discovery rate can find. */
    static float[][] withOutliers() {
        float[][] y = new float[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            y[i] = x[i].clone();
            for (int j = 0; i % 10 == 0 && j < FEATURES; j++) {
                y[i][j] += (j % 2 == 0 ? 10f : -10f) * (1 + i % 3);
            }
        }
        return y;
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Dataset<Row> frame(String form) {
        return frame(form, x);
    }

    /** {@code x}'s rows with an {@code id}, in one of the input forms: float, double, vector or columns. */
    static Dataset<Row> frame(String form, float[][] x) {
        List<Row> rows = new ArrayList<>();
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false);
        switch (form) {
            case "float" -> schema = schema.add("features", DataTypes.createArrayType(DataTypes.FloatType));
            case "double" -> schema = schema.add("features", DataTypes.createArrayType(DataTypes.DoubleType));
            case "vector" -> schema = schema.add("features", SQLDataTypes.VectorType());
            default -> {
                for (int j = 0; j < FEATURES; j++) {
                    schema = schema.add("c" + j, DataTypes.DoubleType, false);
                }
            }
        }
        for (int i = 0; i < ROWS; i++) {
            double[] d = new double[FEATURES];
            Float[] f = new Float[FEATURES];
            Double[] boxed = new Double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                d[j] = x[i][j];
                f[j] = x[i][j];
                boxed[j] = (double) x[i][j];
            }
            Object[] values = switch (form) {
                case "float" -> new Object[] {i, f};
                case "double" -> new Object[] {i, boxed};
                case "vector" -> new Object[] {i, Vectors.dense(d)};
                default -> {
                    Object[] v = new Object[FEATURES + 1];
                    v[0] = i;
                    for (int j = 0; j < FEATURES; j++) {
                        v[j + 1] = d[j];
                    }
                    yield v;
                }
            };
            rows.add(RowFactory.create(values));
        }
        return spark.createDataFrame(rows, schema);
    }

    static String[] columns() {
        String[] c = new String[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            c[j] = "c" + j;
        }
        return c;
    }

    /** Checks every output row against the library's own encode and score, by the row's id. */
    static void assertSameAsLibrary(Dataset<Row> out, String prefix) {
        Encoding e = vae.encode(x);
        Scores s = vae.score(simdvae.vae.data.Dataset.of(x));
        List<Row> rows = out.select("id", prefix + "mu", prefix + "logvar", prefix + "score", prefix + "p_value",
                prefix + "percentile").collectAsList();
        assertEquals(ROWS, rows.size());
        for (Row r : rows) {
            int i = r.getInt(0);
            assertArrayEquals(e.mu()[i], floats(r.getList(1)), "mu of row " + i);
            assertArrayEquals(e.logVar()[i], floats(r.getList(2)), "logvar of row " + i);
            assertEquals(s.reconstruction()[i] + s.kl()[i], r.getDouble(3), "score of row " + i);
            assertEquals(s.score()[i], r.getDouble(3), "score of row " + i);
            assertEquals(s.pValue(i), r.getDouble(4), "p-value of row " + i);
            assertEquals(s.percentile(i), r.getDouble(5), "percentile of row " + i);
        }
    }

    static float[] floats(List<Object> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (Float) l.get(i);
        }
        return f;
    }

    @Test
    void everyRowEqualsTheLibraryWhateverThePartitioning() {
        VaeModel model = new VaeModel(vae);
        for (int partitions : new int[] {1, 3, 7}) {
            assertSameAsLibrary(model.transform(frame("float").repartition(partitions)), "");
        }
    }

    @Test
    void doubleArraysVectorsAndNumericColumnsGiveTheSameRows() {
        assertSameAsLibrary(new VaeModel(vae).transform(frame("double")), "");
        assertSameAsLibrary(new VaeModel(vae).setOutputPrefix("vae_").transform(frame("vector")), "vae_");
        assertSameAsLibrary(new VaeModel(vae).setFeatureCols(columns()).transform(frame("columns")), "");
    }

    @Test
    void savedAndLoadedAloneOrInAPipelineItScoresTheSame(@TempDir Path dir) throws Exception {
        VaeModel model = new VaeModel(vae).setOutputPrefix("p_").setFdr(0.05);
        String path = dir.resolve("model").toString();
        model.write().save(path);
        assertTrue(Files.exists(dir.resolve("model").resolve(VaeModel.MODEL_FILE)));
        VaeModel loaded = VaeModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertEquals(0.05, loaded.getOrDefault(loaded.fdr()));
        assertEquals(vae.parametersSha256(), loaded.vae().parametersSha256());
        assertSameAsLibrary(loaded.transform(frame("float")), "p_");

        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {model}).fit(frame("float"));
        String pipePath = dir.resolve("pipeline").toString();
        pipeline.write().save(pipePath);
        assertSameAsLibrary(PipelineModel.load(pipePath).transform(frame("float")), "p_");
    }

    @Test
    void aFalseDiscoveryRateFlagsTheSingleMachinesRowsWhateverThePartitioning() {
        float[][] y = withOutliers();
        double q = 0.1;
        Scores expected = vae.withDecision(Decision.fdr(q)).score(simdvae.vae.data.Dataset.of(y));
        int flagged = 0;
        for (boolean o : expected.outliers()) {
            flagged += o ? 1 : 0;
        }
        assertTrue(flagged > ROWS / 20 && flagged < ROWS / 2, flagged + " rows flagged: the test would not test");
        VaeModel model = new VaeModel(vae).setFdr(q);
        for (int partitions : new int[] {1, 3, 7}) {
            List<Row> rows = model.transform(frame("float", y).repartition(partitions))
                    .select("id", "score", "p_value", "outlier").collectAsList();
            assertEquals(ROWS, rows.size());
            for (Row r : rows) {
                int i = r.getInt(0);
                assertEquals(expected.score()[i], r.getDouble(1), "score of row " + i);
                assertEquals(expected.pValue(i), r.getDouble(2), "p-value of row " + i);
                assertEquals(expected.outlier(i), r.getBoolean(3), partitions + " partitions, row " + i);
            }
        }
    }

    @Test
    void fdrThresholdAndContaminationReplaceEachOtherAndBadRatesAreRefused() {
        VaeModel model = new VaeModel(vae).setFdr(0.05).setThreshold(30);
        assertFalse(model.isDefined(model.fdr()));
        assertTrue(model.setFdr(0.05).isDefined(model.fdr()) && !model.isDefined(model.threshold()));
        assertFalse(model.setContamination(0.1).isDefined(model.fdr()));
        for (double bad : new double[] {0, 1, -0.1, Double.NaN}) {
            String m = assertThrows(IllegalArgumentException.class, () -> new VaeModel(vae).setFdr(bad))
                    .getMessage();
            assertTrue(m.startsWith("fdr must be a false-discovery rate in (0, 1)") && !m.contains("\n"), m);
        }
        // both set another way (a param map) is refused before any job
        VaeModel base = new VaeModel(vae).setThreshold(30);
        VaeModel both = base.copy(new ParamMap().put(base.fdr().w(0.1)));
        String m = assertThrows(IllegalArgumentException.class, () -> both.transform(frame("float"))).getMessage();
        assertTrue(m.contains("set one of threshold, contamination and fdr"), m);
    }

    @Test
    void driftOverADataFrameIsTheSingleMachinesReportWhateverThePartitioning() {
        float[][] y = withOutliers();
        DriftReport expected = vae.drift(simdvae.vae.data.Dataset.of(y));
        // a report with something to compare: every column tested, the shifted tenth seen
        assertTrue(expected.columns().size() == FEATURES && expected.p() < 0.1, "p = " + expected.p());
        VaeModel model = new VaeModel(vae);
        for (int partitions : new int[] {1, 3, 7}) {
            DriftReport r = model.drift(frame("float", y).repartition(partitions));
            assertEquals(ROWS, r.rows());
            assertEquals(expected.logP(), r.logP(), partitions + " partitions");
            assertEquals(expected.columns(), r.columns(), partitions + " partitions");
            assertArrayEquals(expected.counts().counts(), r.counts().counts(), partitions + " partitions");
        }
        // the numeric columns read the same numbers
        assertEquals(expected.columns(), model.setFeatureCols(columns()).drift(frame("columns", y)).columns());
        String empty = assertThrows(IllegalArgumentException.class,
                () -> new VaeModel(vae).drift(frame("float").limit(0))).getMessage();
        assertTrue(empty.contains("empty batch"), empty);
    }

    @Test
    void wrongColumnsAreRefusedWithOneLine() {
        VaeModel model = new VaeModel(vae);
        Dataset<Row> f = frame("float");
        String missing = assertThrows(IllegalArgumentException.class,
                () -> model.setInputCol("pixels").transform(f)).getMessage();
        assertTrue(missing.startsWith("no column pixels"), missing);
        String type = assertThrows(IllegalArgumentException.class,
                () -> model.setInputCol("id").transform(f)).getMessage();
        assertTrue(type.contains("must be array<float>, array<double> or an ML Vector"), type);
        String count = assertThrows(IllegalArgumentException.class,
                () -> new VaeModel(vae).setFeatureCols("c0", "c1").transform(frame("columns"))).getMessage();
        assertTrue(count.contains("the model expects 12 features"), count);
        String clash = assertThrows(IllegalArgumentException.class,
                () -> new VaeModel(vae).setOutputPrefix("").transform(new VaeModel(vae).transform(f)))
                .getMessage();
        assertTrue(clash.contains("already has a column mu"), clash);
        Dataset<Row> shortRows = spark.createDataFrame(List.of(RowFactory.create(0, new Float[] {1f, 2f})),
                new StructType().add("id", DataTypes.IntegerType).add("features",
                        DataTypes.createArrayType(DataTypes.FloatType)));
        Exception e = assertThrows(Exception.class, () -> new VaeModel(vae).transform(shortRows).collectAsList());
        assertTrue(rootMessage(e).contains("has 2 values, the model expects 12"), rootMessage(e));
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
