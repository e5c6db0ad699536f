package simdvae.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.UserDefinedType;
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
    /** The columns' types as JSON: Spark's DataType is not Serializable. */
    private final String[] typeJson;
    private transient DataType[] types;

    private InputColumns(Kind kind, int[] fields, String[] names, int size, DataType[] types) {
        this.kind = kind;
        this.fields = fields;
        this.names = names;
        this.size = size;
        this.typeJson = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            typeJson[i] = types[i].json();
        }
        this.types = types;
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
            DataType[] types = new DataType[size];
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
                types[i] = t;
            }
            return new InputColumns(Kind.COLUMNS, fields, featureCols.clone(), size, types);
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
        return new InputColumns(kind, new int[] {field}, new String[] {inputCol}, size, new DataType[] {t});
    }

    /**
     * Row {@code r}'s input into {@code x}; throws with the column's name on a null or a wrong length. Spark's
     * internal rows hold arrays unboxed: through {@code Row}, boxing 784 floats a row cost more than the model.
     */
    void read(InternalRow r, float[] x) {
        DataType[] t = types();
        switch (kind) {
            case COLUMNS -> {
                for (int i = 0; i < size; i++) {
                    if (r.isNullAt(fields[i])) {
                        throw new IllegalArgumentException("a null in column " + names[i]);
                    }
                    x[i] = number(r, fields[i], t[i]);
                }
            }
            case VECTOR -> {
                nonNull(r);
                @SuppressWarnings("unchecked")
                UserDefinedType<Vector> udt = (UserDefinedType<Vector>) t[0];
                Vector v = udt.deserialize(r.getStruct(fields[0], ((StructType) udt.sqlType()).length()));
                length(v.size());
                for (int i = 0; i < size; i++) {
                    x[i] = (float) v.apply(i);
                }
            }
            case FLOAT_ARRAY, DOUBLE_ARRAY -> {
                nonNull(r);
                ArrayData a = r.getArray(fields[0]);
                length(a.numElements());
                boolean floats = kind == Kind.FLOAT_ARRAY;
                for (int i = 0; i < size; i++) {
                    if (a.isNullAt(i)) {
                        throw new IllegalArgumentException("a null inside column " + names[0]);
                    }
                    x[i] = floats ? a.getFloat(i) : (float) a.getDouble(i);
                }
            }
        }
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

    private void nonNull(InternalRow r) {
        if (r.isNullAt(fields[0])) {
            throw new IllegalArgumentException("a null in column " + names[0]);
        }
    }

    private void length(int n) {
        if (n != size) {
            throw new IllegalArgumentException("a row of column " + names[0] + " has " + n
                    + " values, the model expects " + size);
        }
    }
}
