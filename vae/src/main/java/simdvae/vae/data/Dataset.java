package simdvae.vae.data;

import java.util.List;
import java.util.Objects;
import simdvae.core.CounterRng;
import simdvae.core.SimdvaeException;
import simdvae.vae.table.Features;

/**
 * Training, validation or test data: {@code size()} rows of {@code columns()} raw values, optionally labelled and
 * with column names. A column is numeric or categorical ({@link #kind}); a cell may be missing. The model scales
 * numeric values and codes levels as it was fitted to ({@link Features}); a Bernoulli model needs values in [0, 1]
 * after that. Images read from IDX files stay bytes ({@link simdvae.vae.data.ImageDataset}), CSV files and rows of
 * numbers and texts in memory are {@link simdvae.vae.data.TabularDataset}s.
 */
public interface Dataset {
    /** What a column holds. */
    enum Kind {
        /** Numbers. */
        NUMERIC,
        /** Levels, named by text (a category, a code, a yes or no). */
        CATEGORICAL
    }

    /**
     * The number of rows.
     *
     * @return at least 1
     */
    int size();

    /**
     * Values a row.
     *
     * @return the row length
     */
    int columns();

    /**
     * Row i's raw values, written at {@code dst[off .. off + columns())}: a numeric column's number, a categorical
     * column's level as its index in {@link #levels}, and NaN for a missing cell.
     *
     * @param i   the row
     * @param dst where to write
     * @param off the first position written
     */
    void copyRow(int i, float[] dst, int off);

    /**
     * What column {@code j} holds.
     *
     * @param j the column
     * @return numeric (the default) or categorical
     */
    default Kind kind(int j) {
        return Kind.NUMERIC;
    }

    /**
     * A categorical column's levels as this data set codes them ({@link #copyRow} writes a level's index here).
     * Views of one data set share the list, so it can be matched to a model's levels once.
     *
     * @param j the column
     * @return the level names, or null for a numeric column
     */
    default List<String> levels(int j) {
        return null;
    }

    /**
     * Where row i comes from, for messages: "row 12", or a file's name and line.
     *
     * @param i the row
     * @return the description
     */
    default String where(int i) {
        return "row " + i;
    }

    /**
     * Row i's label as a class index.
     *
     * @param i the row
     * @return 0, 1, …, or -1 when the data set has none
     */
    int label(int i);

    /**
     * Row i's label as the data has it (a CSV cell, a digit).
     *
     * @param i the row
     * @return the text; empty when there is none
     */
    default String labelText(int i) {
        int l = label(i);
        return l < 0 ? "" : Integer.toString(l);
    }

    /**
     * Names of the label classes, by class index (for legends).
     *
     * @return the names, or null when the data set has no labels
     */
    default List<String> labelClasses() {
        return null;
    }

    /**
     * The feature columns' names.
     *
     * @return the names, or null when the data has none
     */
    default List<String> columnNames() {
        return null;
    }

    /**
     * The label column's name.
     *
     * @return the name, or null
     */
    default String labelName() {
        return null;
    }

    /**
     * Rows of numbers and texts, as an application holds a table: a column of {@link Number}s is numeric, a column of
     * {@link String}s categorical (its texts are the levels); {@code null} (or NaN) is a missing cell. Copied.
     *
     * @param rows    the rows, each with one cell a column
     * @param columns a name per column, or null
     * @return the data set
     * @throws SimdvaeException for ragged rows, a column that mixes numbers and texts, or an infinite number
     */
    static Dataset of(Object[][] rows, List<String> columns) {
        return simdvae.vae.data.TabularDataset.of(rows, columns);
    }

    /**
     * Wraps an application's rows (not copied). Every row must have the same length; NaN marks a missing value.
     *
     * @param rows the rows
     * @return the data set
     */
    static Dataset of(float[][] rows) {
        return of(rows, null);
    }

    /**
     * Wraps an application's rows and labels (not copied).
     *
     * @param rows   the rows
     * @param labels a class index per row, or null
     * @return the data set
     */
    static Dataset of(float[][] rows, int[] labels) {
        return of(rows, labels, null);
    }

    /**
     * Wraps an application's rows, labels (or null) and column names (or null; {@code Vae.encode} and the CLI then
     * pick a CSV's columns by these names). Not copied.
     *
     * @param rows    the rows
     * @param labels  a class index per row, or null
     * @param columns a name per feature, or null
     * @return the data set
     */
    static Dataset of(float[][] rows, int[] labels, List<String> columns) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length == 0) {
            throw new SimdvaeException("the data set is empty");
        }
        int features = rows[0] == null ? 0 : rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != features) {
                throw new SimdvaeException("row " + i + " has " + (rows[i] == null ? "no" : rows[i].length)
                        + " values, row 0 has " + features);
            }
        }
        // values are checked where a model reads them (an infinite one is refused there, naming row and column):
        // a scan here as well cost a tenth of a Spark scoring task
        if (features == 0) {
            throw new SimdvaeException("the rows have no values");
        }
        if (labels != null && labels.length != rows.length) {
            throw new SimdvaeException(labels.length + " labels for " + rows.length + " rows");
        }
        if (columns != null && columns.size() != features) {
            throw new SimdvaeException(columns.size() + " column names for rows of " + features + " values");
        }
        List<String> names = columns == null ? null : List.copyOf(columns);
        return new Dataset() {
            @Override
            public int size() {
                return rows.length;
            }

            @Override
            public int columns() {
                return features;
            }

            @Override
            public void copyRow(int i, float[] dst, int off) {
                System.arraycopy(rows[i], 0, dst, off, features);
            }

            @Override
            public int label(int i) {
                return labels == null ? -1 : labels[i];
            }

            @Override
            public List<String> columnNames() {
                return names;
            }
        };
    }

    /**
     * Rows in double (copied to float), labels and column names.
     *
     * @param rows    the rows
     * @param labels  a class index per row, or null
     * @param columns a name per feature, or null
     * @return the data set
     */
    static Dataset of(double[][] rows, int[] labels, List<String> columns) {
        Objects.requireNonNull(rows, "rows");
        float[][] f = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != null) {
                f[i] = new float[rows[i].length];
                for (int j = 0; j < rows[i].length; j++) {
                    f[i][j] = (float) rows[i][j];
                }
            }
        }
        return of(f, labels, columns);
    }

    /**
     * The one check of a data set against a model: not empty, and {@code columns} values a row.
     *
     * @param columns the values a row the model takes
     * @param what    what the data is, for the message ("the training data set")
     * @throws SimdvaeException naming {@code what} when the data does not fit
     */
    default void requireShape(int columns, String what) {
        if (size() == 0) {
            throw new SimdvaeException(what + " is empty");
        }
        if (columns() != columns) {
            throw new SimdvaeException(what + " has " + columns() + " values a row, the model expects " + columns);
        }
    }

    /**
     * A view of some rows.
     *
     * @param index the rows, in the view's order
     * @return rows {@code index[0], index[1], …} of this data set
     */
    default Dataset rows(int[] index) {
        Dataset base = this;
        int[] idx = index.clone();
        for (int r : idx) {
            Objects.checkIndex(r, base.size());
        }
        return new Dataset() {
            @Override
            public int size() {
                return idx.length;
            }

            @Override
            public int columns() {
                return base.columns();
            }

            @Override
            public void copyRow(int i, float[] dst, int off) {
                base.copyRow(idx[i], dst, off);
            }

            @Override
            public int label(int i) {
                return base.label(idx[i]);
            }

            @Override
            public String labelText(int i) {
                return base.labelText(idx[i]);
            }

            @Override
            public List<String> labelClasses() {
                return base.labelClasses();
            }

            @Override
            public List<String> columnNames() {
                return base.columnNames();
            }

            @Override
            public String labelName() {
                return base.labelName();
            }

            @Override
            public Kind kind(int j) {
                return base.kind(j);
            }

            @Override
            public List<String> levels(int j) {
                return base.levels(j);
            }

            @Override
            public String where(int i) {
                return base.where(idx[i]);
            }
        };
    }

    /**
     * Two disjoint views of a data set.
     *
     * @param kept    what is kept (for training)
     * @param heldOut what is held out
     */
    record Split(Dataset kept, Dataset heldOut) {
    }

    /**
     * A seeded split: {@code round(fraction · size)} rows, chosen by a shuffle of (seed, stream), are held out; both
     * parts keep the original row order. The same data, fraction and seed always give the same split.
     *
     * @param fraction the share held out, in (0, 1)
     * @param seed     the shuffle's seed
     * @param stream   the shuffle's stream (different splits of one run use different streams)
     * @return the two parts
     */
    default Split split(double fraction, long seed, long stream) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new SimdvaeException("a split fraction must be between 0 and 1 (exclusive), got " + fraction);
        }
        int n = size();
        int held = (int) Math.round(fraction * n);
        if (held < 1 || held >= n) {
            throw new SimdvaeException("a fraction of " + fraction + " of " + n + " rows leaves "
                    + (held < 1 ? "nothing to hold out" : "nothing to train on"));
        }
        int[] order = new int[n];
        new CounterRng(seed).permutation(order, stream);
        boolean[] out = new boolean[n];
        for (int i = 0; i < held; i++) {
            out[order[i]] = true;
        }
        int[] kept = new int[n - held];
        int[] heldOut = new int[held];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (out[i]) {
                heldOut[b++] = i;
            } else {
                kept[a++] = i;
            }
        }
        return new Split(rows(kept), rows(heldOut));
    }
}
