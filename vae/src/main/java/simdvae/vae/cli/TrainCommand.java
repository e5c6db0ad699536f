package simdvae.vae.cli;

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
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.Simd;
import simdvae.core.Width;
import simdvae.kernels.Kernels;
import simdvae.vae.ModelFile;
import simdvae.vae.SimdvaeException;
import simdvae.vae.Trainer;
import simdvae.vae.TrainingListener;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.ImageDataset;

/** {@code simdvae train}: the tutorial's VAE on MNIST by default; writes metrics, the model and five pictures. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a VAE and write into --out: metrics.json, model.svae, latent.png, reconstructions.png,",
            "samples.png, manifold.png (latent size 2) and loss.png."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default ${DEFAULT-VALUE}).")
    int batch = 50;

    @Option(names = "--hidden", paramLabel = "H[,H...]", split = ",",
            description = "Hidden layer sizes of the encoder; the decoder mirrors them (default 512).")
    List<Integer> hidden = List.of(512);

    @Option(names = "--latent", paramLabel = "K", description = "Latent size (default ${DEFAULT-VALUE}).")
    int latent = 2;

    @Option(names = "--lr", paramLabel = "X", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr = 1e-3;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all processors).")
    Integer threads;

    @Option(names = "--width", paramLabel = "W", description = "SIMD width: auto, scalar, 64, 128, 256 or 512"
            + " (default ${DEFAULT-VALUE}).")
    String width = "auto";

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default runs/<date-time>).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (threads != null && threads < 1) {
            throw new SimdvaeException("--threads must be at least 1, got " + threads);
        }
        VaeConfig config = VaeConfig.defaults().withEpochs(epochs).withBatch(batch).withHidden(hidden)
                .withLatent(latent).withLearningRate(lr).withThreads(threads == null ? 0 : threads)
                .withWidth(Width.parse(width)).withSeed(seed);
        Simd.Choice choice = Kernels.of(config.width()).choice();
        Path dir = Output.freshDirectory(out != null ? out : Path.of("runs",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), force);
        Path dataDir = data.directory();
        ImageDataset train = ImageDataset.load(dataDir, "train");
        ImageDataset test = ImageDataset.load(dataDir, "t10k");
        if (train.features() != config.input() || test.features() != config.input()) {
            config = config.withInput(train.features());
            if (test.features() != train.features()) {
                throw new SimdvaeException("training images have " + train.features() + " pixels, test images "
                        + test.features());
            }
        }
        Vae model = Vae.create(config);
        System.err.printf("simdvae: training %s on %d images (%s), width %s, %d threads -> %s%n",
                model.architecture(), train.size(), dataDir, choice, config.effectiveThreads(), dir);

        List<Map<String, Object>> epochRows = new ArrayList<>();
        List<Double> trainLoss = new ArrayList<>();
        List<Double> testLoss = new ArrayList<>();
        try (Trainer trainer = new Trainer(model); Progress progress = new Progress(config.epochs())) {
            trainer.addListener(progress);
            for (int e = 0; e < config.epochs(); e++) {
                TrainingListener.EpochResult r = trainer.trainEpoch(train, e);
                Vae.Evaluation ev = model.evaluate(test);
                progress.epochDone(r, ev);
                trainLoss.add(r.trainLoss());
                testLoss.add(ev.sampled());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", e + 1);
                row.put("train_loss", r.trainLoss());
                row.put("test_loss", ev.sampled());
                row.put("seconds", r.seconds());
                row.put("samples_per_second", r.samplesPerSecond());
                epochRows.add(row);
            }
        }
        Vae.Evaluation fin = model.evaluate(test);
        String sha = model.parametersSha256();
        model.save(dir.resolve("model.svae"));

        ImageDataset shown = test.head(Math.min(test.size(), 5000));
        float[][] x = rows(shown);
        Vae.Encoding enc = model.encode(shown);
        int[] labels = new int[shown.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = shown.label(i);
        }
        int side = (int) Math.round(Math.sqrt(config.input()));
        boolean square = side * side == config.input();
        Pictures.latentScatter(dir.resolve("latent.png"), enc.mu(), labels);
        Pictures.lossCurve(dir.resolve("loss.png"), trainLoss, testLoss);
        if (square) {
            float[][] originals = java.util.Arrays.copyOf(x, Math.min(30, x.length));
            Pictures.reconstructions(dir.resolve("reconstructions.png"), originals, model.reconstruct(originals), side,
                    10);
            Pictures.grid(dir.resolve("samples.png"), model.sample(100, seed), side, 10);
            if (config.latent() == 2) {
                Pictures.manifold(dir.resolve("manifold.png"), model, 15, 3.0, side);
            }
        }

        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", dataDir.toString());
        cfg.put("input", config.input());
        cfg.put("hidden", config.hidden());
        cfg.put("latent", config.latent());
        cfg.put("learning_rate", config.learningRate());
        cfg.put("beta1", config.beta1());
        cfg.put("beta2", config.beta2());
        cfg.put("epsilon", config.epsilon());
        cfg.put("batch", config.batch());
        cfg.put("epochs", config.epochs());
        cfg.put("seed", config.seed());
        cfg.put("threads_requested", threads == null ? "all" : threads);
        cfg.put("width_requested", config.width().label());
        metrics.put("config", cfg);
        metrics.put("width", choice.width().label());
        metrics.put("width_reason", choice.reason());
        metrics.put("threads", config.effectiveThreads());
        metrics.put("train_size", train.size());
        metrics.put("test_size", test.size());
        metrics.put("parameters", model.architecture().parameterCount());
        metrics.put("epochs", epochRows);
        metrics.put("test_loss", fin.sampled());
        metrics.put("test_loss_mu", fin.atMean());
        metrics.put("params_sha256", sha);
        metrics.put("java", System.getProperty("java.version"));
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create()
                .toJson(metrics);
        ModelFile.writeAtomically(dir.resolve("metrics.json"), (json + "\n").getBytes(StandardCharsets.UTF_8));
        System.err.printf("simdvae: test loss %.2f (z sampled), %.2f (z = mu); params_sha256 %s%n", fin.sampled(),
                fin.atMean(), sha);
        System.out.println(dir.toAbsolutePath());
        return 0;
    }

    static float[][] rows(ImageDataset d) {
        float[][] x = new float[d.size()][d.features()];
        for (int i = 0; i < d.size(); i++) {
            d.copyRow(i, x[i], 0);
        }
        return x;
    }

    /** A progress bar on a terminal, one line per epoch otherwise. */
    static final class Progress implements TrainingListener, AutoCloseable {
        private final int epochs;
        private final boolean terminal = System.console() != null && System.console().isTerminal();
        private ProgressBar bar;

        Progress(int epochs) {
            this.epochs = epochs;
        }

        @Override
        public void onStep(int epoch, long step, int batchInEpoch, int batchesPerEpoch, double loss,
                           double samplesPerSecond) {
            if (!terminal) {
                return;
            }
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + epochs)
                        .setInitialMax(batchesPerEpoch).setStyle(ProgressBarStyle.ASCII).continuousUpdate()
                        .setUpdateIntervalMillis(200).build();
            }
            bar.stepTo(batchInEpoch + 1L);
            bar.setExtraMessage(String.format(" loss %.2f  %,.0f samples/s", loss, samplesPerSecond));
        }

        void epochDone(EpochResult r, Vae.Evaluation ev) {
            close();
            System.err.printf("epoch %d/%d  train loss %.2f  test loss %.2f  %.2f s  %,.0f samples/s%n",
                    r.epoch() + 1, epochs, r.trainLoss(), ev.sampled(), r.seconds(), r.samplesPerSecond());
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

}
