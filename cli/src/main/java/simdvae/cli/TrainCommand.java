package simdvae.cli;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.Simd;
import simdvae.core.Width;
import simdvae.kernels.Kernels;
import simdvae.vae.Dataset;
import simdvae.vae.Likelihood;
import simdvae.vae.ModelFile;
import simdvae.vae.Scaling;
import simdvae.vae.SimdvaeException;
import simdvae.vae.Trainer;
import simdvae.vae.TrainingListener;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.ImageDataset;
import simdvae.vae.data.TabularDataset;

/**
 * {@code simdvae train}: the tutorial's VAE on MNIST by default, or a model of a CSV file's rows; writes metrics, the
 * model and pictures.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a VAE and write into --out: metrics.json, model.svae, latent.png, loss.png, scores.png",
            "and, for images, reconstructions.png, samples.png and manifold.png (latent size 2)."})
final class TrainCommand implements Callable<Integer> {
    /** Every default below is the library's ({@link VaeConfig#defaults}), stated once there. */
    private static final VaeConfig DEFAULTS = VaeConfig.defaults();

    @Mixin
    DataOption data;

    @Option(names = "--features", paramLabel = "A,B,...", split = ",", description = "CSV data: the feature"
            + " columns, in order (default: every column but the label).")
    List<String> featureColumns;

    @Option(names = "--test-data", paramLabel = "FILE", description = "CSV data: a file of test rows with the"
            + " same columns (default: a seeded --test-split of --data).")
    Path testData;

    @Option(names = "--test-split", paramLabel = "F", description = "CSV data without --test-data: the fraction of"
            + " rows held out for testing, chosen by --seed (default ${DEFAULT-VALUE}).")
    double testSplit = 0.1;

    @Option(names = "--likelihood", paramLabel = "KIND", description = "The decoder's distribution: bernoulli"
            + " (values in [0, 1]; the default for images) or gaussian (real values: a mean and a log-variance per"
            + " feature; the default for CSV data).")
    String likelihood;

    @Option(names = "--scale", paramLabel = "KIND", description = "Scaling of the features, fitted on the training"
            + " rows and stored in the model: auto (standardize for gaussian, none for bernoulli), none, standardize"
            + " or minmax (default ${DEFAULT-VALUE}).")
    String scale = DEFAULTS.scaling().label();

    @Option(names = "--beta", paramLabel = "X", description = "Weight of the KL term in the objective (default"
            + " ${DEFAULT-VALUE}: the ELBO; other values train a beta-VAE). Reported losses are always the plain"
            + " negative ELBO.")
    double beta = DEFAULTS.beta();

    @Option(names = "--kl-warmup", paramLabel = "N", description = "Raise the KL weight linearly from 0 to --beta"
            + " over the first N epochs (default ${DEFAULT-VALUE}: no warm-up).")
    int klWarmup = DEFAULTS.klWarmup();

    @Option(names = "--validation-split", paramLabel = "F", description = "Hold out a seeded fraction F of the"
            + " training rows (never the test rows) and report the validation loss after every epoch.")
    Double validationSplit;

    @Option(names = "--early-stopping", paramLabel = "P", description = "With --validation-split: stop after P"
            + " epochs without a lower validation loss, and keep the best epoch's parameters.")
    Integer earlyStopping;

    @Option(names = "--iw-samples", paramLabel = "K", description = "Importance samples per test row for test_nll,"
            + " the importance-weighted negative log-likelihood in metrics.json; costs K decoder passes per test"
            + " row (default ${DEFAULT-VALUE}; 0 skips it).")
    int iwSamples = 20;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs = DEFAULTS.epochs();

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default ${DEFAULT-VALUE}).")
    int batch = DEFAULTS.batch();

    @Option(names = "--hidden", paramLabel = "H[,H...]", split = ",",
            description = "Hidden layer sizes of the encoder; the decoder mirrors them (default ${DEFAULT-VALUE}).")
    List<Integer> hidden = DEFAULTS.hidden();

    @Option(names = "--latent", paramLabel = "K", description = "Latent size (default ${DEFAULT-VALUE}).")
    int latent = DEFAULTS.latent();

    @Option(names = "--lr", paramLabel = "X", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr = DEFAULTS.learningRate();

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all processors).")
    Integer threads;

    @Option(names = "--width", paramLabel = "W", description = "SIMD width: auto, scalar, 64, 128, 256 or 512"
            + " (default ${DEFAULT-VALUE}).")
    String width = DEFAULTS.width().label();

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed();

    @Option(names = "--init", paramLabel = "KIND", description = "First parameters: keras (Glorot-uniform weights,"
            + " zero biases, as the tutorial) or pytorch (nn.Linear's U(±1/√in) weights and biases); default"
            + " ${DEFAULT-VALUE}.")
    String init = DEFAULTS.init().name().toLowerCase(java.util.Locale.ROOT);

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
    private static final long TEST_SPLIT_STREAM = 7L << 40;
    private static final long VALIDATION_SPLIT_STREAM = 8L << 40;

    /** The data of a run: training rows, test rows, validation rows (or null), and where they came from. */
    private record RunData(Dataset train, Dataset test, Dataset validation, boolean images, String source,
                           Dataset file) {
    }

    @Override
    public Integer call() throws IOException {
        if (threads != null && threads < 1) {
            throw new SimdvaeException("--threads must be at least 1, got " + threads);
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new SimdvaeException("--checkpoint-every must be at least 1 step, got " + checkpointEvery);
        }
        if (iwSamples < 0) {
            throw new SimdvaeException("--iw-samples must be at least 0, got " + iwSamples);
        }
        if (earlyStopping != null && earlyStopping < 1) {
            throw new SimdvaeException("--early-stopping must be at least 1 epoch, got " + earlyStopping);
        }
        Width requested = Width.parse(width);
        Simd.Choice choice = Kernels.of(requested).choice();
        Path dir;
        Trainer trainer;
        Progress.History history;
        RunData runData;
        if (resume != null) {
            dir = resume;
            Path file = dir.resolve(CHECKPOINT);
            if (!Files.isRegularFile(file)) {
                throw new SimdvaeException("no " + CHECKPOINT + " in " + dir + " to resume from (train with"
                        + " --checkpoint-every N to write one)");
            }
            history = Progress.History.read(dir.resolve(PROGRESS));
            trainer = Trainer.resume(file, threads == null ? 0 : threads, requested);
            history.keepFirstEpochs(trainer.epoch());
            if (data.path == null) {
                data.path = Path.of(history.data);
            }
            data.labelColumn = history.labelColumn;
            featureColumns = history.features;
            testData = history.testData == null ? null : Path.of(history.testData);
            testSplit = history.testSplit;
            validationSplit = history.validationSplit;
            iwSamples = history.iwSamples;
            earlyStopping = history.earlyStopping;
            if (checkpointEvery == null && history.checkpointEvery > 0) {
                checkpointEvery = history.checkpointEvery;
            }
            runData = loadData(trainer.model().config().seed());
        } else {
            if (earlyStopping != null && validationSplit == null) {
                throw new SimdvaeException("--early-stopping needs --validation-split (it watches the validation"
                        + " loss)");
            }
            if (!data.tabular() && (featureColumns != null || testData != null || data.labelColumn != null)) {
                throw new SimdvaeException("--features, --test-data and --label-column are for CSV data (--data"
                        + " FILE.csv)");
            }
            runData = loadData(seed);
            Likelihood lik = likelihood != null ? Likelihood.parse(likelihood)
                    : runData.images() ? Likelihood.BERNOULLI : Likelihood.GAUSSIAN;
            VaeConfig config = VaeConfig.defaults().withEpochs(epochs).withBatch(batch).withHidden(hidden)
                    .withLatent(latent).withLearningRate(lr).withThreads(threads == null ? 0 : threads)
                    .withWidth(requested).withSeed(seed).withInit(parseInit(init)).withLikelihood(lik)
                    .withScaling(Scaling.parse(scale)).withBeta(beta).withKlWarmup(klWarmup)
                    .withInput(runData.train().features());
            if (runData.file() instanceof TabularDataset t && config.likelihood() == Likelihood.BERNOULLI
                    && config.effectiveScaling() == Scaling.NONE) {
                t.requireUnitRange();
            }
            dir = Output.freshDirectory(out != null ? out : Path.of("runs",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), force);
            history = new Progress.History();
            history.data = (runData.images() ? data.directory() : data.path).toString();
            history.labelColumn = data.labelColumn;
            history.features = featureColumns;
            history.testData = testData == null ? null : testData.toString();
            history.testSplit = testSplit;
            history.validationSplit = validationSplit;
            history.iwSamples = iwSamples;
            history.earlyStopping = earlyStopping;
            history.checkpointEvery = checkpointEvery == null ? 0 : checkpointEvery;
            trainer = new Trainer(Vae.create(config));
            if (earlyStopping != null) {
                trainer.earlyStopping(earlyStopping);
            }
        }
        try (trainer; RunLock lock = RunLock.acquire(dir)) {
            return runStoppable(trainer, choice, lock.directory(), runData, history);
        }
    }

    /**
     * {@link #run}, stopped cleanly by SIGTERM or Ctrl-C: the signal asks the trainer to stop at its next step
     * boundary, a checkpoint is saved there when checkpointing is on, one line names the step, and the JVM exits
     * with the signal's status (non-zero) once this returns. Every file of the run is written atomically, so none is
     * left half-written.
     */
    private int runStoppable(Trainer trainer, Simd.Choice choice, Path dir, RunData runData,
                             Progress.History history) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simdvae-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(trainer, choice, dir, runData, history);
        } catch (Trainer.StoppedException e) {
            String where = "simdvae: stopped at step " + e.step() + " (epoch " + (trainer.epoch() + 1) + ")";
            if (checkpointEvery != null) {
                trainer.saveCheckpoint(dir.resolve(CHECKPOINT));
                System.err.println(where + "; checkpoint saved: continue with --resume " + dir);
            } else {
                System.err.println(where + "; no checkpoint (train with --checkpoint-every N to be able to resume)");
            }
            System.err.flush();
            return 130;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting on the signal; the hook has done its part
            }
        }
    }

    /** Training, test and validation rows: IDX splits, or a CSV file (and its test file or seeded test split). */
    private RunData loadData(long runSeed) {
        Dataset train;
        Dataset test;
        Dataset file = null;
        boolean images = !data.tabular();
        if (images) {
            Path dir = data.directory();
            train = ImageDataset.load(dir, "train");
            test = ImageDataset.load(dir, "t10k");
            if (train.features() != test.features()) {
                throw new SimdvaeException("the images in " + dir + " have " + train.features() + " and "
                        + test.features() + " pixels");
            }
        } else {
            Dataset all = TabularDataset.read(data.path, featureColumns, data.labelColumn);
            file = all;
            if (testData != null) {
                train = all;
                test = TabularDataset.read(testData, all.columnNames(), data.labelColumn);
            } else {
                Dataset.Split split = all.split(testSplit, runSeed, TEST_SPLIT_STREAM);
                train = split.kept();
                test = split.heldOut();
            }
        }
        Dataset validation = null;
        if (validationSplit != null) {
            Dataset.Split split = train.split(validationSplit, runSeed, VALIDATION_SPLIT_STREAM);
            train = split.kept();
            validation = split.heldOut();
        }
        return new RunData(train, test, validation, images, images ? data.directory().toString()
                : data.path.toString(), file);
    }

    private static VaeConfig.Init parseInit(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "keras" -> VaeConfig.Init.KERAS;
            case "pytorch" -> VaeConfig.Init.PYTORCH;
            default -> throw new SimdvaeException("unknown --init '" + text + "': use keras or pytorch");
        };
    }

    private int run(Trainer trainer, Simd.Choice choice, Path dir, RunData runData, Progress.History history)
            throws IOException {
        Vae model = trainer.model();
        VaeConfig config = model.config();
        Dataset train = runData.train();
        Dataset test = runData.test();
        if (train.features() != config.input() || test.features() != config.input()) {
            throw new SimdvaeException("the data in " + runData.source() + " has " + train.features()
                    + " features, the model expects " + config.input());
        }
        if (runData.validation() != null) {
            trainer.validateOn(runData.validation());
        }
        if (checkpointEvery != null) {
            trainer.checkpointEvery(checkpointEvery, dir.resolve(CHECKPOINT));
        }
        System.err.printf("simdvae: %s %s (%s) on %d rows (%s), width %s, %d threads -> %s%n",
                resume != null ? "resuming at epoch " + (trainer.epoch() + 1) + ", step " + trainer.steps() + ","
                        : "training", model.architecture(), config.likelihood().label(), train.size(),
                runData.source(), choice, trainer.threads(), dir);
        history.write(dir.resolve(PROGRESS));
        try (Progress progress = new Progress(config.epochs())) {
            trainer.addListener(progress);
            while (!trainer.finished()) {
                TrainingListener.EpochResult r = trainer.trainEpoch(train);
                if (r.epoch() == 0 && resume == null) {
                    for (String c : model.features().constantColumns()) {
                        System.err.println("simdvae: " + c + " is constant in the training rows: it is centred,"
                                + " not scaled");
                    }
                }
                Vae.Evaluation ev = model.evaluate(test);
                progress.epochDone(r, ev);
                history.add(r, ev.sampled());
                history.write(dir.resolve(PROGRESS));
            }
        }
        trainer.restoreBest();
        if (trainer.stoppedEarly()) {
            System.err.printf("simdvae: early stopping after epoch %d; keeping epoch %d (validation loss %.3f)%n",
                    trainer.epoch(), trainer.bestEpoch() + 1, trainer.bestValidationLoss());
        }
        Vae.Evaluation fin = model.evaluate(test);
        Vae.Scores scores = model.score(test);
        double testNll = Double.NaN;
        if (iwSamples > 0) {
            double[] ll = model.logLikelihood(test, iwSamples);
            testNll = 0;
            for (double v : ll) {
                testNll -= v;
            }
            testNll /= ll.length;
        }
        String sha = model.parametersSha256();
        model.save(dir.resolve("model.svae"));
        writePictures(dir, model, runData, history, scores);

        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", runData.source());
        if (!runData.images()) {
            cfg.put("label_column", data.labelColumn);
            cfg.put("test_data", testData == null ? null : testData.toString());
            cfg.put("test_split", testData == null ? testSplit : null);
        }
        cfg.put("input", config.input());
        cfg.put("hidden", config.hidden());
        cfg.put("latent", config.latent());
        cfg.put("likelihood", config.likelihood().label());
        cfg.put("scaling", model.features().scaling().label());
        cfg.put("beta", config.beta());
        cfg.put("kl_warmup", config.klWarmup());
        cfg.put("learning_rate", config.learningRate());
        cfg.put("beta1", config.beta1());
        cfg.put("beta2", config.beta2());
        cfg.put("epsilon", config.epsilon());
        cfg.put("batch", config.batch());
        cfg.put("epochs", config.epochs());
        cfg.put("seed", config.seed());
        cfg.put("init", resume != null ? "(from the resumed run)" : init);
        cfg.put("validation_split", validationSplit);
        cfg.put("early_stopping", earlyStopping);
        cfg.put("iw_samples", iwSamples);
        cfg.put("threads_requested", threads == null ? "all" : threads);
        cfg.put("width_requested", width);
        metrics.put("config", cfg);
        metrics.put("width", choice.width().label());
        metrics.put("width_reason", choice.reason());
        metrics.put("threads", trainer.threads());
        if (model.features().names() != null) {
            metrics.put("features", model.features().names());
        }
        metrics.put("train_size", train.size());
        metrics.put("validation_size", runData.validation() == null ? 0 : runData.validation().size());
        metrics.put("test_size", test.size());
        metrics.put("parameters", model.architecture().parameterCount());
        metrics.put("steps", trainer.steps());
        metrics.put("skipped_steps", trainer.skippedSteps());
        metrics.put("epochs", history.epochs);
        if (runData.validation() != null) {
            metrics.put("best_epoch", trainer.bestEpoch() + 1);
            metrics.put("best_validation_loss", trainer.bestValidationLoss());
            metrics.put("stopped_early", trainer.stoppedEarly());
        }
        metrics.put("test_loss", fin.sampled());
        metrics.put("test_loss_mu", fin.atMean());
        if (iwSamples > 0) {
            metrics.put("test_nll", testNll);
        }
        metrics.put("params_sha256", sha);
        metrics.put("java", System.getProperty("java.version"));
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .serializeNulls().create().toJson(metrics);
        ModelFile.writeAtomically(dir.resolve("metrics.json"), (json + "\n").getBytes(StandardCharsets.UTF_8));
        System.err.printf("simdvae: test loss %.2f (z sampled), %.2f (z = mu)%s; params_sha256 %s%n", fin.sampled(),
                fin.atMean(), iwSamples > 0 ? String.format(", test nll %.2f (%d importance samples)", testNll,
                        iwSamples) : "", sha);
        System.out.println(dir.toAbsolutePath());
        return 0;
    }

    private static void writePictures(Path dir, Vae model, RunData runData, Progress.History history,
                                      Vae.Scores scores) {
        VaeConfig config = model.config();
        Dataset test = runData.test();
        int shownRows = Math.min(test.size(), 5000);
        int[] first = new int[shownRows];
        for (int i = 0; i < shownRows; i++) {
            first[i] = i;
        }
        Dataset shown = test.rows(first);
        Vae.Encoding enc = model.encode(shown);
        int[] labels = new int[shown.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = shown.label(i);
        }
        List<String> classes = runData.images() ? digitNames() : classNames(test);
        Pictures.latentScatter(dir.resolve("latent.png"), enc.mu(), labels, classes);
        List<Double> trainLoss = new ArrayList<>();
        List<Double> testLoss = new ArrayList<>();
        List<Double> validationLoss = new ArrayList<>();
        for (Map<String, Object> row : history.epochs) {
            trainLoss.add(((Number) row.get("train_loss")).doubleValue());
            testLoss.add(((Number) row.get("test_loss")).doubleValue());
            if (row.get("validation_loss") instanceof Number v) {
                validationLoss.add(v.doubleValue());
            }
        }
        Pictures.lossCurve(dir.resolve("loss.png"), trainLoss, testLoss, validationLoss);
        int[] allLabels = new int[test.size()];
        for (int i = 0; i < allLabels.length; i++) {
            allLabels[i] = test.label(i);
        }
        Pictures.scoreHistogram(dir.resolve("scores.png"), scores.negativeElbo(), allLabels, classes);
        int side = Pictures.squareSide(config.input());
        if (runData.images() && side > 0) {
            float[][] originals = new float[Math.min(30, test.size())][test.features()];
            for (int i = 0; i < originals.length; i++) {
                test.copyRow(i, originals[i], 0);
            }
            Pictures.reconstructions(dir.resolve("reconstructions.png"), originals, model.reconstruct(originals), side,
                    10);
            Pictures.grid(dir.resolve("samples.png"), model.sample(100, config.seed()), side, 10);
            if (config.latent() == 2) {
                Pictures.manifold(dir.resolve("manifold.png"), model, 15, 3.0, side);
            }
        }
    }

    /** Legend names of a CSV label's classes: "class 0" for a column named class holding 0, 1, …. */
    private static List<String> classNames(Dataset d) {
        if (d.labelClasses() == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String c : d.labelClasses()) {
            names.add(c.matches("-?[0-9.eE+]+") ? d.labelName() + " " + c : c);
        }
        return names;
    }

    private static List<String> digitNames() {
        List<String> names = new ArrayList<>();
        for (int d = 0; d <= 9; d++) {
            names.add("digit " + d);
        }
        return names;
    }

    static float[][] rows(Dataset d) {
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
            String labelColumn;
            List<String> features;
            String testData;
            double testSplit;
            Double validationSplit;
            Integer earlyStopping;
            int iwSamples;
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

            /** Keeps the rows of the first {@code done} epochs (rows number epochs from 1), drops later ones. */
            void keepFirstEpochs(int done) {
                epochs.removeIf(row -> ((Number) row.get("epoch")).intValue() > done);
            }

            void add(EpochResult r, double testLoss) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", r.epoch() + 1);
                row.put("train_loss", r.trainLoss());
                row.put("test_loss", testLoss);
                if (!Double.isNaN(r.validationLoss())) {
                    row.put("validation_loss", r.validationLoss());
                }
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
            System.err.printf("epoch %d/%d  train loss %.2f%s  test loss %.2f  %.2f s  %,.0f samples/s%n",
                    r.epoch() + 1, epochs, r.trainLoss(), Double.isNaN(r.validationLoss()) ? ""
                            : String.format("  validation loss %.2f", r.validationLoss()), ev.sampled(), r.seconds(),
                    r.samplesPerSecond());
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
