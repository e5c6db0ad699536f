package simdvae.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.data.Storage;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;

/**
 * {@code train --from FILE}: the trained model (model.svae) or the checkpoint (checkpoint.svck) that a new run
 * goes on training. The run reads its data as the model reads rows (its columns, kinds and levels), keeps its
 * network, scaling, levels and ensemble (each member goes on), and takes only run settings (epochs, batch, learning
 * rate, β, warm-up, seed) from the options.
 */
final class WarmStart {
    /** Options that describe the model rather than the run: with --from, the model has them already. */
    static final List<String> MODEL_OPTIONS = modelOptions();

    private final Path file;
    private final Vae model;
    private final VaeConfig config;
    private final Features features;

    private WarmStart(Path file, Vae model, VaeConfig config, Features features) {
        this.file = file;
        this.model = model;
        this.config = config;
        this.features = features;
    }

    private static List<String> modelOptions() {
        List<String> names = new ArrayList<>(NetworkOptions.names());
        names.addAll(List.of("--features", "--categorical", "--numeric", "--ensemble"));
        return List.copyOf(names);
    }

    /** Refuses what cannot go with --from: --resume, and the options the model already has. */
    static void checkOptions(picocli.CommandLine.ParseResult given, boolean resume) {
        if (resume) {
            throw new SimdvaeException("--from starts a new run; --resume continues one: give one of them");
        }
        for (String option : MODEL_OPTIONS) {
            if (given.hasMatchedOption(option)) {
                throw new SimdvaeException(option + " comes from the model given with --from; drop it");
            }
        }
    }

    /** The model or checkpoint in {@code file}, told apart by its first bytes. */
    static WarmStart read(Path file) {
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 8) < 8) {
                throw new SimdvaeException("--from " + file + " is neither a simdvae model nor a checkpoint");
            }
        } catch (IOException e) {
            throw new SimdvaeException("cannot read --from " + file + ": " + Storage.describe(e));
        }
        if (Arrays.equals(head, "SIMDVAEC".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            Vae saved = Trainer.checkpointModel(file);
            return new WarmStart(file, null, saved.config(), saved.features());
        }
        Vae vae = Vae.load(file);
        return new WarmStart(file, vae, vae.config(), vae.features());
    }

    /** Points a fresh run's CSV settings at the model's columns: its names, in order, read as its kinds. */
    void settle(RunHistory h) {
        h.from = file.toString();
        if (features.names() == null) {
            return;
        }
        h.features = features.names();
        Schema columns = features.schema();
        List<String> categorical = new ArrayList<>();
        List<String> numeric = new ArrayList<>();
        for (int j = 0; j < h.features.size(); j++) {
            boolean level = columns != null && columns.kind(j) == Dataset.Kind.CATEGORICAL;
            (level ? categorical : numeric).add(h.features.get(j));
        }
        h.categorical = categorical;
        h.numeric = numeric;
        if (h.contamination == null && model != null && model.decision().kind() == Decision.Kind.CONTAMINATION) {
            h.contamination = model.decision().value();
        }
    }

    /** The run's configuration: the model's network and ensemble with the given run's settings and runtime. */
    VaeConfig config(VaeConfig run) {
        return run.with(config.model()).withEnsemble(config.training().ensemble());
    }

    /** The trainer of the new run. */
    Trainer trainer(VaeConfig run) {
        return model != null ? Trainer.warmStart(model, run) : Trainer.warmStart(file, run);
    }
}
