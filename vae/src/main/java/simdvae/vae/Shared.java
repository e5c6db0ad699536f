package simdvae.vae;

import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.internal.network.RowInput;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.table.Features;

/**
 * What every view of one model shares, since training made it: the fitted features (fixed for a table model and a
 * loaded one, fitted on its first training rows for a plain model made from its configuration alone) and the
 * reference scores its training computed (a view's own {@code calibrate} overrides them for that view). An
 * ensemble's member shares its features and has a reference of its own.
 */
final class Shared {
    /** The ensemble whose fitted features a member's shares, or null. */
    private final Shared ensemble;
    private volatile RowInput rows;
    private volatile boolean done;
    private volatile ScoreReference reference;

    Shared(Features features, boolean done, ScoreReference reference) {
        this.ensemble = null;
        this.rows = new RowInput(features);
        this.done = done;
        this.reference = reference;
    }

    /** A member's: the ensemble's fitted features (fitted when the ensemble's are), a reference of its own. */
    private Shared(Shared ensemble) {
        this.ensemble = ensemble;
    }

    /** What a member of the model of these features shares with it: the features, not the reference. */
    Shared member() {
        return new Shared(ensemble != null ? ensemble : this);
    }

    /** The reference that training (or the model file) gave the model, or null. */
    ScoreReference reference() {
        return reference;
    }

    /** Sets the reference at the end of training. */
    void reference(ScoreReference r) {
        reference = r;
    }

    /** The rows' reader under the current features. */
    RowInput rows() {
        return ensemble != null ? ensemble.rows() : rows;
    }

    /** Fits the scaling and takes the column names from the first training data; later calls change nothing. */
    synchronized Features fitTo(ModelConfig model, Dataset data) {
        if (ensemble != null) {
            return ensemble.fitTo(model, data);
        }
        if (!done) {
            Features f = Features.fitted(model, data, false);
            if (f.schema() != null) {
                throw new SimdvaeException("the training data has " + (categorical(data) ? "categorical columns"
                        : "missing cells") + ": make the model from it, Vae.create(config, data), so that it takes"
                        + " them");
            }
            rows = new RowInput(f);
            done = true;
        }
        return rows.features();
    }

    private static boolean categorical(Dataset data) {
        for (int j = 0; j < data.columns(); j++) {
            if (data.kind(j) == Dataset.Kind.CATEGORICAL) {
                return true;
            }
        }
        return false;
    }
}
