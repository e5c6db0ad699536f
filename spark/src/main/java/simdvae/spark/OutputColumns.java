package simdvae.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Which of {@link VaeModel}'s optional output columns a transform writes, after {@code mu}, {@code logvar} and
 * {@code score}: {@code p_value} and {@code percentile} when the model has reference scores, {@code outlier} when it
 * decides, {@code nats} when asked for per-column terms. Also what the appended schema looks like.
 *
 * @param reference whether to write the score's p-value and percentile against the model's reference rows
 * @param outlier   whether to write whether the row is an outlier
 * @param perColumn whether to write the reconstruction term per column, {@code nats}
 */
record OutputColumns(boolean reference, boolean outlier, boolean perColumn) implements Serializable {
    /**
     * {@code schema} with the output columns appended, each name prefixed by {@code prefix}; refuses a name the input
     * already has, in one line.
     */
    StructType appendTo(StructType schema, String prefix) {
        List<String> names = new ArrayList<>(List.of(prefix + "mu", prefix + "logvar", prefix + "score"));
        if (reference) {
            names.add(prefix + "p_value");
            names.add(prefix + "percentile");
        }
        if (outlier) {
            names.add(prefix + "outlier");
        }
        if (perColumn) {
            names.add(prefix + "nats");
        }
        for (String name : names) {
            if (List.of(schema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("the input already has a column " + name
                        + " (choose another outputPrefix)");
            }
        }
        StructType out = schema.add(prefix + "mu", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add(prefix + "logvar", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add(prefix + "score", DataTypes.DoubleType, false);
        if (reference) {
            out = out.add(prefix + "p_value", DataTypes.DoubleType, false)
                    .add(prefix + "percentile", DataTypes.DoubleType, false);
        }
        if (outlier) {
            out = out.add(prefix + "outlier", DataTypes.BooleanType, false);
        }
        if (perColumn) {
            out = out.add(prefix + "nats", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        }
        return out;
    }
}
