package simdvae.vae.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import simdvae.core.SimdvaeException;

/**
 * A table in memory: rows of numeric and categorical columns, missing cells and an optional label column, from a
 * CSV file ({@link #read}, through {@link CsvTable}) or from an application's rows ({@link #of}). Every cell is held
 * as a float: a number, a categorical column's level index in its sorted {@link #levels}, or NaN when missing.
 */
public final class TabularDataset implements Dataset {
    /** The file (or stream) it came from, for messages, or null. */
    private final String source;
    private final long[] lines;
    private final float[] values;
    private final int rows;
    private final List<String> columns;
    private final Kind[] kinds;
    private final List<List<String>> levels;
    private final int[] missing;
    private final String labelName;
    private final String[] labelText;
    private final int[] labels;
    private final List<String> classes;

    /**
     * The cells of a table, already parsed (see {@link CsvTable}).
     *
     * @param source    the file (or stream) it came from, or null
     * @param lines     each row's line in the file, or null
     * @param values    rows × columns cells: numbers, level indices, NaN for missing
     * @param columns   the columns' names
     * @param kinds     each column's kind
     * @param levels    each categorical column's sorted levels (null entries for numeric columns)
     * @param labelName the label column's name, or null
     * @param labelText each row's label, or null
     */
    TabularDataset(String source, long[] lines, float[] values, List<String> columns, Kind[] kinds,
                   List<List<String>> levels, String labelName, String[] labelText) {
        this.source = source;
        this.lines = lines;
        this.values = values;
        this.columns = List.copyOf(columns);
        this.rows = columns.isEmpty() ? 0 : values.length / columns.size();
        this.kinds = kinds.clone();
        // List.copyOf keeps an unmodifiable list as it is, so views sharing a list keep sharing it
        List<List<String>> lv = new ArrayList<>();
        for (List<String> l : levels) {
            lv.add(l == null ? null : List.copyOf(l));
        }
        this.levels = lv;
        this.missing = new int[columns.size()];
        for (int i = 0; i < values.length; i++) {
            if (Float.isNaN(values[i])) {
                missing[i % columns.size()]++;
            }
        }
        this.labelName = labelName;
        this.labelText = labelText;
        if (labelText == null) {
            labels = null;
            classes = null;
        } else {
            classes = sortedLevels(Arrays.asList(labelText));
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

    /**
     * Distinct texts in numeric order when every one is a number, else in text order: how a table sorts a column's
     * levels (and its label classes).
     *
     * @param texts the texts
     * @return the distinct texts, sorted
     */
    public static List<String> sortedLevels(Iterable<String> texts) {
        java.util.TreeSet<String> distinct = new java.util.TreeSet<>();
        texts.forEach(distinct::add);
        boolean numeric = distinct.stream().allMatch(CsvTable::isNumber);
        if (!numeric) {
            return List.copyOf(distinct);
        }
        List<String> sorted = new ArrayList<>(distinct);
        sorted.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
        return List.copyOf(sorted);
    }

    /**
     * Reads a CSV file for training: {@code features} names the feature columns in order (null: every column but
     * the label), {@code label} the label column (null: none). Empty cells are missing; kinds come from the cells.
     *
     * @param file     the CSV file (.csv or .csv.gz)
     * @param features the feature columns, in order, or null
     * @param label    the label column, or null
     * @return the rows
     */
    public static TabularDataset read(Path file, List<String> features, String label) {
        return read(file, features, label, false, TableFormat.defaults());
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
        return read(file, features, label, labelOptional, TableFormat.defaults());
    }

    /**
     * Reads a CSV file as {@link #read(Path, List, String, boolean)} does, its cells read as {@code format} says.
     * Every problem is one line naming the file, the line and the column.
     *
     * @param file          the CSV file (.csv or .csv.gz)
     * @param features      the feature columns, in order, or null
     * @param label         the label column, or null
     * @param labelOptional whether a missing label column is allowed
     * @param format        missing tokens, refusal of missing cells, forced kinds
     * @return the rows
     */
    public static TabularDataset read(Path file, List<String> features, String label, boolean labelOptional,
                                      TableFormat format) {
        return CsvTable.read(file, features, label, labelOptional, format);
    }

    /**
     * An application's rows: a column of {@link Number}s is numeric, a column of {@link String}s categorical;
     * {@code null} (or NaN) is a missing cell. Copied.
     *
     * @param cells   the rows, each with one cell a column
     * @param columns a name per column, or null (then x0, x1, …)
     * @return the data set
     */
    public static TabularDataset of(Object[][] cells, List<String> columns) {
        if (cells == null || cells.length == 0) {
            throw new SimdvaeException("the data set is empty");
        }
        int n = cells[0] == null ? 0 : cells[0].length;
        if (n == 0) {
            throw new SimdvaeException("the rows have no values");
        }
        List<String> names = columns;
        if (names == null) {
            names = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                names.add("x" + j);
            }
        } else if (names.size() != n) {
            throw new SimdvaeException(names.size() + " column names for rows of " + n + " values");
        }
        Kind[] kinds = new Kind[n];
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == null || cells[i].length != n) {
                throw new SimdvaeException("row " + i + " has " + (cells[i] == null ? "no" : cells[i].length)
                        + " values, row 0 has " + n);
            }
            for (int j = 0; j < n; j++) {
                Object v = cells[i][j];
                Kind k = v == null ? null : v instanceof Number ? Kind.NUMERIC : v instanceof String ? Kind.CATEGORICAL
                        : null;
                if (v != null && k == null) {
                    throw new SimdvaeException("row " + i + ", column '" + names.get(j) + "': a "
                            + v.getClass().getSimpleName() + " is neither a number nor a text");
                }
                if (k != null && kinds[j] != null && kinds[j] != k) {
                    throw new SimdvaeException("row " + i + ", column '" + names.get(j) + "' mixes numbers and texts");
                }
                if (k != null) {
                    kinds[j] = k;
                }
            }
        }
        List<List<String>> levels = new ArrayList<>();
        List<Map<String, Integer>> codes = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            kinds[j] = kinds[j] == null ? Kind.NUMERIC : kinds[j];
            List<String> texts = new ArrayList<>();
            if (kinds[j] == Kind.CATEGORICAL) {
                for (Object[] row : cells) {
                    if (row[j] != null) {
                        texts.add((String) row[j]);
                    }
                }
            }
            List<String> l = kinds[j] == Kind.CATEGORICAL ? sortedLevels(texts) : null;
            levels.add(l);
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; l != null && c < l.size(); c++) {
                index.put(l.get(c), c);
            }
            codes.add(index);
        }
        float[] values = new float[cells.length * n];
        for (int i = 0; i < cells.length; i++) {
            for (int j = 0; j < n; j++) {
                Object v = cells[i][j];
                float x = v == null ? Float.NaN : kinds[j] == Kind.CATEGORICAL ? codes.get(j).get(v)
                        : ((Number) v).floatValue();
                if (Float.isInfinite(x)) {
                    throw new SimdvaeException("row " + i + ", column '" + names.get(j) + "': " + v
                            + " is not a finite number");
                }
                values[i * n + j] = x;
            }
        }
        return new TabularDataset(null, null, values, names, kinds, levels, null, null);
    }

    /**
     * Rows already coded: numbers, level indices into {@code levels}, NaN for missing cells (not copied). How a
     * reader that is not a CSV file (a Spark task, say) hands its rows over.
     *
     * @param values  rows × columns cells
     * @param columns the columns' names
     * @param kinds   each column's kind
     * @param levels  each categorical column's levels (null for numeric columns); shared lists match once
     * @return the data set
     */
    public static TabularDataset coded(float[] values, List<String> columns, Kind[] kinds, List<List<String>> levels) {
        if (columns.isEmpty() || values.length % columns.size() != 0 || kinds.length != columns.size()
                || levels.size() != columns.size()) {
            throw new IllegalArgumentException(values.length + " cells, " + columns.size() + " columns, "
                    + kinds.length + " kinds, " + levels.size() + " level lists");
        }
        return new TabularDataset(null, null, values, columns, kinds, levels, null, null);
    }

    /**
     * Refuses a value outside [0, 1] in a numeric column, naming the file, the line and the column: what a Bernoulli
     * model of unscaled values needs.
     */
    public void requireUnitRange() {
        int n = columns.size();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                float v = values[i * n + j];
                if (kinds[j] == Kind.NUMERIC && !Float.isNaN(v) && !(v >= 0f && v <= 1f)) {
                    throw new SimdvaeException(where(i) + ", column '" + columns.get(j) + "': " + v
                            + " is outside [0, 1], which a Bernoulli model of unscaled values needs (add --scale"
                            + " minmax, or use --likelihood gaussian)");
                }
            }
        }
    }

    /**
     * Missing cells of column {@code j}.
     *
     * @param j the column
     * @return how many of its cells are missing
     */
    public int missingCount(int j) {
        return missing[j];
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
    public Kind kind(int j) {
        return kinds[j];
    }

    @Override
    public List<String> levels(int j) {
        return levels.get(j);
    }

    @Override
    public String where(int i) {
        return source == null ? "row " + i : source + ", line " + lines[i];
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
