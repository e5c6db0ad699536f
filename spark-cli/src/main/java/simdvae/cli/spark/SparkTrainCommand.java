package simdvae.cli.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.cli.ContaminationOption;
import simdvae.cli.MetricsFile;
import simdvae.cli.ModelOptions;
import simdvae.cli.OutputDirectory;
import simdvae.cli.Pictures;
import simdvae.cli.RunPictures;
import simdvae.spark.VaeEstimator;
import simdvae.vae.Evaluation;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.ImageDataset;

/** {@code simdvae spark train}: deterministic data-parallel training (see {@link VaeEstimator}). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train on Spark: rows dealt to --shards S shards by index, --sync-every K local steps per"
            + " shard between two averagings in shard order. The same data, seed, S and K give the same model, bit"
            + " for bit, on any master and number of executors; with S = 1, the model of 'simdvae train' (same"
            + " options). An epoch is one pass of shard 0. Writes metrics.json (with params_sha256), model.svae and"
            + " pictures into --out.")
final class SparkTrainCommand implements Callable<Integer> {
    @Mixin
    MasterOption master;

    @Option(names = "--shards", paramLabel = "S", description = "Logical data shards (default ${DEFAULT-VALUE}).")
    int shards = 2;

    @Option(names = "--sync-every", paramLabel = "K", description = "Local steps per shard between averagings"
            + " (default ${DEFAULT-VALUE}).")
    int syncEvery = 50;

    @Mixin
    SparkData data;

    @Mixin
    ModelOptions model;

    @Mixin
    ContaminationOption contamination;

    @Mixin
    OutputDirectory output;

    @Override
    public Integer call() {
        VaeEstimator estimator = estimator(); // the settings' one-line errors before Spark starts
        Path dir = output.runDirectory("spark-");
        SparkSession spark = master.start();
        try {
            SparkData.Frame train = data.load(spark, "train");
            name(estimator, train);
            RoundLog rounds = new RoundLog();
            estimator.addRoundListener(rounds);
            long start = System.nanoTime();
            Vae vae = estimator.fit(train.rows()).vae();
            report(dir, vae, train, rounds, (System.nanoTime() - start) / 1e9);
            System.out.println(dir.toAbsolutePath());
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** The estimator the options describe, checked. */
    private VaeEstimator estimator() {
        VaeEstimator estimator = new VaeEstimator().setConfig(model.config(1, data.images())).setShards(shards)
                .setSyncEvery(syncEvery).setHandleInvalid(data.handleInvalid);
        if (contamination.value() != null) {
            estimator.setContamination(contamination.value());
        }
        estimator.config(1);
        return estimator;
    }

    /** Points the estimator at the frame's columns and names. */
    private void name(VaeEstimator estimator, SparkData.Frame train) {
        if (train.featureCols().length > 0) {
            estimator.setFeatureCols(train.featureCols());
        } else {
            estimator.setInputCol(train.inputCol());
        }
        if (train.local() != null && train.local().columnNames() != null) {
            estimator.setFeatureNames(train.local().columnNames().toArray(new String[0]));
        }
        if (data.csv() && train.local().labelName() != null) {
            estimator.setLabelCol(train.local().labelName());
        } else if (data.parquet() && train.labelCol() != null) {
            estimator.setLabelCol(train.labelCol());
        }
    }

    /** The rounds' losses and times, and a line now and then on the terminal. */
    private static final class RoundLog implements VaeEstimator.RoundListener {
        final List<Double> losses = new ArrayList<>();
        final List<Double> seconds = new ArrayList<>();
        long broadcast;

        @Override
        public void onRound(VaeEstimator.Round r) {
            losses.add(r.loss());
            seconds.add(r.seconds());
            broadcast = r.bytesBroadcast();
            int every = Math.max(1, r.rounds() / 20);
            if (r.round() % every == 0 || r.round() == r.rounds()) {
                System.err.printf("round %d/%d  step %d  loss %.2f  %.2f s%n", r.round(), r.rounds(), r.step(),
                        r.loss(), r.seconds());
            }
        }
    }

    /** The run's model, metrics and pictures in {@code dir}. */
    private void report(Path dir, Vae vae, SparkData.Frame train, RoundLog rounds, double seconds) {
        vae.save(dir.resolve("model.svae"));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("params_sha256", vae.parametersSha256());
        metrics.put("master", master.url);
        metrics.put("shards", shards);
        metrics.put("sync_every", syncEvery);
        metrics.put("epochs", vae.config().training().epochs());
        metrics.put("batch", vae.config().training().batch());
        metrics.put("ensemble", vae.members());
        metrics.put("rounds", rounds.losses.size());
        metrics.put("seconds", seconds);
        metrics.put("bytes_broadcast_per_round", rounds.broadcast);
        Dataset test = data.images() ? ImageDataset.load(data.directory(), "t10k") : train.local();
        if (test != null) {
            Evaluation ev = vae.evaluate(test);
            metrics.put(data.images() ? "test_loss" : "train_loss", ev.sampled());
            metrics.put(data.images() ? "test_loss_mu" : "train_loss_mu", ev.atMean());
            System.err.printf("%s loss %.2f (at z = mu: %.2f)%n", data.images() ? "test" : "train",
                    ev.sampled(), ev.atMean());
            RunPictures.write(dir, vae, test, data.images());
        }
        metrics.put("round_loss", rounds.losses);
        metrics.put("round_seconds", rounds.seconds);
        Pictures.roundLossCurve(dir.resolve("loss.png"), rounds.losses);
        MetricsFile.write(dir, metrics);
        System.err.printf("simdvae spark: %d rounds in %.1f s, params_sha256 %s%n", rounds.losses.size(), seconds,
                vae.parametersSha256());
    }
}
