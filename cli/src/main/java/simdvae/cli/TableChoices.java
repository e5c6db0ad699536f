package simdvae.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import simdvae.core.SimdvaeException;
import simdvae.vae.model.TableDefaults;
import simdvae.vae.model.TrainingConfig;

/**
 * What {@code train} chooses for a CSV table from its shape ({@link TableDefaults}) where an option was not given:
 * epochs, the validation split, early stopping and the score's neighbours. An option given always wins. Images, and
 * runs that go on training a model ({@code --from}), keep the options' own defaults.
 *
 * @param epochs     --epochs as given, or null
 * @param split      --validation-split as given, or null
 * @param patience   --early-stopping as given, or null
 * @param neighbours --neighbours as given, or null
 */
record TableChoices(Integer epochs, Double split, Integer patience, Integer neighbours) {
    /**
     * The run's training settings for a table of {@code rows} training rows, and what was chosen and why into
     * {@code chosen} (nothing when every option was given).
     *
     * @param training the options' settings
     * @param rows     the training rows (before the validation split)
     * @param chosen   receives each choice: its value and why
     * @return the settings to train with
     */
    TrainingConfig apply(TrainingConfig training, int rows, Map<String, Object> chosen) {
        TableDefaults d = TableDefaults.of(rows);
        TrainingConfig t = training;
        if (epochs == null) {
            t = t.withEpochs(d.epochs());
            chosen.put("epochs", choice(d.epochs(), d.reasons().get("epochs")));
        }
        double s = split != null ? split : d.validationSplit();
        if (split == null) {
            chosen.put("validation_split", choice(s, d.reasons().get("validation_split")));
        }
        int p;
        if (patience != null) {
            p = patience;
        } else if (s > 0 && split == null) {
            p = d.patience();
            chosen.put("early_stopping", choice(p, d.reasons().get("early_stopping")));
        } else {
            p = 0;
        }
        if (p > 0 && s == 0) {
            throw new SimdvaeException("--early-stopping needs validation rows: --validation-split 0 holds none out");
        }
        return t.withValidation(s, p);
    }

    /**
     * The neighbours the score averages: as given, else {@link TableDefaults#NEIGHBOURS} when the run has validation
     * rows and 0 without them.
     *
     * @param validationSplit the run's validation split
     * @param chosen          receives the choice and why, when it was not given
     * @return the neighbours, or 0
     */
    int neighbours(double validationSplit, Map<String, Object> chosen) {
        if (neighbours != null) {
            if (neighbours > 0 && validationSplit == 0) {
                throw new SimdvaeException("--neighbours needs validation rows to calibrate on (--validation-split)");
            }
            return neighbours;
        }
        int k = validationSplit > 0 ? TableDefaults.NEIGHBOURS : 0;
        chosen.put("neighbours", choice(k, k > 0 ? "the score adds the distance to the " + k + " nearest training"
                + " rows, calibrated on the validation rows" : "no validation rows to calibrate on: the ELBO alone"));
        return k;
    }

    private static Map<String, Object> choice(Object value, String why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        m.put("why", why);
        return m;
    }
}
