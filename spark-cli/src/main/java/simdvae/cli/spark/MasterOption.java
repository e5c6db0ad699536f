package simdvae.cli.spark;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** {@code --master URL}, declared once for {@code simdvae spark train} and {@code score}. */
final class MasterOption {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default ${DEFAULT-VALUE}).")
    String url = "local[*]";

    /** Options are filled in by picocli. */
    MasterOption() {
    }

    /** The session on this master (see {@link Sessions#start}). */
    SparkSession start() {
        return Sessions.start(url);
    }
}
