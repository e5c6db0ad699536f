package simdvae.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Where a row's model input comes from: one array or vector column, or several numeric columns. Checked against
 * a schema once, then used to read rows into float arrays inside tasks.
 */
final class InputColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { FLOAT_ARRAY, DOUBLE_ARRAY, VECTOR, COLUMNS }

    private final Kind kind;
    private final int[] fields;
    private final String[] names;
    private final int size;

    private InputColumns(Kind kind, int[] fields, String[] names, int size) {
        this.kind = kind;
        this.fields = fields;
        this.names = names;
        this.size = size;
    }

    /**
     * The input of {@code schema} for a model of {@code size} inputs: {@code featureCols} when not empty, else
     * {@code inputCol}. Throws {@link IllegalArgumentException} with one line naming the column that is missing
     * or of the wrong type.
     */
    static InputColumns of(StructType schema, String inputCol, String[] featureCols, int size) {
        List<String> present = List.of(schema.fieldNames());
        if (featureCols.length > 0) {
            if (featureCols.length != size) {
                throw new IllegalArgumentException("featureCols names " + featureCols.length
                        + " columns, the model expects " + size + " features");
            }
            int[] fields = new int[size];
            for (int i = 0; i < size; i++) {
                if (!present.contains(featureCols[i])) {
                    throw new IllegalArgumentException("no column " + featureCols[i] + " in the input (it has "
                            + String.join(", ", present) + ")");
                }
                fields[i] = schema.fieldIndex(featureCols[i]);
                DataType t = schema.fields()[fields[i]].dataType();
                if (!(t instanceof NumericType)) {
                    throw new IllegalArgumentException("column " + featureCols[i] + " is " + t.simpleString()
                            + ", a feature column must be numeric");
                }
            }
            return new InputColumns(Kind.COLUMNS, fields, featureCols.clone(), size);
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
        return new InputColumns(kind, new int[] {field}, new String[] {inputCol}, size);
    }

    /** Row {@code r}'s input into {@code x}; throws with the column's name on a null or a wrong length. */
    void read(Row r, float[] x) {
        switch (kind) {
            case COLUMNS -> {
                for (int i = 0; i < size; i++) {
                    if (r.isNullAt(fields[i])) {
                        throw new IllegalArgumentException("a null in column " + names[i]);
                    }
                    x[i] = ((Number) r.get(fields[i])).floatValue();
                }
            }
            case VECTOR -> {
                Vector v = (Vector) checked(r).get(fields[0]);
                length(v.size());
                for (int i = 0; i < size; i++) {
                    x[i] = (float) v.apply(i);
                }
            }
            case FLOAT_ARRAY, DOUBLE_ARRAY -> {
                List<Object> values = checked(r).getList(fields[0]);
                length(values.size());
                for (int i = 0; i < size; i++) {
                    Object value = values.get(i);
                    if (value == null) {
                        throw new IllegalArgumentException("a null inside column " + names[0]);
                    }
                    x[i] = ((Number) value).floatValue();
                }
            }
        }
    }

    private Row checked(Row r) {
        if (r.isNullAt(fields[0])) {
            throw new IllegalArgumentException("a null in column " + names[0]);
        }
        return r;
    }

    private void length(int n) {
        if (n != size) {
            throw new IllegalArgumentException("a row of column " + names[0] + " has " + n
                    + " values, the model expects " + size);
        }
    }
}
