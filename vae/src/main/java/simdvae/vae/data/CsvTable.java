package simdvae.vae.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset.Kind;

/**
 * Reads a CSV file ({@code .csv}, or gzipped {@code .csv.gz}) with a header row into a {@link TabularDataset}, with
 * Apache Commons CSV, in two passes: the first finds each column's kind (numeric when every cell that is not missing
 * is a finite number, unless {@link TableFormat} forces it), the second stores the cells (a categorical column's
 * levels sorted, then coded). Every problem is one line naming the file, the line and the column.
 */
final class CsvTable {
    /** The file, or null for a stream ({@link CsvStream}). */
    private final Path file;
    /** What messages call the source: the file, or "standard input". */
    private final String name;
    private final TableFormat format;
    private List<String> header;

    private CsvTable(Path file, String name, TableFormat format) {
        this.file = file;
        this.name = name;
        this.format = format;
    }

    /** A stream's reader of cells: its header is the stream's first record ({@link #header(List)}). */
    static CsvTable stream(String name, TableFormat format) {
        return new CsvTable(null, name, format);
    }

    /** A CSV record and its line. */
    @FunctionalInterface
    private interface RecordVisitor {
        void visit(CSVRecord record, long line);
    }

    static TabularDataset read(Path file, List<String> features, String label, boolean labelOptional,
                               TableFormat format) {
        if (!Files.isRegularFile(file)) {
            throw new SimdvaeException("data file " + file + " does not exist");
        }
        CsvTable t = new CsvTable(file, file.toString(), format);
        t.forEachRecord(null); // the header

        String labelColumn = label;
        if (label != null && !t.header.contains(label)) {
            if (!labelOptional) {
                throw new SimdvaeException(file + " has no column '" + label + "' for the label (its columns: "
                        + String.join(", ", t.header) + ")");
            }
            labelColumn = null;
        }
        List<String> chosen = t.choose(features, labelColumn);
        int n = chosen.size();
        int[] at = new int[n];
        for (int j = 0; j < n; j++) {
            at[j] = t.header.indexOf(chosen.get(j));
        }
        int labelAt = labelColumn == null ? -1 : t.header.indexOf(labelColumn);
        Kind[] kinds = t.kinds(chosen, at);
        // pass 2 (after the kinds' pass): the cells; a categorical column's texts coded in order of appearance, recoded when sorted
        List<Map<String, Integer>> seen = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            seen.add(kinds[j] == Kind.CATEGORICAL ? new LinkedHashMap<>() : null);
        }
        float[][] values = {new float[1024 * n]};
        long[][] lines = {new long[1024]};
        List<String> labelText = labelAt < 0 ? null : new ArrayList<>();
        int[] rows = {0};
        String labelName = labelColumn;
        t.forEachRecord((rec, line) -> {
            int i = rows[0];
            if ((long) (i + 1) * n > Integer.MAX_VALUE - 16) {
                throw new SimdvaeException(file + " is too large: over 2^31 values");
            }
            if ((i + 1) * n > values[0].length) {
                values[0] = Arrays.copyOf(values[0], (int) Math.min(Integer.MAX_VALUE - 16L, 2L * values[0].length));
            }
            if (i == lines[0].length) {
                lines[0] = Arrays.copyOf(lines[0], 2 * i);
            }
            lines[0][i] = line;
            for (int j = 0; j < n; j++) {
                String cell = rec.get(at[j]);
                float v;
                if (format.missing(cell)) {
                    t.missingCell(cell, line, chosen.get(j));
                    v = Float.NaN;
                } else if (kinds[j] == Kind.NUMERIC) {
                    v = t.number(cell, line, chosen.get(j));
                } else {
                    Map<String, Integer> codes = seen.get(j);
                    Integer code = codes.get(cell);
                    if (code == null) {
                        code = codes.size();
                        codes.put(cell, code);
                    }
                    v = code;
                }
                values[0][i * n + j] = v;
            }
            if (labelText != null) {
                String text = rec.get(labelAt);
                if (text.isEmpty()) {
                    throw new SimdvaeException(file + ", line " + line + ", column '" + labelName
                            + "': the label is empty");
                }
                labelText.add(text);
            }
            rows[0]++;
        });
        if (rows[0] == 0) {
            throw new SimdvaeException(file + " has a header but no rows");
        }
        float[] cells = Arrays.copyOf(values[0], rows[0] * n);
        List<List<String>> levels = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            levels.add(kinds[j] == Kind.CATEGORICAL ? recode(cells, j, n, seen.get(j)) : null);
        }
        return new TabularDataset(file.toString(), Arrays.copyOf(lines[0], rows[0]), cells, chosen, kinds, levels, labelName,
                labelText == null ? null : labelText.toArray(new String[0]));
    }

    /** Sorts column j's levels and rewrites its codes from order of appearance to sorted order. */
    private static List<String> recode(float[] cells, int j, int n, Map<String, Integer> seen) {
        List<String> sorted = TabularDataset.sortedLevels(seen.keySet());
        Map<String, Integer> rank = new HashMap<>();
        for (int c = 0; c < sorted.size(); c++) {
            rank.put(sorted.get(c), c);
        }
        int[] to = new int[seen.size()];
        seen.forEach((text, code) -> to[code] = rank.get(text));
        for (int i = j; i < cells.length; i += n) {
            if (!Float.isNaN(cells[i])) {
                cells[i] = to[(int) cells[i]];
            }
        }
        return sorted;
    }

    /** The feature columns: {@code features} in order, or every column but the label. */
    List<String> choose(List<String> features, String labelColumn) {
        List<String> chosen = new ArrayList<>();
        if (features == null) {
            for (String h : header) {
                if (!h.equals(labelColumn)) {
                    chosen.add(h);
                }
            }
        } else {
            for (String f : features) {
                if (!header.contains(f)) {
                    throw new SimdvaeException(name + " has no column '" + f + "' (its columns: "
                            + String.join(", ", header) + ")");
                }
                if (f.equals(labelColumn)) {
                    throw new SimdvaeException("column '" + f + "' cannot be both a feature and the label");
                }
                chosen.add(f);
            }
        }
        if (chosen.isEmpty()) {
            throw new SimdvaeException(name + " has no feature columns besides the label");
        }
        for (String name : format.kinds().keySet()) {
            if (!chosen.contains(name)) {
                throw new SimdvaeException(this.name + " has no feature column '" + name + "' to read as "
                        + format.kinds().get(name).name().toLowerCase(java.util.Locale.ROOT) + " (its feature columns: "
                        + String.join(", ", chosen) + ")");
            }
        }
        return chosen;
    }

    /**
     * Pass 1: a column is categorical when forced, or when a cell that is not missing is not a number; a forced
     * numeric column with a text fails on it, and a number that is not finite fails in any numeric column.
     */
    private Kind[] kinds(List<String> chosen, int[] at) {
        int n = chosen.size();
        Kind[] kinds = new Kind[n];
        for (int j = 0; j < n; j++) {
            kinds[j] = format.kinds().getOrDefault(chosen.get(j), Kind.NUMERIC);
        }
        boolean[] forced = new boolean[n];
        for (int j = 0; j < n; j++) {
            forced[j] = format.kinds().containsKey(chosen.get(j));
        }
        forEachRecord((rec, line) -> {
            for (int j = 0; j < n; j++) {
                if (kinds[j] == Kind.CATEGORICAL) {
                    continue;
                }
                String cell = rec.get(at[j]);
                if (format.missing(cell)) {
                    missingCell(cell, line, chosen.get(j));
                } else if (!isNumber(cell)) {
                    if (forced[j]) {
                        number(cell, line, chosen.get(j));
                    }
                    kinds[j] = Kind.CATEGORICAL;
                } else {
                    number(cell, line, chosen.get(j));
                }
            }
        });
        return kinds;
    }

    static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    void missingCell(String cell, long line, String column) {
        if (format.refuseMissing()) {
            throw new SimdvaeException(name + ", line " + line + ", column '" + column + "': "
                    + (cell.isEmpty() ? "the cell is empty" : "'" + cell + "' marks a missing value")
                    + " (missing values are refused: --missing error)");
        }
    }

    float number(String cell, long line, String column) {
        String where = name + ", line " + line + ", column '" + column + "': ";
        float v;
        try {
            v = (float) Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new SimdvaeException(where + "'" + cell + "' is not a number (the column is read as numeric)");
        }
        if (!Float.isFinite(v)) {
            throw new SimdvaeException(where + "'" + cell + "' is not a finite float (if it marks a missing value,"
                    + " name it with --missing-values)");
        }
        return v;
    }

    /**
     * Takes a stream's header: a column name once, never twice.
     *
     * @param names the stream's first record
     */
    void header(List<String> names) {
        if (names.isEmpty()) {
            throw new SimdvaeException(name + " is empty: a header row and rows of values are needed");
        }
        if (new LinkedHashSet<>(names).size() != names.size()) {
            throw new SimdvaeException(name + ", line 1: the header names a column twice");
        }
        header = names;
    }

    /** The header read. */
    List<String> header() {
        return header;
    }

    /** What messages call the source. */
    String name() {
        return name;
    }

    /** Missing tokens and forced kinds. */
    TableFormat format() {
        return format;
    }

    /**
     * Reads the file from its start: the header, then (unless {@code visitor} is null) every record, checked for its
     * cell count.
     */
    private void forEachRecord(RecordVisitor visitor) {
        try (InputStream raw = Files.newInputStream(file);
             Reader reader = new BufferedReader(new InputStreamReader(
                     file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
                     StandardCharsets.UTF_8), 1 << 16);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get().parse(reader)) {
            List<String> names = csv.getHeaderNames();
            header(names);
            if (visitor == null) {
                return;
            }
            Iterator<CSVRecord> it = csv.iterator();
            while (true) {
                CSVRecord rec;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    rec = it.next();
                } catch (UncheckedIOException e) {
                    throw new SimdvaeException(file + ", near line " + (csv.getCurrentLineNumber() + 1)
                            + ": cannot parse: " + rootMessage(e));
                }
                long line = csv.getCurrentLineNumber();
                if (rec.size() != names.size()) {
                    throw new SimdvaeException(file + ", line " + line + ": " + rec.size() + " cells, the header has "
                            + names.size());
                }
                visitor.visit(rec, line);
            }
        } catch (IOException e) {
            throw new SimdvaeException("cannot read " + file + ": " + Storage.describe(e));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Commons CSV's complaints about the header or a malformed record
            throw new SimdvaeException(file + ": " + rootMessage(e));
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
