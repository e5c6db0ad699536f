package simdvae.vae.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training recipe a CSV table gets when its options are not given, chosen from the table's shape alone (its
 * training rows; the same shape always gets the same recipe). Chosen on the ADBench tables of {@code bench/tables/}
 * (README, "Detection on tables"): a held-out validation split with early stopping, and the hybrid score of the
 * negative ELBO and the distance to the nearest training rows, ranked better than the tutorial's ten epochs and the
 * ELBO alone; networks sized from the shape ranked no better than the tutorial's, which stays.
 *
 * <ul>
 *   <li>hidden, latent, batch: the tutorial's (512, 2, 50), whatever the table.
 *   <li>validation split {@value #VALIDATION} and early stopping after {@value #PATIENCE} epochs without a lower
 *       validation loss, from {@value #MIN_ROWS_TO_HOLD_OUT} training rows up; fewer rows keep every row for training
 *       (too few to hold out).
 *   <li>epochs: enough for {@value #STEPS} steps, from 10 to {@value #MAX_EPOCHS}: ceil(steps / batches an epoch).
 *       Early stopping usually ends a run sooner; the cap bounds a large table's run.
 *   <li>neighbours: {@value #NEIGHBOURS} with validation rows (the score then is the hybrid), else 0 (the ELBO
 *       alone: the hybrid calibrates on rows it did not keep).
 * </ul>
 *
 * @param hidden          hidden layer sizes
 * @param latent          latent size
 * @param batch           minibatch size
 * @param epochs          epochs at most
 * @param validationSplit the share of the training rows held out, or 0
 * @param patience        early stopping's patience, or 0
 * @param neighbours      neighbours the score averages, or 0 (the ELBO alone)
 * @param reasons         why, per choice (the names metrics.json uses)
 */
public record TableDefaults(List<Integer> hidden, int latent, int batch, int epochs, double validationSplit,
                            int patience, int neighbours, Map<String, String> reasons) {
    /** The validation share. */
    public static final double VALIDATION = 0.2;
    /** Early stopping's patience. */
    public static final int PATIENCE = 10;
    /** Training rows from which a validation split is held out. */
    public static final int MIN_ROWS_TO_HOLD_OUT = 50;
    /** Steps a run aims at. */
    public static final int STEPS = 20_000;
    /** Epochs at most. */
    public static final int MAX_EPOCHS = 200;
    /** Epochs at least. */
    public static final int MIN_EPOCHS = 10;
    /** Neighbours of the hybrid score. */
    public static final int NEIGHBOURS = 5;

    /**
     * The recipe of a table of {@code rows} training rows.
     *
     * @param rows the rows training learns from (after any test split, before the validation split)
     * @return the recipe
     */
    public static TableDefaults of(int rows) {
        ModelConfig tutorial = ModelConfig.defaults();
        int batch = TrainingConfig.defaults().batch();
        boolean holdOut = rows >= MIN_ROWS_TO_HOLD_OUT;
        double split = holdOut ? VALIDATION : 0;
        int fit = rows - (int) Math.round(split * rows);
        long batches = Math.max(1, (fit + batch - 1) / batch);
        int epochs = (int) Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, (STEPS + batches - 1) / batches));
        Map<String, String> why = new LinkedHashMap<>();
        why.put("hidden", "the tutorial's: networks sized from the table ranked no better on the ADBench tables");
        why.put("latent", "the tutorial's");
        why.put("batch", "the tutorial's");
        why.put("epochs", "enough for " + STEPS + " steps of " + batches + " batches an epoch, from " + MIN_EPOCHS
                + " to " + MAX_EPOCHS);
        why.put("validation_split", holdOut ? "held out for early stopping and the score's calibration"
                : "fewer than " + MIN_ROWS_TO_HOLD_OUT + " training rows: none held out");
        why.put("early_stopping", holdOut ? "stops " + PATIENCE + " epochs after the lowest validation loss"
                : "no validation rows");
        why.put("neighbours", holdOut ? "the score adds the distance to the " + NEIGHBOURS + " nearest training"
                + " rows, calibrated on the validation rows" : "no validation rows to calibrate on: the ELBO alone");
        return new TableDefaults(tutorial.hidden(), tutorial.latent(), batch, epochs, split,
                holdOut ? PATIENCE : 0, holdOut ? NEIGHBOURS : 0, Collections.unmodifiableMap(why));
    }
}
