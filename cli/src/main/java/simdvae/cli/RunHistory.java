package simdvae.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simdvae.core.SimdvaeException;
import simdvae.vae.TrainingListener;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.Storage;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.model.TrainingConfig;

/**
 * A run's {@code progress.json}: the settings that pick its data and evaluation (what {@code --resume} needs beyond
 * the checkpoint) and a row per finished epoch. A fresh run takes the settings from its options, a resumed one from
 * this file; every stage after that reads them here.
 */
final class RunHistory {
    static final String FILE = "progress.json";

    String data;
    String labelColumn;
    List<String> features;
    String testData;
    double testSplit;
    /** CSV data: missing tokens, the refusal of missing cells, and columns forced to a kind. */
    List<String> missingValues;
    String missing;
    List<String> categorical;
    List<String> numeric;
    Double validationSplit;
    Integer earlyStopping;
    /** Neighbours the trained model's score averages (a hybrid score), or 0: the negative ELBO alone. */
    int neighbours;
    /** What train chose from a table's shape where no option was given: per choice its value and why, or null. */
    Map<String, Object> defaults;
    int iwSamples;
    long checkpointEvery;
    /** The model's default outlier decision, or null. */
    Double contamination;
    /** The model or checkpoint the run goes on training (train --from), or null. */
    String from;
    /** The run's model and training settings, to start it again when it stopped before its first checkpoint. */
    ModelConfig model;
    TrainingConfig training;
    List<Map<String, Object>> epochs = new ArrayList<>();

    static RunHistory read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            RunHistory h = new Gson().fromJson(Files.readString(file), RunHistory.class);
            if (h == null || h.data == null || h.epochs == null) {
                throw new SimdvaeException(file + " is incomplete");
            }
            return h;
        } catch (IOException | JsonParseException e) {
            throw new SimdvaeException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The kinds forced by --categorical and --numeric, by column name. */
    Map<String, Dataset.Kind> forcedKinds() {
        Map<String, Dataset.Kind> kinds = new LinkedHashMap<>();
        for (String c : categorical == null ? List.<String>of() : categorical) {
            kinds.put(c, Dataset.Kind.CATEGORICAL);
        }
        for (String c : numeric == null ? List.<String>of() : numeric) {
            if (kinds.put(c, Dataset.Kind.NUMERIC) != null) {
                throw new SimdvaeException("column '" + c + "' cannot be both --categorical and --numeric");
            }
        }
        return kinds;
    }

    /** Keeps the rows of the first {@code done} epochs (rows number epochs from 1), drops later ones. */
    void keepFirstEpochs(int done) {
        epochs.removeIf(row -> ((Number) row.get("epoch")).intValue() > done);
    }

    void add(TrainingListener.EpochResult r, double testLoss) {
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

    /** One column of the epoch rows ({@code train_loss}, say); epochs without it are left out. */
    List<Double> column(String name) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> row : epochs) {
            if (row.get(name) instanceof Number v) {
                values.add(v.doubleValue());
            }
        }
        return values;
    }

    void write(Path dir) {
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(this);
        Storage.writeAtomically(dir.resolve(FILE), json.getBytes(StandardCharsets.UTF_8));
    }
}
