package simdvae.spark;

import org.apache.spark.sql.SparkSession;

/** A local Spark session for one test class: the UI off, few shuffle partitions, quiet. */
final class SparkTestSession {
    private SparkTestSession() {
    }

    static SparkSession start(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("simdvae-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
