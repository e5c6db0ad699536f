package simdvae.cli.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import simdvae.spark.VaeEstimator;
import simdvae.spark.VaeModel;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.ImageDataset;

/**
 * {@code simdvae spark bench}: what Spark costs against one JVM on the same cores, measured in one run. Scoring:
 * {@code --rows} rows (the training images repeated) through {@link VaeModel} on {@code local[1]} and
 * {@code local[2]}, against {@link Vae#embed} (the same outputs) and {@link Vae#encode} in this JVM on 1 and 2
 * threads. Training: {@link VaeEstimator} on {@code local[2]} with 2 shards for each K of {@code --sync-every},
 * against {@link Trainer} on 2 threads: seconds per epoch and the final test loss.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure Spark against one JVM on the same cores, in one run: scoring throughput on local[1]"
            + " and local[2], and data-parallel training (2 shards) per K against the single-machine trainer.")
final class SparkBenchCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "IDX data (default ${DEFAULT-VALUE}).")
    String data = "/usr/share/datasets/fashion-mnist";

    @Option(names = "--rows", paramLabel = "N", description = "Rows to score (default ${DEFAULT-VALUE}).")
    int rows = 1_000_000;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs per run (default ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--sync-every", paramLabel = "K", split = ",", description = "K values to train with (default"
            + " 10,50,200).")
    int[] syncEvery = {10, 50, 200};

    @Option(names = "--skip-training", description = "Only the scoring part.")
    boolean skipTraining;

    @Override
    public Integer call() {
        ImageDataset train = ImageDataset.load(java.nio.file.Path.of(data), "train");
        ImageDataset test = ImageDataset.load(java.nio.file.Path.of(data), "t10k");
        VaeConfig config = VaeConfig.defaults().withInput(train.columns()).withThreads(2);
        Vae vae = Vae.create(config);
        try (Trainer t = new Trainer(vae)) {
            t.trainEpoch(train); // a trained model, so scores are typical
        }
        scoring(vae, train);
        if (!skipTraining) {
            training(config, train, test);
        }
        return 0;
    }

    private void scoring(Vae vae, ImageDataset train) {
        float[][] images = new float[train.size()][train.columns()];
        for (int i = 0; i < images.length; i++) {
            train.copyRow(i, images[i], 0);
        }
        System.out.printf("scoring %,d rows (%s repeated), one JVM:%n", rows, data);
        simdvae.vae.data.Dataset all = simdvae.vae.data.Dataset.of(images);
        for (int threads = 1; threads <= 2; threads++) {
            Vae v = vae.withThreads(threads);
            double embed = rate(() -> v.embed(all), images.length);
            double encode = rate(() -> v.encode(all), images.length);
            System.out.printf("  %d thread(s): Vae.embed %,.0f rows/s, Vae.encode %,.0f rows/s%n", threads, embed,
                    encode);
        }
        for (String master : new String[] {"local[1]", "local[2]"}) {
            SparkSession spark = Sessions.start(master);
            try {
                Dataset<Row> frame = repeated(spark, images, rows);
                VaeModel model = new VaeModel(vae);
                Runnable score = () -> model.transform(frame).agg(functions.sum("score")).first();
                score.run(); // warm-up: JIT, broadcast, task set-up
                long start = System.nanoTime();
                score.run();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("  Spark %s: VaeModel.transform %,.0f rows/s (%.1f s)%n", master, rows / seconds,
                        seconds);
            } finally {
                spark.stop();
            }
        }
    }

    /** Rows per second of {@code run} on {@code n} rows: the best of three after one warm-up. */
    private static double rate(Runnable run, int n) {
        run.run();
        double best = 0;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            run.run();
            best = Math.max(best, n / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }

    /**
     * {@code n} rows cycling through {@code images}, made inside the tasks from one broadcast as Spark's internal
     * rows (a copy of the image each, as a columnar reader would make them), never all in memory at once.
     */
    private static Dataset<Row> repeated(SparkSession spark, float[][] images, int n) {
        org.apache.spark.sql.classic.SparkSession classic = (org.apache.spark.sql.classic.SparkSession) spark;
        Broadcast<float[][]> shared = classic.sparkContext().broadcast(images,
                scala.reflect.ClassTag$.MODULE$.apply(float[][].class));
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType, false),
                false);
        int partitions = 4 * classic.sparkContext().defaultParallelism();
        JavaRDD<InternalRow> rows = classic.sparkContext().range(0, n, 1, partitions).toJavaRDD()
                .mapPartitions((FlatMapFunction<Iterator<Object>, InternalRow>) ids -> {
                    float[][] x = shared.value();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return ids.hasNext();
                        }

                        @Override
                        public InternalRow next() {
                            long id = (Long) ids.next();
                            return new GenericInternalRow(new Object[] {
                                UnsafeArrayData.fromPrimitiveArray(x[(int) (id % x.length)])});
                        }
                    };
                });
        return classic.internalCreateDataFrame(rows.rdd(), schema, false);
    }

    private void training(VaeConfig config, ImageDataset train, ImageDataset test) {
        VaeConfig c = config.withEpochs(epochs);
        Vae alone = Vae.create(c);
        double aloneSeconds;
        try (Trainer t = new Trainer(alone)) {
            long start = System.nanoTime();
            t.train(train);
            aloneSeconds = (System.nanoTime() - start) / 1e9;
        }
        double aloneLoss = alone.evaluate(test).sampled();
        System.out.printf("training %d epochs of %s:%n  Trainer, 2 threads: %.2f s an epoch, test loss %.2f%n",
                epochs, data, aloneSeconds / epochs, aloneLoss);
        SparkSession spark = Sessions.start("local[2]");
        try {
            SparkData.Frame frame = SparkData.fromLocal(spark, train);
            frame.rows().cache().count();
            for (int k : syncEvery) {
                VaeEstimator e = new VaeEstimator().setShards(2).setSyncEvery(k).setEpochs(epochs)
                        .setInputCol(frame.inputCol());
                List<Double> rounds = new ArrayList<>();
                double[] parts = new double[3];
                e.addRoundListener(r -> {
                    rounds.add(r.seconds());
                    parts[0] += r.seconds();
                    parts[1] += r.trainSeconds();
                    parts[2] += r.taskSeconds();
                });
                long start = System.nanoTime();
                Vae v = e.fit(frame.rows()).vae();
                double seconds = (System.nanoTime() - start) / 1e9;
                double loss = v.evaluate(test).sampled();
                // shard 0 holds half the rows: an epoch of it is an epoch of the data
                System.out.printf("  Spark local[2], 2 shards, K = %d: %.2f s an epoch (%.0f %% of the trainer's),"
                        + " %d rounds, test loss %.2f (%+.2f %%)%n", k, seconds / epochs,
                        100 * seconds / aloneSeconds, rounds.size(), loss, 100 * (loss - aloneLoss) / aloneLoss);
                System.out.printf("    per round: %.3f s, of which training steps %.3f s, the rest of the tasks %.3f s,"
                        + " Spark and the driver %.3f s%n", parts[0] / rounds.size(), parts[1] / rounds.size(),
                        (parts[2] - parts[1]) / rounds.size(), (parts[0] - parts[2]) / rounds.size());
            }
        } finally {
            spark.stop();
        }
    }
}
