package simdvae.cli.spark;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.spark.VaeEstimator;
import simdvae.spark.VaeModel;
import simdvae.vae.Dataset;
import simdvae.vae.Storage;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.cli.Pictures;

/** {@code simdvae spark train}: deterministic data-parallel training (see {@link VaeEstimator}). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train on Spark: rows dealt to --shards S shards by index, --sync-every K local steps per",
            "shard between two averagings in shard order. The same data, seed, S and K give the same model, bit for",
            "bit, on any master and number of executors; with S = 1, the model of 'simdvae train' (same options).",
            "Writes metrics.json (with params_sha256), model.svae and pictures into --out."})
final class SparkTrainCommand implements Callable<Integer> {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default ${DEFAULT-VALUE}).")
    String master = "local[*]";

    @Option(names = "--shards", paramLabel = "S", description = "Logical data shards (default ${DEFAULT-VALUE}).")
    int shards = 2;

    @Option(names = "--sync-every", paramLabel = "K", description = "Local steps per shard between averagings"
            + " (default ${DEFAULT-VALUE}).")
    int syncEvery = 50;

    @Mixin
    SparkData data;

    @Option(names = "--likelihood", paramLabel = "KIND", description = "bernoulli or gaussian (default: bernoulli"
            + " for images, gaussian for CSV and Parquet).")
    String likelihood;

    @Option(names = "--scale", paramLabel = "KIND", description = "auto, none, standardize or minmax (default"
            + " ${DEFAULT-VALUE}; fitted on shard 0's rows).")
    String scale = "auto";

    @Option(names = "--beta", paramLabel = "X", description = "Weight of the KL term (default ${DEFAULT-VALUE}).")
    double beta = 1;

    @Option(names = "--kl-warmup", paramLabel = "N", description = "Epochs of KL warm-up (default ${DEFAULT-VALUE}).")
    int klWarmup = 0;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of shard 0 (default ${DEFAULT-VALUE}).")
    int epochs = VaeConfig.defaults().epochs();

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default ${DEFAULT-VALUE}).")
    int batch = VaeConfig.defaults().batch();

    @Option(names = "--hidden", paramLabel = "H[,H...]", split = ",", description = "Hidden layer sizes (default"
            + " 512).")
    int[] hidden = {512};

    @Option(names = "--latent", paramLabel = "K", description = "Latent size (default ${DEFAULT-VALUE}).")
    int latent = VaeConfig.defaults().latent();

    @Option(names = "--lr", paramLabel = "X", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr = VaeConfig.defaults().learningRate();

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = VaeConfig.defaults().seed();

    @Option(names = "--init", paramLabel = "KIND", description = "keras or pytorch (default ${DEFAULT-VALUE}).")
    String init = "keras";

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default runs/spark-<date-time>).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Path dir = out != null ? out : Path.of("runs", "spark-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.isDirectory(dir) && !force) {
            try (var files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + " is not empty (use --force to write into it)");
                }
            }
        }
        VaeEstimator estimator = new VaeEstimator().setShards(shards).setSyncEvery(syncEvery).setEpochs(epochs)
                .setBatchSize(batch).setHidden(hidden).setLatent(latent).setLearningRate(lr).setSeed(seed)
                .setLikelihood(likelihood != null ? likelihood : data.images() ? "bernoulli" : "gaussian")
                .setScaling(scale).setBeta(beta).setKlWarmup(klWarmup).setInit(init);
        estimator.config(1); // the settings' one-line errors before Spark starts
        SparkSession spark = Sessions.start(master);
        try {
            SparkData.Frame train = data.load(spark, "train");
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
            List<Double> losses = new ArrayList<>();
            List<Double> seconds = new ArrayList<>();
            long[] broadcast = new long[1];
            estimator.addRoundListener(r -> {
                losses.add(r.loss());
                seconds.add(r.seconds());
                broadcast[0] = r.bytesBroadcast();
                int every = Math.max(1, r.rounds() / 20);
                if (r.round() % every == 0 || r.round() == r.rounds()) {
                    System.err.printf("round %d/%d  step %d  loss %.2f  %.2f s%n", r.round(), r.rounds(), r.step(),
                            r.loss(), r.seconds());
                }
            });
            long start = System.nanoTime();
            VaeModel model = estimator.fit(train.rows());
            double total = (System.nanoTime() - start) / 1e9;
            Vae vae = model.vae();
            Files.createDirectories(dir);
            vae.save(dir.resolve("model.svae"));
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("params_sha256", vae.parametersSha256());
            metrics.put("master", master);
            metrics.put("shards", shards);
            metrics.put("sync_every", syncEvery);
            metrics.put("epochs", epochs);
            metrics.put("batch", batch);
            metrics.put("rounds", losses.size());
            metrics.put("seconds", total);
            metrics.put("bytes_broadcast_per_round", broadcast[0]);
            Dataset test = data.images() ? SparkData.fromLocal(spark, simdvae.vae.data.ImageDataset.load(
                    data.directory(), "t10k")).local() : train.local();
            if (test != null) {
                Vae.Evaluation ev = vae.evaluate(test);
                metrics.put(data.images() ? "test_loss" : "train_loss", ev.sampled());
                metrics.put(data.images() ? "test_loss_mu" : "train_loss_mu", ev.atMean());
                System.err.printf("%s loss %.2f (at z = mu: %.2f)%n", data.images() ? "test" : "train",
                        ev.sampled(), ev.atMean());
                pictures(dir, vae, test);
            }
            metrics.put("round_loss", losses);
            metrics.put("round_seconds", seconds);
            Pictures.roundLossCurve(dir.resolve("loss.png"), losses);
            String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                    .toJson(metrics);
            Storage.writeAtomically(dir.resolve("metrics.json"), (json + "\n").getBytes(StandardCharsets.UTF_8));
            System.err.printf("simdvae spark: %d rounds in %.1f s, params_sha256 %s%n", losses.size(), total,
                    vae.parametersSha256());
            System.out.println(dir.toAbsolutePath());
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** The latent scatter, and for images the reconstructions and samples, as {@code simdvae train} draws them. */
    private void pictures(Path dir, Vae vae, Dataset test) {
        int n = Math.min(test.size(), 5000);
        float[][] x = new float[n][test.columns()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            test.copyRow(i, x[i], 0);
            labels[i] = test.label(i);
        }
        Vae.Encoding enc = vae.encode(x);
        if (vae.architecture().latent() == 2) {
            List<String> classes = test.labelClasses();
            Pictures.latentScatter(dir.resolve("latent.png"), enc.mu(), labels[0] >= 0 ? labels : null, classes);
        }
        if (data.images()) {
            int side = Pictures.side(vae);
            float[][] originals = java.util.Arrays.copyOf(x, Math.min(10, n));
            Pictures.reconstructions(dir.resolve("reconstructions.png"), originals, vae.reconstruct(originals), side,
                    originals.length);
            Pictures.grid(dir.resolve("samples.png"), vae.sample(100, seed), side, 10);
        }
    }
}
