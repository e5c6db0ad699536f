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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import simdvae.vae.Dataset;
import simdvae.vae.Storage;
import simdvae.vae.SimdvaeException;

/**
 * Rows of numeric features from a CSV file ({@code .csv}, or gzipped {@code .csv.gz}) with a header row, parsed by
 * Apache Commons CSV, optionally with a label column kept out of the features. Values are held as floats, raw (the
 * model scales them). Every problem is one line naming the file, the line and the column: a cell that is not a
 * finite number, a missing cell, a ragged row, an empty file, a column that does not exist.
 */
public final class TabularDataset implements Dataset {
    private final Path file;
    private final long[] lines;
    private final float[] values;
    private final int rows;
    private final List<String> columns;
    private final String labelName;
    private final String[] labelText;
    private final int[] labels;
    private final List<String> classes;

    private TabularDataset(Path file, long[] lines, float[] values, int rows, List<String> columns, String labelName,
                           String[] labelText) {
        this.file = file;
        this.lines = lines;
        this.values = values;
        this.rows = rows;
        this.columns = List.copyOf(columns);
        this.labelName = labelName;
        this.labelText = labelText;
        if (labelText == null) {
            labels = null;
            classes = null;
        } else {
            classes = classesOf(labelText);
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                index.put(classes.get(c), c);
            }
            labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = index.get(labelText[i]);
            }
        }
    }

    /** Label classes in numeric order when every label is a number, else in text order. */
    private static List<String> classesOf(String[] text) {
        boolean numeric = true;
        for (String t : new LinkedHashSet<>(Arrays.asList(text))) {
            numeric &= isNumber(t);
        }
        TreeSet<String> sorted = numeric
                ? new TreeSet<>((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)))
                : new TreeSet<>();
        sorted.addAll(Arrays.asList(text));
        return List.copyOf(sorted);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Reads a CSV file for training: {@code features} names the feature columns in order (null: every column but
     * the label), {@code label} the label column (null: none).
     *
     * @param file     the CSV file (.csv or .csv.gz)
     * @param features the feature columns, in order, or null
     * @param label    the label column, or null
     * @return the rows
     */
    public static TabularDataset read(Path file, List<String> features, String label) {
        return read(file, features, label, false);
    }

    /**
     * Reads a CSV file, picking columns by name. With {@code labelOptional}, a label column missing from the file is
     * no error (the rows then have no labels): how a model reads new data that may lack the label.
     *
     * @param file          the CSV file (.csv or .csv.gz)
     * @param features      the feature columns, in order, or null
     * @param label         the label column, or null
     * @param labelOptional whether a missing label column is allowed
     * @return the rows
     */
    public static TabularDataset read(Path file, List<String> features, String label, boolean labelOptional) {
        if (!Files.isRegularFile(file)) {
            throw new SimdvaeException("data file " + file + " does not exist");
        }
        try (InputStream raw = Files.newInputStream(file);
             Reader reader = new BufferedReader(new InputStreamReader(
                     file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
                     StandardCharsets.UTF_8), 1 << 16);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get().parse(reader)) {
            List<String> header = csv.getHeaderNames();
            if (header.isEmpty()) {
                throw new SimdvaeException(file + " is empty: a header row and rows of numbers are needed");
            }
            if (new LinkedHashSet<>(header).size() != header.size()) {
                throw new SimdvaeException(file + ", line 1: the header names a column twice");
            }
            String labelColumn = label;
            if (label != null && !header.contains(label)) {
                if (!labelOptional) {
                    throw new SimdvaeException(file + " has no column '" + label + "' for the label (its columns: "
                            + String.join(", ", header) + ")");
                }
                labelColumn = null;
            }
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
                        throw new SimdvaeException(file + " has no column '" + f + "' (its columns: "
                                + String.join(", ", header) + ")");
                    }
                    if (f.equals(labelColumn)) {
                        throw new SimdvaeException("column '" + f + "' cannot be both a feature and the label");
                    }
                    chosen.add(f);
                }
            }
            if (chosen.isEmpty()) {
                throw new SimdvaeException(file + " has no feature columns besides the label");
            }
            int[] at = new int[chosen.size()];
            for (int j = 0; j < at.length; j++) {
                at[j] = header.indexOf(chosen.get(j));
            }
            int labelAt = labelColumn == null ? -1 : header.indexOf(labelColumn);
            int n = chosen.size();
            float[] values = new float[1024 * n];
            long[] lines = new long[1024];
            List<String> labelText = labelAt < 0 ? null : new ArrayList<>();
            int rows = 0;
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
                if (rec.size() != header.size()) {
                    throw new SimdvaeException(file + ", line " + line + ": " + rec.size() + " cells, the header has "
                            + header.size());
                }
                if ((long) (rows + 1) * n > Integer.MAX_VALUE - 16) {
                    throw new SimdvaeException(file + " is too large: over 2^31 values");
                }
                if ((rows + 1) * n > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 16L, 2L * values.length));
                }
                if (rows == lines.length) {
                    lines = Arrays.copyOf(lines, 2 * rows);
                }
                lines[rows] = line;
                for (int j = 0; j < n; j++) {
                    values[rows * n + j] = number(rec.get(at[j]), file, line, chosen.get(j));
                }
                if (labelText != null) {
                    String t = rec.get(labelAt);
                    if (t.isEmpty()) {
                        throw new SimdvaeException(file + ", line " + line + ", column '" + labelColumn
                                + "': the label is empty");
                    }
                    labelText.add(t);
                }
                rows++;
            }
            if (rows == 0) {
                throw new SimdvaeException(file + " has a header but no rows");
            }
            return new TabularDataset(file, Arrays.copyOf(lines, rows), Arrays.copyOf(values, rows * n), rows, chosen,
                    labelColumn,
                    labelText == null ? null : labelText.toArray(new String[0]));
        } catch (IOException e) {
            throw new SimdvaeException("cannot read " + file + ": " + Storage.describe(e));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Commons CSV's complaints about the header or a malformed record
            throw new SimdvaeException(file + ": " + rootMessage(e));
        }
    }

    private static float number(String cell, Path file, long line, String column) {
        String where = file + ", line " + line + ", column '" + column + "': ";
        if (cell.isEmpty()) {
            throw new SimdvaeException(where + "the cell is empty (missing values are not supported)");
        }
        float v;
        try {
            v = (float) Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new SimdvaeException(where + "'" + cell + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new SimdvaeException(where + "'" + cell + "' is not a finite float");
        }
        return v;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Refuses a value outside [0, 1], naming the file, the line and the column: what a Bernoulli model of unscaled
     * values needs.
     */
    public void requireUnitRange() {
        int n = columns.size();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                float v = values[i * n + j];
                if (!(v >= 0f && v <= 1f)) {
                    throw new SimdvaeException(file + ", line " + lines[i] + ", column '" + columns.get(j) + "': "
                            + v + " is outside [0, 1], which a Bernoulli model of unscaled values needs (add --scale"
                            + " minmax, or use --likelihood gaussian)");
                }
            }
        }
    }

    @Override
    public int size() {
        return rows;
    }

    @Override
    public int columns() {
        return columns.size();
    }

    @Override
    public void copyRow(int i, float[] dst, int off) {
        System.arraycopy(values, i * columns.size(), dst, off, columns.size());
    }

    @Override
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }

    @Override
    public String labelText(int i) {
        return labelText == null ? "" : labelText[i];
    }

    @Override
    public List<String> labelClasses() {
        return classes;
    }

    @Override
    public List<String> columnNames() {
        return columns;
    }

    @Override
    public String labelName() {
        return labelName;
    }
}
