package simdvae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import simdvae.vae.Scores;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;

/**
 * An ensemble on Spark: its members trained one after another, each data-parallel, give with one shard the local
 * ensemble's bits whatever the partitioning, and its model scores every row as the library's ensemble does.
 */
class VaeEstimatorEnsembleTest {
    @Test
    void anEnsembleEstimatorsModelIsTheLocalEnsembleOnOneAndThreePartitions() {
        VaeEstimator e = VaeEstimatorTest.estimator(1, 6).setEnsemble(3);
        VaeConfig config = e.config(VaeEstimatorTest.FEATURES);
        assertEquals(3, config.training().ensemble());
        Vae local = Vae.create(config);
        try (Trainer t = new Trainer(local)) {
            t.train(simdvae.vae.data.Dataset.of(VaeEstimatorTest.X));
        }
        Scores s = local.score(simdvae.vae.data.Dataset.of(VaeEstimatorTest.X));
        for (int partitions : new int[] {1, 3}) {
            VaeEstimatorTest.withSpark("local[2]", spark -> {
                VaeModel model = e.fit(VaeEstimatorTest.frame(spark).repartition(partitions).sort("id"));
                assertEquals(3, model.vae().members());
                assertEquals(local.parametersSha256(), model.vae().parametersSha256(), partitions + " partitions");
                List<Row> rows = model.transform(VaeEstimatorTest.frame(spark).repartition(2))
                        .select("id", "score", "p_value").collectAsList();
                assertEquals(VaeEstimatorTest.ROWS, rows.size());
                for (Row r : rows) {
                    int i = r.getInt(0);
                    assertEquals(s.score()[i], r.getDouble(1), "score of row " + i);
                    assertEquals(s.pValue(i), r.getDouble(2), "p-value of row " + i);
                }
                return null;
            });
        }
    }

    @Test
    void theEnsembleParamIsCheckedAndSetFromAConfig() {
        VaeEstimator e = new VaeEstimator().setConfig(VaeConfig.defaults().withEnsemble(4));
        assertEquals(4, e.getEnsemble());
        assertEquals(1, new VaeEstimator().getEnsemble());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new VaeEstimator().setEnsemble(0).config(5));
        assertEquals("an ensemble must have 1 to 1000 members, got 0", bad.getMessage());
    }
}
