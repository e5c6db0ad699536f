package simdvae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simdvae.core.Simd;
import simdvae.core.Width;
import simdvae.kernels.Kernels;
import simdvae.vae.Scaling;
import simdvae.vae.ScoreReference;
import simdvae.core.SimdvaeException;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;

/**
 * {@code simdvae train}: the tutorial's VAE on MNIST by default, or a model of a CSV file's rows. A run is four
 * stages: its settings ({@link RunHistory}: from the options, or from the run it resumes), its data ({@link RunData}),
 * the epochs ({@link EpochLoop}, stopped cleanly by {@link StopOnSignal}), and its report ({@link RunReport}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a VAE and write into --out: metrics.json, model.svae, latent.png, loss.png, scores.png",
            "and, for images, reconstructions.png, samples.png and manifold.png (latent size 2)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Mixin
    TableOptions table;

    @Mixin
    ModelOptions model;

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

    @Option(names = "--contamination", paramLabel = "F", description = "The expected share of outliers, in (0, 0.5]:"
            + " the model keeps the threshold that leaves this share of its reference rows (validation rows, else"
            + " training rows) above it, so that score writes an outlier column with no option.")
    Double contamination;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all processors).")
    Integer threads;

    @Option(names = "--width", paramLabel = "W", description = "SIMD width: auto, scalar, 64, 128, 256 or 512"
            + " (default ${DEFAULT-VALUE}).")
    String width = VaeConfig.defaults().width().label();

    @Option(names = "--from", paramLabel = "FILE", description = "Go on training a trained model (model.svae) or a"
            + " checkpoint (checkpoint.svck; Adam's state carries over) on --data: its network, scaling and levels"
            + " are kept (a column or level it never had is an error), run options (--epochs, --lr, ...) apply, and"
            + " a new model is written to --out.")
    Path from;

    @Spec
    CommandSpec spec;

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

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Width requested = Width.parse(width);
        Simd.Choice choice = Kernels.of(requested).choice();
        int threadCount = threads == null ? 0 : threads;
        Path dir;
        RunHistory history;
        Trainer trainer;
        RunData runData;
        if (resume != null) {
            RunStart start = RunStart.resume(resume, data, checkpointEvery, contamination, threadCount, requested);
            dir = resume;
            history = start.history();
            trainer = start.trainer();
            runData = start.data();
        } else {
            history = settings();
            WarmStart start = from == null ? null : WarmStart.read(from);
            if (start != null) {
                start.settle(history);
            }
            runData = RunData.load(history, model.seed());
            VaeConfig config = (start != null ? start.config(model)
                    : model.config(runData.train().columns(), runData.images())).toBuilder()
                    .threads(threadCount).width(requested).build();
            if (runData.table() != null && config.likelihood().needsUnitRange()
                    && config.effectiveScaling() == Scaling.NONE) {
                runData.table().requireUnitRange();
            }
            dir = Output.runDirectory(out, "", force);
            trainer = start != null ? start.trainer(config)
                    : new Trainer(runData.table() != null ? Vae.create(config, runData.train()) : Vae.create(config));
            if (earlyStopping != null) {
                trainer.earlyStopping(earlyStopping);
            }
        }
        try (trainer; RunLock lock = RunLock.acquire(dir); StopOnSignal signal = new StopOnSignal(trainer)) {
            try {
                EpochLoop.run(trainer, choice, lock.directory(), runData, history, resume != null);
            } catch (Trainer.StoppedException e) {
                // inside the lock and before the signal's hook lets the JVM exit: say where, and save the state
                signal.stopped(trainer, e, history.checkpointEvery > 0 ? dir.resolve(EpochLoop.CHECKPOINT) : null);
                return 130;
            }
            RunReport.write(lock.directory(), trainer, runData, history, choice, new RunReport.Requested(
                    resume != null ? "(from the resumed run)" : from != null ? "(from " + from + ")" : model.init,
                    threads, width));
            System.out.println(lock.directory().toAbsolutePath());
            return 0;
        }
    }

    private void checkOptions() {
        if (threads != null && threads < 1) {
            throw new SimdvaeException("--threads must be at least 1, got " + threads);
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new SimdvaeException("--checkpoint-every must be at least 1 step, got " + checkpointEvery);
        }
        if (iwSamples < 0) {
            throw new SimdvaeException("--iw-samples must be at least 0, got " + iwSamples);
        }
        if (contamination != null) {
            ScoreReference.checkContamination(contamination);
        }
        if (from != null) {
            WarmStart.checkOptions(spec.commandLine().getParseResult(), resume != null);
        }
        if (earlyStopping != null && earlyStopping < 1) {
            throw new SimdvaeException("--early-stopping must be at least 1 epoch, got " + earlyStopping);
        }
        if (resume == null && earlyStopping != null && validationSplit == null) {
            throw new SimdvaeException("--early-stopping needs --validation-split (it watches the validation loss)");
        }
        if (resume == null && !data.tabular() && (table.given() || data.labelColumn != null
                || data.missingValues != null)) {
            throw new SimdvaeException("--features, --test-data, --label-column, --categorical, --numeric and"
                    + " --missing-values are for CSV data (--data FILE.csv)");
        }
    }

    /** A fresh run's settings, from the options. */
    private RunHistory settings() {
        RunHistory h = new RunHistory();
        h.data = (data.tabular() ? data.path : data.directory()).toString();
        h.labelColumn = data.labelColumn;
        table.into(h);
        h.missingValues = data.missingValues;
        h.missing = data.missing;
        h.validationSplit = validationSplit;
        h.iwSamples = iwSamples;
        h.contamination = contamination;
        h.earlyStopping = earlyStopping;
        h.checkpointEvery = checkpointEvery == null ? 0 : checkpointEvery;
        return h;
    }
}
