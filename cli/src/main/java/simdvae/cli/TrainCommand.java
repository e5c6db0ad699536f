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
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.vae.Trainer;
import simdvae.vae.VaeConfig;
import simdvae.vae.model.RuntimeConfig;

/**
 * {@code simdvae train}: the tutorial's VAE on MNIST by default, or a model of a CSV file's rows. A run is four
 * stages: its settings ({@link RunHistory}: from the options, or from the run it resumes), its data ({@link RunData}),
 * the epochs ({@link EpochLoop}, stopped cleanly by {@link StopOnSignal}), and its report ({@link RunReport}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a VAE and write into --out: metrics.json, model.svae, latent.png, loss.png, scores.png"
            + " and, for images, reconstructions.png, samples.png and manifold.png (latent size 2).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Mixin
    TableOptions table;

    @Mixin
    ModelOptions model;

    @Mixin
    ValidationOptions validation;

    @Option(names = "--iw-samples", paramLabel = "K", description = "Importance samples per test row for test_nll,"
            + " the importance-weighted negative log-likelihood in metrics.json; costs K decoder passes per test"
            + " row (default ${DEFAULT-VALUE}; 0 skips it).")
    int iwSamples = 20;

    @Mixin
    ContaminationOption contamination;

    @Option(names = "--neighbours", paramLabel = "K", description = "Make the model's anomaly score the hybrid of the"
            + " negative ELBO at z = mu and the mean distance to the K nearest of (an evenly spaced sample of at most"
            + " 4096) training rows as the encoder takes them, each in robust standard deviations of the validation"
            + " rows; needs validation rows. 0: the negative ELBO alone (default: 0; for a CSV table with validation"
            + " rows, 5).")
    Integer neighbours;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all processors).")
    Integer threads;

    @Option(names = "--width", paramLabel = "W", description = "SIMD width: auto, scalar, 64, 128, 256 or 512"
            + " (default ${DEFAULT-VALUE}).")
    String width = VaeConfig.defaults().runtime().width().spelling();

    @Option(names = "--from", paramLabel = "FILE", description = "Go on training a trained model (model.svae) or a"
            + " checkpoint (checkpoint.svck; Adam's state carries over) on --data: its network, scaling and levels"
            + " are kept (a column or level it never had is an error), run options (--epochs, --lr, ...) apply, and"
            + " a new model is written to --out.")
    Path from;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputDirectory output;

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
        Simd.choose(requested); // a width this CPU cannot run is refused before the data is read
        RunClock clock = new RunClock();
        Pictures.warmUpInBackground();
        clock.add("setup", clock.sinceMain());
        RuntimeConfig runtime = RunStart.runtime(threads, requested);
        RunStart start = resume != null
                ? RunStart.resume(resume, data, checkpointEvery, contamination.value(), runtime)
                : RunStart.fresh(settings(), config(runtime),
                        from == null ? null : WarmStart.read(from), () -> output.runDirectory(""), tableChoices());
        clock.add("data", clock.sinceMain()); // the data read and the model built (or the checkpoint read)
        Trainer trainer = start.trainer();
        EpochLoop.LastEvaluation last;
        try (trainer; RunLock lock = RunLock.acquire(start.dir()); StopOnSignal signal = new StopOnSignal(trainer)) {
            try {
                last = EpochLoop.run(trainer, start.choice(), lock.directory(), start.data(), start.history(),
                        start.resumed(), clock);
            } catch (Trainer.StoppedException e) {
                // inside the lock and before the signal's hook lets the JVM exit: say where, and save the state
                signal.stopped(trainer, e, start.history().checkpointEvery > 0
                        ? start.dir().resolve(EpochLoop.CHECKPOINT) : null);
                return 130;
            }
            RunReport.write(lock.directory(), trainer, start.data(), start.history(), start.choice(),
                    new RunReport.Requested(start.resumed() ? "(from the resumed run)"
                            : from != null ? "(from " + from + ")" : model.network.init, threads, width), clock, last);
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
        contamination.value();
        if (neighbours != null && neighbours < 0) {
            throw new SimdvaeException("--neighbours must be at least 0, got " + neighbours);
        }
        if (neighbours != null && neighbours > 0 && resume == null && (!data.tabular() || from != null)
                && (validation.split == null || validation.split == 0)) {
            throw new SimdvaeException("--neighbours needs validation rows to calibrate on (--validation-split)");
        }
        if (from != null) {
            WarmStart.checkOptions(spec.commandLine().getParseResult(), resume != null);
        }
        if (resume == null && !data.tabular() && (table.given() || data.labelColumn != null
                || data.missingValues.tokens != null)) {
            throw new SimdvaeException("--features, --test-data, --label-column, --categorical, --numeric and"
                    + " --missing-values are for CSV data (--data FILE.csv)");
        }
    }

    /** A fresh run's configuration, from the options (its input size is the data's, set when the data is read). */
    private VaeConfig config(RuntimeConfig runtime) {
        VaeConfig c = model.config(1, !data.tabular());
        return c.with(validation.into(c.training(), tableChoices() != null)).with(runtime);
    }

    /**
     * What a fresh run on a CSV table leaves to its shape (the options not given), or null: images and --from keep
     * the options' defaults (and --neighbours as given, 0 when not).
     */
    private TableChoices tableChoices() {
        if (!data.tabular() || from != null) {
            return null;
        }
        boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
        return new TableChoices(epochsGiven ? model.epochs : null, validation.split, validation.patience,
                neighbours);
    }

    /** A fresh run's settings, from the options. */
    private RunHistory settings() {
        RunHistory h = new RunHistory();
        h.data = (data.tabular() ? data.path : data.directory()).toString();
        h.labelColumn = data.labelColumn;
        table.into(h);
        h.missingValues = data.missingValues.tokens;
        h.missing = data.missing;
        h.iwSamples = iwSamples;
        h.contamination = contamination.value();
        h.checkpointEvery = checkpointEvery == null ? 0 : checkpointEvery;
        h.neighbours = neighbours == null ? 0 : neighbours; // a table's choice replaces it (TableChoices)
        return h;
    }
}
