package simdvae.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import simdvae.vae.Storage;
import simdvae.vae.SimdvaeException;
import simdvae.vae.Vae;

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

    /** Whether {@code file} is to be written as CSV (its name ends with .csv) rather than as a picture. */
    static boolean isCsv(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    }

    /**
     * Writes rows of a model's features as CSV, atomically: a header of the model's column names (x0, x1, … when it
     * has none), one line per row.
     */
    static void writeRows(Path file, Vae vae, float[][] rows) {
        int n = vae.architecture().input();
        java.util.List<String> header = vae.features().names();
        if (header == null) {
            header = new java.util.ArrayList<>();
            for (int j = 0; j < n; j++) {
                header.add("x" + j);
            }
        }
        java.io.StringWriter text = new java.io.StringWriter();
        try (org.apache.commons.csv.CSVPrinter csv = new org.apache.commons.csv.CSVPrinter(text,
                org.apache.commons.csv.CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            csv.printRecord(header);
            java.util.List<Object> row = new java.util.ArrayList<>(n);
            for (float[] r : rows) {
                row.clear();
                for (float v : r) {
                    row.add(v);
                }
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        Storage.writeAtomically(file, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
