package simdvae.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.unsafe.Platform;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.TabularDataset;

/**
 * Where a row's model input comes from: one array or vector column, or several columns, numeric or text
 * (categorical), and what a null (or an unseen level) does: {@code handleInvalid}, Spark ML's convention — error,
 * skip the row, or keep it (a null as a missing cell, an unseen level as the model's {@code (other)}). Checked
 * against a schema once, then used to read rows into float arrays inside tasks: a number, a level's index in this
 * input's {@link #levels} (given with {@link #withLevels}), NaN for a missing cell.
 */
final class InputColumns implements Serializable {
    private static final long serialVersionUID = 2L;

    private enum Kind { FLOAT_ARRAY, DOUBLE_ARRAY, VECTOR, COLUMNS }

    /** Spark ML's handleInvalid. */
    enum Invalid {
        ERROR, SKIP, KEEP;

        static Invalid parse(String text) {
            for (Invalid i : values()) {
                if (i.name().equalsIgnoreCase(text.trim())) {
                    return i;
                }
            }
            throw new IllegalArgumentException("handleInvalid must be error, skip or keep, got " + text);
        }
    }

    private final Kind kind;
    private final int[] fields;
    private final String[] names;
    private final int size;
    /** The columns' types as JSON: Spark's DataType is not Serializable. */
    private final String[] typeJson;
    private final Invalid invalid;
    /** Per column, a text column's levels (null for numbers); null before {@link #withLevels}. */
    @SuppressWarnings("serial") // an ArrayList of List.copyOf's lists: serializable
    private final List<List<String>> levels;
    private transient DataType[] types;
    private transient List<Map<String, Integer>> codes;

    private InputColumns(Kind kind, int[] fields, String[] names, int size, String[] typeJson, Invalid invalid,
                         List<List<String>> levels) {
        this.kind = kind;
        this.fields = fields;
        this.names = names;
        this.size = size;
        this.typeJson = typeJson;
        this.invalid = invalid;
        this.levels = levels;
    }

    private static String[] json(DataType[] types) {
        String[] json = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            json[i] = types[i].json();
        }
        return json;
    }

    private DataType[] types() {
        if (types == null) {
            DataType[] t = new DataType[typeJson.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = DataType.fromJson(typeJson[i]);
            }
            types = t;
        }
        return types;
    }

    /**
     * The input of {@code schema} for a model of {@code size} columns: {@code featureCols} when not empty (numeric or
     * string columns), else {@code inputCol}. Throws {@link IllegalArgumentException} with one line naming the
     * column that is missing or of the wrong type.
     */
    static InputColumns of(StructType schema, String inputCol, String[] featureCols, int size, String handleInvalid) {
        Invalid invalid = Invalid.parse(handleInvalid);
        List<String> present = List.of(schema.fieldNames());
        if (featureCols.length > 0) {
            if (featureCols.length != size) {
                throw new IllegalArgumentException("featureCols names " + featureCols.length
                        + " columns, the model expects " + size + " features");
            }
            int[] fields = new int[size];
            DataType[] types = new DataType[size];
            for (int i = 0; i < size; i++) {
                if (!present.contains(featureCols[i])) {
                    throw new IllegalArgumentException("no column " + featureCols[i] + " in the input (it has "
                            + String.join(", ", present) + ")");
                }
                fields[i] = schema.fieldIndex(featureCols[i]);
                DataType t = schema.fields()[fields[i]].dataType();
                if (!(t instanceof NumericType) && !(t instanceof StringType)) {
                    throw new IllegalArgumentException("column " + featureCols[i] + " is " + t.simpleString()
                            + ", a feature column must be numeric or a string");
                }
                types[i] = t;
            }
            return new InputColumns(Kind.COLUMNS, fields, featureCols.clone(), size, json(types), invalid, null);
        }
        if (!present.contains(inputCol)) {
            throw new IllegalArgumentException("no column " + inputCol + " in the input (it has "
                    + String.join(", ", present) + "); set inputCol or featureCols");
        }
        int field = schema.fieldIndex(inputCol);
        DataType t = schema.fields()[field].dataType();
        Kind kind;
        if (t.equals(SQLDataTypes.VectorType())) {
            kind = Kind.VECTOR;
        } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
            kind = Kind.FLOAT_ARRAY;
        } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
            kind = Kind.DOUBLE_ARRAY;
        } else {
            throw new IllegalArgumentException("column " + inputCol + " is " + t.simpleString()
                    + ", the model's input must be array<float>, array<double> or an ML Vector");
        }
        return new InputColumns(kind, new int[] {field}, new String[] {inputCol}, size, json(new DataType[] {t}),
                invalid, null);
    }

    /** Whether a column is text (and so categorical). */
    boolean text(int j) {
        return kind == Kind.COLUMNS && types()[j] instanceof StringType;
    }

    /** Whether any column is text: the model must then be a table model. */
    boolean anyText() {
        for (int j = 0; j < size; j++) {
            if (text(j)) {
                return true;
            }
        }
        return false;
    }

    /** The columns' kinds, as a table has them. */
    Dataset.Kind[] kinds() {
        Dataset.Kind[] k = new Dataset.Kind[size];
        for (int j = 0; j < size; j++) {
            k[j] = text(j) ? Dataset.Kind.CATEGORICAL : Dataset.Kind.NUMERIC;
        }
        return k;
    }

    List<String> names() {
        return kind == Kind.COLUMNS ? List.of(names) : null;
    }

    /** This input coding each text column's cells as their index in {@code levels} (one list a column). */
    InputColumns withLevels(List<List<String>> columnLevels) {
        List<List<String>> l = new ArrayList<>();
        for (List<String> c : columnLevels) {
            l.add(c == null ? null : List.copyOf(c));
        }
        return new InputColumns(kind, fields, names, size, typeJson, invalid, l);
    }

    List<List<String>> levels() {
        return levels;
    }

    /** Coded rows (numbers, level indices, NaN) as a table with this input's columns and levels. */
    TabularDataset table(float[][] rows) {
        float[] values = new float[rows.length * size];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, values, i * size, size);
        }
        List<List<String>> l = levels != null ? levels : java.util.Collections.nCopies(size, null);
        return TabularDataset.coded(values, List.of(names.length == size ? names : defaultNames()), kinds(), l);
    }

    private String[] defaultNames() {
        String[] n = new String[size];
        for (int j = 0; j < size; j++) {
            n[j] = "x" + j;
        }
        return n;
    }

    /**
     * Row {@code r}'s input into {@code x}; false when handleInvalid is skip and the row has a null or an unseen
     * level. Throws with the column's name on a null (unless kept or skipped) or a wrong length. Spark's internal
     * rows hold arrays unboxed: through {@code Row}, boxing 784 floats a row cost more than the model.
     */
    boolean read(InternalRow r, float[] x) {
        DataType[] t = types();
        switch (kind) {
            case COLUMNS -> {
                return columns(r, x, t, true);
            }
            case VECTOR -> {
                if (r.isNullAt(fields[0])) {
                    return nullRow(x);
                }
                @SuppressWarnings("unchecked")
                UserDefinedType<Vector> udt = (UserDefinedType<Vector>) t[0];
                Vector v = udt.deserialize(r.getStruct(fields[0], ((StructType) udt.sqlType()).length()));
                length(v.size());
                for (int i = 0; i < size; i++) {
                    x[i] = (float) v.apply(i);
                }
            }
            case FLOAT_ARRAY, DOUBLE_ARRAY -> {
                if (r.isNullAt(fields[0])) {
                    return nullRow(x);
                }
                ArrayData a = r.getArray(fields[0]);
                length(a.numElements());
                boolean floats = kind == Kind.FLOAT_ARRAY;
                if (floats && a instanceof UnsafeArrayData u && !((ArrayType) t[0]).containsNull()) {
                    // Spark's own layout, no nulls possible: the floats in one copy (element by element, the
                    // reads were a tenth of a scoring task's time)
                    Platform.copyMemory(u.getBaseObject(), u.getBaseOffset()
                            + UnsafeArrayData.calculateHeaderPortionInBytes(size), x, Platform.FLOAT_ARRAY_OFFSET,
                            4L * size);
                    return true;
                }
                for (int i = 0; i < size; i++) {
                    if (a.isNullAt(i)) {
                        if (!invalid(names[0], "a null inside column " + names[0])) {
                            return false;
                        }
                        x[i] = Float.NaN;
                    } else {
                        x[i] = floats ? a.getFloat(i) : (float) a.getDouble(i);
                    }
                }
            }
        }
        return true;
    }

    /**
     * Reads row {@code r} as {@link #read} does, except that a text column's cell goes into {@code texts} (for a row
     * that is kept) instead of being coded: the pass that finds a column's levels before any exist.
     */
    boolean scan(InternalRow r, float[] x, List<java.util.TreeSet<String>> texts) {
        if (kind != Kind.COLUMNS) {
            return read(r, x);
        }
        DataType[] t = types();
        if (!columns(r, x, t, false)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (t[i] instanceof StringType && !r.isNullAt(fields[i])) {
                texts.get(i).add(r.getUTF8String(fields[i]).toString());
            }
        }
        return true;
    }

    /**
     * Row {@code r}'s columns into {@code x}, as {@link #read} reads them; a text column's cell coded, or with
     * {@code code} false left at 0 (before its levels exist).
     */
    private boolean columns(InternalRow r, float[] x, DataType[] t, boolean code) {
        for (int i = 0; i < size; i++) {
            if (r.isNullAt(fields[i])) {
                if (!invalid(names[i], "a null in column " + names[i])) {
                    return false;
                }
                x[i] = Float.NaN;
            } else if (t[i] instanceof StringType) {
                Integer level = code ? code(i, r.getUTF8String(fields[i]).toString()) : Integer.valueOf(0);
                if (level == null) {
                    return false;
                }
                x[i] = level;
            } else {
                x[i] = number(r, fields[i], t[i]);
                if (Float.isNaN(x[i]) && !invalid(names[i], "a NaN in column " + names[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A row whose array or vector is null: every value missing, if kept. */
    private boolean nullRow(float[] x) {
        if (!invalid(names[0], "a null in column " + names[0])) {
            return false;
        }
        java.util.Arrays.fill(x, 0, size, Float.NaN);
        return true;
    }

    /** handleInvalid's answer: throw (error), false (skip), true (keep). */
    private boolean invalid(String column, String message) {
        return switch (invalid) {
            case ERROR -> throw new IllegalArgumentException(message + " (set handleInvalid to keep or skip)");
            case SKIP -> false;
            case KEEP -> true;
        };
    }

    /** A text cell's level index; an unseen level: error, null (skip) or the last level, (other) (keep). */
    private Integer code(int i, String text) {
        if (codes == null) {
            List<Map<String, Integer>> c = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                Map<String, Integer> m = new HashMap<>();
                List<String> l = levels == null ? null : levels.get(j);
                for (int q = 0; l != null && q < l.size(); q++) {
                    m.put(l.get(q), q);
                }
                c.add(m);
            }
            codes = c;
        }
        Integer code = codes.get(i).get(text);
        if (code != null) {
            return code;
        }
        List<String> l = levels == null ? null : levels.get(i);
        if (l == null || l.isEmpty()) {
            throw new IllegalStateException("column " + names[i] + " has no levels to code '" + text + "' by");
        }
        return invalid(names[i], "column " + names[i] + ": the level '" + text + "' was not in the training rows")
                ? l.size() - 1 : null;
    }

    private static float number(InternalRow r, int field, DataType t) {
        if (t instanceof DoubleType) {
            return (float) r.getDouble(field);
        } else if (t instanceof FloatType) {
            return r.getFloat(field);
        } else if (t instanceof IntegerType) {
            return r.getInt(field);
        } else if (t instanceof LongType) {
            return r.getLong(field);
        } else if (t instanceof ShortType) {
            return r.getShort(field);
        } else if (t instanceof ByteType) {
            return r.getByte(field);
        } else if (t instanceof DecimalType d) {
            return (float) r.getDecimal(field, d.precision(), d.scale()).toDouble();
        }
        throw new IllegalArgumentException("unsupported numeric type " + t.simpleString());
    }

    private void length(int n) {
        if (n != size) {
            throw new IllegalArgumentException("a row of column " + names[0] + " has " + n
                    + " values, the model expects " + size);
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " " + String.join(",", names);
    }
}
