package simdvae.vae;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * weights packed for inference, one packing per parameter buffer. An ensemble's member shares its features and its
 * buffer's packing with the ensemble, and has a reference of its own.
 */
final class Shared {
    /** The ensemble whose fitted features a member's shares, or null. */
    private final Shared ensemble;
    /** The member whose parameter buffer this model runs on (an ensemble runs on member 0's: encode, decode). */
    private final int member;
    /**
     * Each member's weights packed for inference, by member (the ensemble's only; a member's Shared reads its entry
     * there). One per buffer, not per Shared: a member model is made anew with each view of the ensemble, and the
     * trainer's step must make stale the packing that every view of that buffer reads.
     */
    private final Map<Integer, PackedWeights> packedWeights;
    private volatile RowInput rows;
    private volatile boolean done;
    private volatile ScoreReference reference;

    Shared(Features features, boolean done, ScoreReference reference) {
        this.ensemble = null;
        this.member = 0;
        this.packedWeights = new ConcurrentHashMap<>();
        this.rows = new RowInput(features);
        this.done = done;
        this.reference = reference;
    }

    /** A member's: the ensemble's fitted features (fitted when the ensemble's are), a reference of its own. */
    private Shared(Shared ensemble, int member) {
        this.ensemble = ensemble;
        this.member = member;
        this.packedWeights = null;
    }

    /**
     * What member {@code i} of the model of these features shares with it: the features and the packing of member
     * {@code i}'s buffer, not the reference. A member is a model of one: its member 0 is itself.
     */
    Shared member(int i) {
        return ensemble != null ? new Shared(ensemble, member + i) : new Shared(this, i);
    }

    /** This model's weights (its member's buffer) packed for inference, per kernel set; changed ones are told. */
    PackedWeights packedWeights() {
        Shared root = ensemble != null ? ensemble : this;
        return root.packedWeights.computeIfAbsent(member, m -> new PackedWeights());
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
