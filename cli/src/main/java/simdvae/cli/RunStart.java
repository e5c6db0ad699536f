package simdvae.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import simdvae.core.Simd;
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.model.RuntimeConfig;
import simdvae.vae.model.Scaling;

/**
 * Where a {@code train} run starts: its settings and history, its trainer, its data and its directory — a fresh
 * model, a warm start from a saved model or checkpoint ({@code --from}), or a resumed run ({@code --resume}).
 *
 * @param history its settings and the epochs done
 * @param trainer its trainer, where the run stands
 * @param data    its rows
 * @param dir     its output directory
 * @param resumed whether it continues a run from its checkpoint
 * @param choice  the width its kernels run at, and why
 */
record RunStart(RunHistory history, Trainer trainer, RunData data, Path dir, boolean resumed, Simd.Choice choice) {
    /**
     * A new run of the options' settings {@code history} and configuration {@code config} (its input size set from
     * the data), in the directory {@code dir} gives once the data is read; from the model or checkpoint {@code from}
     * when not null.
     */
    static RunStart fresh(RunHistory history, VaeConfig config, WarmStart from, Supplier<Path> dir) {
        return fresh(history, config, from, dir, null);
    }

    /**
     * {@link #fresh(RunHistory, VaeConfig, WarmStart, Supplier)}; for a CSV table, {@code table} (when not null)
     * chooses from the table's shape what its options did not give and keeps it in the history (metrics.json's
     * {@code defaults}; {@link EpochLoop} says it on stderr).
     */
    static RunStart fresh(RunHistory history, VaeConfig config, WarmStart from, Supplier<Path> dir,
                          TableChoices table) {
        if (from != null) {
            from.settle(history);
        }
        history.validationSplit = config.training().validationSplit() > 0 ? config.training().validationSplit() : null;
        history.earlyStopping = config.training().patience() > 0 ? config.training().patience() : null;
        RunData data = RunData.load(history, config.training().seed());
        if (table != null && data.table() != null) {
            Map<String, Object> chosen = new LinkedHashMap<>();
            config = config.with(table.apply(config.training(), data.train().size(), chosen));
            double split = config.training().validationSplit();
            if (split > 0 && history.validationSplit == null) {
                // the split a given --validation-split of this share makes: the same rows
                history.validationSplit = split;
                data = data.withValidation(split, config.training().seed());
            }
            history.earlyStopping = config.training().patience() > 0 ? config.training().patience() : null;
            history.neighbours = table.neighbours(split, chosen);
            history.defaults = chosen.isEmpty() ? null : chosen;
        }
        VaeConfig run = from != null ? from.config(config) : config.withInput(data.train().columns());
        if (data.table() != null && run.model().likelihood().needsUnitRange()
                && run.model().effectiveScaling() == Scaling.NONE) {
            data.table().requireUnitRange();
        }
        history.model = run.model();
        history.training = run.training();
        Trainer trainer = trainer(data, run, from).scoreNeighbours(history.neighbours);
        // a small run trains faster on the scalar kernels than through the vector kernels' JIT warm-up (same bits);
        // six flops a parameter a row (and member): two forward, four backward. Early stopping ends most runs long
        // before their last epoch (the ten ADBench tables of bench/tables, patience 10: after 28-76 epochs of 200),
        // so the estimate counts at most six patiences of epochs
        int patience = run.training().patience();
        int epochs = patience > 0 ? Math.min(run.training().epochs(), 6 * patience) : run.training().epochs();
        Simd.Choice choice = Simd.chooseFor(run.runtime().width(), 6.0 * trainer.model().architecture()
                .parameterCount() * data.train().size() * epochs * run.training().ensemble());
        if (choice.width() == trainer.width().width()) {
            choice = trainer.width();
        } else {
            trainer.close();
            trainer = trainer(data, run.withWidth(choice.width()), from).scoreNeighbours(history.neighbours);
        }
        return new RunStart(history, trainer, data, dir.get(), false, choice);
    }

    private static Trainer trainer(RunData data, VaeConfig run, WarmStart from) {
        return from != null ? from.trainer(run)
                : new Trainer(data.table() != null ? Vae.create(run, data.train()) : Vae.create(run));
    }

    /**
     * The run in {@code dir} from its last checkpoint; the options that may change on resume (data, checkpoint
     * interval, contamination, threads, width) override its settings when given. A run stopped before its first
     * checkpoint has nothing to lose: it starts again from the beginning, which ends with the same parameters as an
     * uninterrupted run.
     */
    static RunStart resume(Path dir, DataOption data, Long checkpointEvery, Double contamination,
                           RuntimeConfig runtime) {
        Path file = dir.resolve(EpochLoop.CHECKPOINT);
        RunHistory history = Files.isRegularFile(dir.resolve(RunHistory.FILE)) ? RunHistory.read(dir) : null;
        if (data.path != null && history != null) {
            history.data = data.path.toString();
        }
        if (checkpointEvery != null && history != null) {
            history.checkpointEvery = checkpointEvery;
        }
        if (contamination != null && history != null) {
            history.contamination = contamination;
        }
        if (!Files.isRegularFile(file)) {
            if (history == null || history.model == null || history.checkpointEvery == 0) {
                throw new SimdvaeException("no " + EpochLoop.CHECKPOINT + " in " + dir + " to resume from (train"
                        + " with --checkpoint-every N to write one)");
            }
            System.err.println("simdvae: " + dir + " stopped before its first checkpoint: training it again from the"
                    + " start (it ends with the same parameters as an uninterrupted run)");
            history.epochs.clear();
            VaeConfig config = VaeConfig.defaults().with(history.model).with(history.training).with(runtime);
            return fresh(history, config, history.from == null ? null : WarmStart.read(Path.of(history.from)),
                    () -> dir);
        }
        if (history == null) {
            throw new SimdvaeException("no " + RunHistory.FILE + " in " + dir + " beside its checkpoint");
        }
        Trainer trainer = Trainer.resume(file, runtime.threads(), runtime.width()).scoreNeighbours(history.neighbours);
        history.keepFirstEpochs(trainer.epoch());
        return new RunStart(history, trainer, RunData.load(history, trainer.model().config().training().seed()), dir,
                true, trainer.width());
    }

    /** The runtime the options ask for. */
    static RuntimeConfig runtime(Integer threads, Width width) {
        return new RuntimeConfig(threads == null ? 0 : threads, width);
    }
}
