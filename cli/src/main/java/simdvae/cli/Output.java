package simdvae.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.Storage;
import simdvae.vae.table.Schema;

/** Where commands write: never over existing results unless asked. */
public final class Output {
    private Output() {
    }

    /**
     * Makes {@code dir} ready for a new run's results: absent or empty (but for a run's lock), and writable.
     *
     * @param dir   the directory
     * @param force whether existing results may be written over
     * @return {@code dir}
     */
    public static Path freshDirectory(Path dir, boolean force) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new SimdvaeException("--out " + dir + " exists and is not a directory");
                }
                try (Stream<Path> entries = Files.list(dir)) {
                    // a run's lock file alone is not a result (RunLock)
                    if (entries.anyMatch(e -> !e.getFileName().toString().equals(RunLock.FILE)) && !force) {
                        throw new SimdvaeException("output directory " + dir + " already holds results; choose"
                                + " another --out, or add --force to write over them");
                    }
                }
            }
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", "");
            Files.delete(probe);
            return dir;
        } catch (IOException e) {
            throw new SimdvaeException("cannot write to output directory " + dir + ": " + Storage.describe(e), e);
        }
    }

    /**
     * A new run's results folder: {@code out}, or {@code runs/<prefix><date-time>} when none was given, made ready by
     * {@link #freshDirectory}.
     *
     * @param out    the folder asked for, or null
     * @param prefix the default folder's prefix ("" or "spark-")
     * @param force  whether existing results may be written over
     * @return the folder
     */
    public static Path runDirectory(Path out, String prefix, boolean force) {
        return freshDirectory(out != null ? out : Path.of("runs", prefix + java.time.LocalDateTime.now().format(
                java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), force);
    }

    /**
     * {@code --n}, checked: how many rows a picture or CSV file of {@code sample} or {@code reconstruct} holds.
     *
     * @param n the option's value
     * @return n, between 1 and 10000
     */
    static int rowCount(int n) {
        if (n < 1 || n > 10_000) {
            throw new SimdvaeException("--n must be between 1 and 10000, got " + n);
        }
        return n;
    }

    /** Whether {@code file} is to be written as CSV (its name ends with .csv) rather than as a picture. */
    static boolean isCsv(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    }

    /** Fills the cells of row {@code i} (the list comes empty). */
    @FunctionalInterface
    interface CsvRow {
        void cells(int i, List<Object> cells);
    }

    /**
     * The rule that keeps an output column from taking an input column's name: an output name that equals one of
     * {@code inputs} gets an underscore in front, as many times as it takes ({@code score} → {@code _score}).
     *
     * @param name   the output's name
     * @param inputs the input columns' names
     * @return the name to write
     */
    public static String outputName(String name, java.util.Collection<String> inputs) {
        String n = name;
        while (inputs.contains(n)) {
            n = "_" + n;
        }
        return n;
    }

    /** Writes a CSV file atomically: {@code header}, then {@code rows} lines filled by {@code row}. */
    static void writeCsv(Path file, List<String> header, int rows, CsvRow row) {
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            csv.printRecord(header);
            List<Object> cells = new ArrayList<>(header.size());
            for (int i = 0; i < rows; i++) {
                cells.clear();
                row.cells(i, cells);
                csv.printRecord(cells);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        Storage.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes rows of a model's columns as CSV: a header of the model's column names (x0, x1, … when it has none), one
     * line per row; a categorical column's level index written as the level's name, a missing value (NaN) as an
     * empty cell.
     */
    static void writeRows(Path file, Vae vae, float[][] rows) {
        List<String> header = columnNames(vae);
        Schema columns = vae.features().schema();
        writeCsv(file, header, rows.length, (i, cells) -> {
            for (int j = 0; j < rows[i].length; j++) {
                float v = rows[i][j];
                boolean level = columns != null && columns.kind(j) == Dataset.Kind.CATEGORICAL;
                cells.add(Float.isNaN(v) ? "" : level ? columns.levels(j).get((int) v) : v);
            }
        });
    }

    /**
     * The model's column names, or x0, x1, … for a model of unnamed columns (images).
     *
     * @param vae the model
     * @return a name per column
     */
    public static List<String> columnNames(Vae vae) {
        List<String> names = vae.features().names();
        if (names != null) {
            return names;
        }
        List<String> xs = new ArrayList<>();
        for (int j = 0; j < vae.columnCount(); j++) {
            xs.add("x" + j);
        }
        return xs;
    }

    /** Makes sure {@code file} can be written without replacing an existing one (unless {@code force}). */
    static Path newFile(Path file, boolean force) {
        if (Files.exists(file) && !force) {
            throw new SimdvaeException(file + " already exists; choose another --out, or add --force to replace it");
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new SimdvaeException("cannot write to " + parent + ": " + Storage.describe(e), e);
        }
        if (!Files.isWritable(parent)) {
            throw new SimdvaeException("cannot write to " + parent + ": permission denied");
        }
        return file;
    }
}
