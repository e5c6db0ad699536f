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

    @Option(names = "--init", paramLabel = "KIND", description = "First parameters: keras (Glorot-uniform weights,"
            + " zero biases, as the tutorial) or pytorch (nn.Linear's U(±1/√in) weights and biases); default"
            + " ${DEFAULT-VALUE}.")
    String init = "keras";

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default runs/<date-time>).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out.")
    boolean force;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Save the full training state to"
            + " checkpoint.svck in --out every N steps (atomically), for --resume.")
    Long checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its last checkpoint;"
            + " it ends with the same parameters as an uninterrupted run. Model and training options come from the"
            + " checkpoint; --threads, --width and --data may be given.")
    Path resume;

    private static final String CHECKPOINT = "checkpoint.svck";
    private static final String PROGRESS = "progress.json";

    @Override
    public Integer call() throws IOException {
        if (threads != null && threads < 1) {
            throw new SimdvaeException("--threads must be at least 1, got " + threads);
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new SimdvaeException("--checkpoint-every must be at least 1 step, got " + checkpointEvery);
        }
        Width requested = Width.parse(width);
        Simd.Choice choice = Kernels.of(requested).choice();
        Path dir;
        Path dataDir;
        Trainer trainer;
        Progress.History history;
        if (resume != null) {
            dir = resume;
            Path file = dir.resolve(CHECKPOINT);
            if (!Files.isRegularFile(file)) {
                throw new SimdvaeException("no " + CHECKPOINT + " in " + dir + " to resume from (train with"
                        + " --checkpoint-every N to write one)");
            }
            history = Progress.History.read(dir.resolve(PROGRESS));
            trainer = Trainer.resume(file, threads == null ? 0 : threads, requested);
            history.keepEpochsBefore(trainer.epoch());
            dataDir = data.data != null ? data.data : Path.of(history.data);
            if (checkpointEvery == null && history.checkpointEvery > 0) {
                checkpointEvery = history.checkpointEvery;
            }
        } else {
            VaeConfig config = VaeConfig.defaults().withEpochs(epochs).withBatch(batch).withHidden(hidden)
                    .withLatent(latent).withLearningRate(lr).withThreads(threads == null ? 0 : threads)
                    .withWidth(requested).withSeed(seed).withInit(parseInit(init));
            dir = Output.freshDirectory(out != null ? out : Path.of("runs",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), force);
            dataDir = data.directory();
            history = new Progress.History();
            history.data = dataDir.toString();
            history.checkpointEvery = checkpointEvery == null ? 0 : checkpointEvery;
            ImageDataset probe = ImageDataset.load(dataDir, "t10k");
            trainer = new Trainer(Vae.create(config.withInput(probe.features())));
        }
        try (trainer) {
            return run(trainer, choice, dir, dataDir, history);
        }
    }

    private static VaeConfig.Init parseInit(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "keras" -> VaeConfig.Init.KERAS;
            case "pytorch" -> VaeConfig.Init.PYTORCH;
            default -> throw new SimdvaeException("unknown --init '" + text + "': use keras or pytorch");
        };
    }

    private int run(Trainer trainer, Simd.Choice choice, Path dir, Path dataDir, Progress.History history)
            throws IOException {
        Vae model = trainer.model();
        VaeConfig config = model.config();
        ImageDataset train = ImageDataset.load(dataDir, "train");
        ImageDataset test = ImageDataset.load(dataDir, "t10k");
        if (train.features() != config.input() || test.features() != config.input()) {
            throw new SimdvaeException("the images in " + dataDir + " have " + train.features() + " and "
                    + test.features() + " pixels, the model expects " + config.input());
        }
        if (checkpointEvery != null) {
            trainer.checkpointEvery(checkpointEvery, dir.resolve(CHECKPOINT));
        }
        System.err.printf("simdvae: %s %s on %d images (%s), width %s, %d threads -> %s%n",
                resume != null ? "resuming at epoch " + (trainer.epoch() + 1) + ", step " + trainer.steps() + ","
                        : "training", model.architecture(), train.size(), dataDir, choice, trainer.threads(), dir);
        history.write(dir.resolve(PROGRESS));
        try (Progress progress = new Progress(config.epochs())) {
            trainer.addListener(progress);
            while (trainer.epoch() < config.epochs()) {
                TrainingListener.EpochResult r = trainer.trainEpoch(train);
                Vae.Evaluation ev = model.evaluate(test);
                progress.epochDone(r, ev);
                history.add(r, ev.sampled());
                history.write(dir.resolve(PROGRESS));
            }
        }
        Vae.Evaluation fin = model.evaluate(test);
        String sha = model.parametersSha256();
        model.save(dir.resolve("model.svae"));
        writePictures(dir, model, test, history);

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
        cfg.put("init", resume != null ? "(from the resumed run)" : init);
        cfg.put("threads_requested", threads == null ? "all" : threads);
        cfg.put("width_requested", width);
        metrics.put("config", cfg);
        metrics.put("width", choice.width().label());
        metrics.put("width_reason", choice.reason());
        metrics.put("threads", trainer.threads());
        metrics.put("train_size", train.size());
        metrics.put("test_size", test.size());
        metrics.put("parameters", model.architecture().parameterCount());
        metrics.put("steps", trainer.steps());
        metrics.put("skipped_steps", trainer.skippedSteps());
        metrics.put("epochs", history.epochs);
        metrics.put("test_loss", fin.sampled());
        metrics.put("test_loss_mu", fin.atMean());
        metrics.put("params_sha256", sha);
        metrics.put("java", System.getProperty("java.version"));
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(metrics);
        ModelFile.writeAtomically(dir.resolve("metrics.json"), (json + "\n").getBytes(StandardCharsets.UTF_8));
        System.err.printf("simdvae: test loss %.2f (z sampled), %.2f (z = mu); params_sha256 %s%n", fin.sampled(),
                fin.atMean(), sha);
        System.out.println(dir.toAbsolutePath());
        return 0;
    }

    private static void writePictures(Path dir, Vae model, ImageDataset test, Progress.History history) {
        VaeConfig config = model.config();
        ImageDataset shown = test.head(Math.min(test.size(), 5000));
        float[][] x = rows(shown);
        Vae.Encoding enc = model.encode(shown);
        int[] labels = new int[shown.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = shown.label(i);
        }
        Pictures.latentScatter(dir.resolve("latent.png"), enc.mu(), labels);
        List<Double> trainLoss = new ArrayList<>();
        List<Double> testLoss = new ArrayList<>();
        for (Map<String, Object> row : history.epochs) {
            trainLoss.add(((Number) row.get("train_loss")).doubleValue());
            testLoss.add(((Number) row.get("test_loss")).doubleValue());
        }
        Pictures.lossCurve(dir.resolve("loss.png"), trainLoss, testLoss);
        int side = Pictures.squareSide(config.input());
        if (side > 0) {
            float[][] originals = java.util.Arrays.copyOf(x, Math.min(30, x.length));
            Pictures.reconstructions(dir.resolve("reconstructions.png"), originals, model.reconstruct(originals), side,
                    10);
            Pictures.grid(dir.resolve("samples.png"), model.sample(100, config.seed()), side, 10);
            if (config.latent() == 2) {
                Pictures.manifold(dir.resolve("manifold.png"), model, 15, 3.0, side);
            }
        }
    }

    static float[][] rows(ImageDataset d) {
        float[][] x = new float[d.size()][d.features()];
        for (int i = 0; i < d.size(); i++) {
            d.copyRow(i, x[i], 0);
        }
        return x;
    }

    /** A progress bar on a terminal, one line per epoch otherwise; and the per-epoch record kept beside a run. */
    static final class Progress implements TrainingListener, AutoCloseable {
        /** progress.json: what a resumed run needs beyond the checkpoint (data directory, finished epochs). */
        static final class History {
            String data;
            long checkpointEvery;
            List<Map<String, Object>> epochs = new ArrayList<>();

            static History read(Path file) {
                try {
                    History h = new com.google.gson.Gson().fromJson(Files.readString(file), History.class);
                    if (h == null || h.data == null || h.epochs == null) {
                        throw new SimdvaeException(file + " is incomplete");
                    }
                    return h;
                } catch (IOException | com.google.gson.JsonParseException e) {
                    throw new SimdvaeException("cannot read " + file + ": " + e.getMessage());
                }
            }

            void keepEpochsBefore(int epoch) {
                epochs.removeIf(row -> ((Number) row.get("epoch")).intValue() > epoch);
            }

            void add(EpochResult r, double testLoss) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", r.epoch() + 1);
                row.put("train_loss", r.trainLoss());
                row.put("test_loss", testLoss);
                row.put("seconds", r.seconds());
                row.put("samples_per_second", r.samplesPerSecond());
                epochs.add(row);
            }

            void write(Path file) {
                String json = new GsonBuilder().setPrettyPrinting().create().toJson(this);
                ModelFile.writeAtomically(file, json.getBytes(StandardCharsets.UTF_8));
            }
        }

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
