package simdvae.cli;

import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import simdvae.vae.data.Storage;

/** {@code metrics.json}: a run's configuration and results as pretty JSON (NaN and nulls kept), written atomically. */
public final class MetricsFile {
    static final String FILE = "metrics.json";

    private MetricsFile() {
    }

    /**
     * Writes {@code metrics} as {@code dir/metrics.json}.
     *
     * @param dir     the run's directory
     * @param metrics the values, in order
     */
    public static void write(Path dir, Map<String, Object> metrics) {
        writeJson(dir.resolve(FILE), metrics);
    }

    /**
     * Writes {@code values} as pretty-printed JSON into {@code file}, atomically.
     *
     * @param file   the file
     * @param values the values
     */
    public static void writeJson(Path file, Map<String, Object> values) {
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .serializeNulls().create().toJson(values);
        Storage.writeAtomically(file, (json + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
