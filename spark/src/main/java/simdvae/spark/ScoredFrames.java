package simdvae.spark;

import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame with {@link VaeModel}'s outputs appended, as a batch or as a stream; both run every partition through
 * {@link ScoredRows}, so a row gets the same values either way.
 *
 * <p>A batch goes through Spark's internal rows ({@code queryExecution().toRdd()}), which keeps arrays unboxed. A
 * streaming DataFrame has no RDD until a micro-batch runs, so it stays a Dataset: {@code mapPartitions} over
 * {@link Row}s, each turned into an internal row by the input schema's encoder and back by the output schema's.
 * That boxes every array element twice, which costs throughput on wide rows (images), not values.
 */
final class ScoredFrames {
    private ScoredFrames() {
    }

    /**
     * {@code data} with the outputs appended.
     *
     * @param data     the input, batch or streaming
     * @param input    where the model's input comes from in it
     * @param model    the model file's bytes, broadcast
     * @param optional the optional output columns
     * @param rule     when a row is an outlier (used when {@code optional} writes {@code outlier})
     * @param schema   the output schema: {@code data}'s with {@code optional}'s columns appended
     * @return the scored DataFrame, streaming when {@code data} is
     */
    static Dataset<Row> of(Dataset<?> data, InputColumns input, TaskModels.Shipped model, OutputColumns optional,
                           ScoredRows.Rule rule, StructType schema) {
        if (data.isStreaming()) {
            return streaming(data, input, model, optional, rule, schema);
        }
        // Spark's internal rows, in and out: through Row, every array element was boxed both ways, which cost
        // more than the model itself (measured: 25,500 rows/s on one core against 59,000 for Vae.embed).
        org.apache.spark.sql.classic.Dataset<?> classic = (org.apache.spark.sql.classic.Dataset<?>) data;
        JavaRDD<InternalRow> rows = classic.queryExecution().toRdd().toJavaRDD();
        JavaRDD<InternalRow> scored = rows.mapPartitions(
                (FlatMapFunction<Iterator<InternalRow>, InternalRow>) it -> new ScoredRows(it, input,
                        TaskModels.get(model), optional, rule));
        return classic.sparkSession().internalCreateDataFrame(scored.rdd(), schema, false);
    }

    private static Dataset<Row> streaming(Dataset<?> data, InputColumns input, TaskModels.Shipped model,
                                          OutputColumns optional, ScoredRows.Rule rule, StructType schema) {
        // encoders are made (and the output one resolved) here, once; each task makes its own (de)serializer
        ExpressionEncoder<Row> in = ExpressionEncoder.apply(data.schema());
        ExpressionEncoder<Row> unresolved = ExpressionEncoder.apply(schema);
        ExpressionEncoder<Row> out = unresolved.resolveAndBind(unresolved.resolveAndBind$default$1(),
                unresolved.resolveAndBind$default$2());
        MapPartitionsFunction<Row, Row> score = rows -> {
            ExpressionEncoder.Serializer<Row> toInternal = in.createSerializer();
            ExpressionEncoder.Deserializer<Row> toRow = out.createDeserializer();
            // the serializer reuses its result row: ScoredRows reads it at once and copies what it keeps
            Iterator<InternalRow> internal = map(rows, toInternal::apply);
            return map(new ScoredRows(internal, input, TaskModels.get(model), optional, rule), toRow::apply);
        };
        return data.toDF().mapPartitions(score, Encoders.row(schema));
    }

    private static <A, B> Iterator<B> map(Iterator<A> it, java.util.function.Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public B next() {
                return f.apply(it.next());
            }
        };
    }
}
