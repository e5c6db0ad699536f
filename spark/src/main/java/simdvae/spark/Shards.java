package simdvae.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;
import simdvae.vae.Trainer;
import simdvae.vae.VaeConfig;
import simdvae.vae.table.Features;

/**
 * The shards of {@link VaeEstimator} on Spark: how rows are dealt to them, and a shard's round of {@link LocalSgd} run
 * where its rows live.
 */
final class Shards {
    private Shards() {
    }

    /** One shard: its index and its rows in input order. Lives in an executor's memory, never serialized. */
    static final class Shard {
        private final int index;
        private final simdvae.vae.data.Dataset rows;
        private final int size;
        /** Whether a task has checked every row (once per shard and executor, not every round). */
        private volatile boolean checked;

        /** A shard's rows: a table's (coded as {@code columns} codes them) or plain numbers. */
        Shard(int index, float[][] rows, InputColumns columns, boolean table) {
            this.index = index;
            this.size = rows.length;
            if (rows.length == 0) {
                this.rows = null;
            } else if (table) {
                this.rows = columns.table(rows);
            } else {
                this.rows = simdvae.vae.data.Dataset.of(rows);
            }
        }

        int index() {
            return index;
        }

        int size() {
            return size;
        }

        simdvae.vae.data.Dataset rows() {
            return rows;
        }
    }

    /**
     * Row i (in the input's order) to shard {@code i mod s}, kept in order there (a row that handleInvalid skips
     * goes nowhere); one RDD element per shard, in partition s. A table's rows are coded by {@code columns}' levels.
     */
    static JavaRDD<Shard> of(Dataset<?> dataset, InputColumns columns, int input, int s, boolean table) {
        org.apache.spark.sql.classic.Dataset<?> classic = (org.apache.spark.sql.classic.Dataset<?>) dataset;
        // internal rows: read at once (the iterator may reuse them), arrays unboxed
        return classic.queryExecution().toRdd().toJavaRDD().zipWithIndex()
                .flatMapToPair(t -> {
                    float[] x = new float[input];
                    if (!columns.read(t._1(), x)) {
                        return java.util.Collections.emptyIterator();
                    }
                    return List.of(new Tuple2<>((int) (t._2() % s), new Tuple2<>(t._2(), x))).iterator();
                })
                .partitionBy(new HashPartitioner(s))
                .mapPartitionsWithIndex((Integer index, Iterator<Tuple2<Integer, Tuple2<Long, float[]>>> it) -> {
                    List<Tuple2<Long, float[]>> rows = new ArrayList<>();
                    it.forEachRemaining(t -> rows.add(t._2()));
                    rows.sort((a, b) -> Long.compare(a._1(), b._1()));
                    float[][] x = new float[rows.size()][];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = rows.get(i)._2();
                    }
                    return List.of(new Shard(index, x, columns, table)).iterator();
                }, true);
    }

    /** The length of the first row of an array or vector column (the model's input size). */
    static int firstRowSize(Dataset<?> dataset, String column) {
        if (!Arrays.asList(dataset.schema().fieldNames()).contains(column)) {
            throw new IllegalArgumentException("no column " + column + " in the input (it has "
                    + String.join(", ", dataset.schema().fieldNames()) + "); set inputCol or featureCols");
        }
        List<Row> first = dataset.toDF().select(column).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the training data is empty");
        }
        Object v = first.get(0).get(0);
        if (v instanceof Vector vec) {
            return vec.size();
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            return seq.size();
        }
        if (v instanceof List<?> list) {
            return list.size();
        }
        throw new IllegalArgumentException("column " + column + " must be array<float>, array<double> or an ML"
                + " Vector");
    }

    /** Shard {@code sh}'s part of a round, on as many threads as its task has cores. */
    static LocalSgd.Result train(Shard sh, VaeConfig config, Features features, Trainer.State state, long steps) {
        TaskContext task = TaskContext.get();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        LocalSgd.Result r = LocalSgd.train(sh.index(), sh.rows(), sh.checked, config, features, state, steps, threads);
        sh.checked = true;
        return r;
    }
}
