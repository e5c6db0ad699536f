package simdvae.vae;

import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.internal.network.PackedWeights;
import simdvae.vae.internal.network.RowInput;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.table.Features;

/**
 * What every view of one model shares, since training made it: the fitted features (fixed for a table model and a
 * loaded one, fitted on its first training rows for a plain model made from its configuration alone), the
 * reference scores its training computed (a view's own {@code calibrate} overrides them for that view), and the
 * weights packed for inference (one model, one parameter buffer: a {@code Shared} is made with each buffer).
 */
final class Shared {
    private final PackedWeights packedWeights = new PackedWeights();
    private volatile RowInput rows;
    private volatile boolean done;
    private volatile ScoreReference reference;

    Shared(Features features, boolean done, ScoreReference reference) {
        this.rows = new RowInput(features);
        this.done = done;
        this.reference = reference;
    }

    /** The model's weights packed for inference, per kernel set; told by the trainer when they change. */
    PackedWeights packedWeights() {
        return packedWeights;
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
        return rows;
    }

    /** Fits the scaling and takes the column names from the first training data; later calls change nothing. */
    synchronized Features fitTo(ModelConfig model, Dataset data) {
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
