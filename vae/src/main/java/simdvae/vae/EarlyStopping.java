package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Early stopping and its record: stop after {@code patience} epochs without a lower validation loss (0: never), and
 * keep the parameters of the best epoch so far, which {@link #restore} puts back. A {@link Trainer} owns one; a
 * {@link Checkpoint} stores a copy, the best parameters included.
 */
public final class EarlyStopping {
    private int patience;
    private int bestEpoch = -1;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int sinceBest;
    private boolean stopped;
    /** The best epoch's parameters (null while patience is 0). */
    private float[] best;
    /** Read from a checkpoint: its best parameters follow Adam's moments there. */
    private boolean bestFollows;

    EarlyStopping() {
    }

    /** Turns it on with {@code patience} epochs (keeping the record a resumed run had). */
    void enable(int patience, int parameters) {
        if (patience < 1) {
            throw new SimdvaeException("early stopping's patience must be at least 1 epoch, got " + patience);
        }
        this.patience = patience;
        if (best == null) {
            best = new float[parameters];
        }
    }

    boolean enabled() {
        return patience > 0;
    }

    /**
     * Epochs without a lower validation loss before stopping; 0: never.
     *
     * @return the patience
     */
    public int patience() {
        return patience;
    }

    /**
     * The 0-based epoch of the lowest validation loss so far, or -1.
     *
     * @return the epoch, or -1
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * The lowest validation loss so far (+∞ before any).
     *
     * @return the loss
     */
    public double bestLoss() {
        return bestLoss;
    }

    /**
     * Whether it has stopped training.
     *
     * @return true once patience ran out
     */
    public boolean stopped() {
        return stopped;
    }

    /** After epoch {@code epoch} with validation loss {@code loss}: a new best keeps {@code params}. */
    void watch(int epoch, double loss, float[] params) {
        if (loss < bestLoss) {
            System.arraycopy(params, 0, best, 0, params.length);
            bestEpoch = epoch;
            bestLoss = loss;
            sinceBest = 0;
        } else {
            sinceBest++;
            stopped = sinceBest >= patience;
        }
    }

    /** Puts the best epoch's parameters into {@code params}, when there is one. */
    void restore(float[] params) {
        if (best != null && bestEpoch >= 0) {
            System.arraycopy(best, 0, params, 0, params.length);
        }
    }

    /** The best parameters, or null: what a checkpoint stores after Adam's moments. */
    float[] best() {
        return best;
    }

    /** int32 patience, int32 best epoch, float64 best loss, int32 epochs since it, byte stopped, byte with-best. */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(patience);
        out.writeInt(bestEpoch);
        out.writeDouble(bestLoss);
        out.writeInt(sinceBest);
        out.writeBoolean(stopped);
        out.writeBoolean(best != null);
    }

    /** Reads what {@link #write} wrote; the best parameters, when flagged, come later ({@link #readBest}). */
    static EarlyStopping read(ByteBuffer in) {
        EarlyStopping e = new EarlyStopping();
        e.patience = in.getInt();
        e.bestEpoch = in.getInt();
        e.bestLoss = in.getDouble();
        e.sinceBest = in.getInt();
        e.stopped = in.get() != 0;
        e.bestFollows = in.get() != 0;
        return e;
    }

    /** Whether {@link #read} saw best parameters to come. */
    boolean hasBest() {
        return bestFollows;
    }

    void readBest(java.nio.FloatBuffer in, int parameters) {
        best = new float[parameters];
        in.get(best);
    }
}
