package simdvae.spark;

import java.io.Serializable;
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
import simdvae.vae.Features;
import simdvae.vae.RngStreams;
import simdvae.vae.Trainer;
import simdvae.vae.VaeConfig;

/** The shards of {@link VaeEstimator}: how rows are dealt to them, a shard's round of training, the averaging. */
final class Shards {
    /** Set (in the JVM running the tasks) to make every shard's first attempt of round 2 fail: retries test it. */
    static final String FAIL_FIRST_ATTEMPT = "simdvae.spark.failFirstAttempt";

    private Shards() {
    }

    /** One shard: its index and its rows in input order. Lives in an executor's memory, never serialized. */
    static final class Shard {
        private final int index;
        private final simdvae.vae.Dataset rows;
        private final int size;
        /** Whether a task has checked every row (once per shard and executor, not every round). */
        private volatile boolean checked;

        Shard(int index, float[][] rows) {
            this.index = index;
            this.size = rows.length;
            this.rows = rows.length == 0 ? null : simdvae.vae.Dataset.of(rows);
        }

        int index() {
            return index;
        }

        int size() {
            return size;
        }

        simdvae.vae.Dataset rows() {
            return rows;
        }
    }

    /**
     * What a shard's task returns.
     *
     * @param shard      the shard
     * @param state      its state after the round
     * @param loss       the mean loss of its steps
     * @param taskNanos  the task's time
     * @param trainNanos the time of its training steps
     */
    record Result(int shard, Trainer.State state, double loss, long taskNanos, long trainNanos)
            implements Serializable {
    }

    /**
     * Row i (in the input's order) to shard {@code i mod s}, kept in order there; one RDD element per shard, in
     * partition s.
     */
    static JavaRDD<Shard> of(Dataset<?> dataset, InputColumns columns, int input, int s) {
        org.apache.spark.sql.classic.Dataset<?> classic = (org.apache.spark.sql.classic.Dataset<?>) dataset;
        // internal rows: read at once (the iterator may reuse them), arrays unboxed
        return classic.queryExecution().toRdd().toJavaRDD().zipWithIndex()
                .mapToPair(t -> {
                    float[] x = new float[input];
                    columns.read(t._1(), x);
                    return new Tuple2<>((int) (t._2() % s), new Tuple2<>(t._2(), x));
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
                    return List.of(new Shard(index, x)).iterator();
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

    /** Shard {@code sh}'s part of a round: {@code steps} Trainer steps from {@code state}. A pure function. */
    static Result train(Shard sh, VaeConfig config, Features features, Trainer.State state, long steps, int round) {
        long began = System.nanoTime();
        TaskContext task = TaskContext.get();
        if (round == 1 && task != null && task.attemptNumber() == 0 && Boolean.getBoolean(FAIL_FIRST_ATTEMPT)) {
            throw new IllegalStateException("test hook: the first attempt of round 2 fails (" + FAIL_FIRST_ATTEMPT
                    + ")");
        }
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        // The driver counts the steps: a shard's own epoch count never ends its part early.
        VaeConfig shardConfig = config.withSeed(RngStreams.shardSeed(config.seed(), sh.index())).withEpochs(Integer.MAX_VALUE)
                .withThreads(threads);
        try (Trainer t = Trainer.continuing(shardConfig, features, state, sh.size())) {
            if (sh.checked) {
                t.assumeChecked(sh.rows());
            }
            long trainStart = System.nanoTime();
            double loss = t.trainSteps(sh.rows(), steps);
            long trained = System.nanoTime() - trainStart;
            sh.checked = true;
            Trainer.State reached = t.state();
            return new Result(sh.index(), reached, loss, System.nanoTime() - began, trained);
        }
    }

    /**
     * The mean of the shards' parameters and moments into {@code params}, {@code m}, {@code v}: summed in double in
     * shard order, then divided (so one shard's values come back unchanged).
     */
    static void average(List<Result> results, float[] params, float[] m, float[] v) {
        Result[] inOrder = results.toArray(new Result[0]);
        java.util.Arrays.sort(inOrder, (a, b) -> Integer.compare(a.shard(), b.shard()));
        int s = inOrder.length;
        float[][] p = new float[s][];
        float[][] ms = new float[s][];
        float[][] vs = new float[s][];
        for (int i = 0; i < s; i++) {
            p[i] = inOrder[i].state().params();
            ms[i] = inOrder[i].state().m();
            vs[i] = inOrder[i].state().v();
        }
        mean(p, params);
        mean(ms, m);
        mean(vs, v);
    }

    private static void mean(float[][] parts, float[] out) {
        int s = parts.length;
        for (int i = 0; i < out.length; i++) {
            double sum = 0;
            for (float[] part : parts) {
                sum += part[i];
            }
            out[i] = (float) (sum / s);
        }
    }
}
