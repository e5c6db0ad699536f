package simdvae.vae.internal.training;

import simdvae.core.SimdvaeException;

/**
 * Early stopping and its record: stop after {@code patience} epochs without a lower validation loss (0: never), and
 * keep the parameters of the best epoch so far, which {@link #restore} puts back. A {@code Trainer} owns one; a
 * checkpoint stores a copy, the best parameters included.
 */
public final class EarlyStopping {
    private int patience;
    private int bestEpoch = -1;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int sinceBest;
    private boolean stopped;
    /** The best epoch's parameters (null while patience is 0). */
    private float[] best;

    /** No early stopping (until {@link #enable}). */
    public EarlyStopping() {
    }

    /**
     * A record as a checkpoint holds it.
     *
     * @param patience  epochs without improvement before stopping (0: off)
     * @param bestEpoch the best epoch so far (−1: none)
     * @param bestLoss  its validation loss
     * @param sinceBest epochs since it
     * @param stopped   whether training has stopped
     * @param best      the best epoch's parameters, or null
     * @return the record
     */
    public static EarlyStopping of(int patience, int bestEpoch, double bestLoss, int sinceBest, boolean stopped,
                                   float[] best) {
        EarlyStopping e = new EarlyStopping();
        e.patience = patience;
        e.bestEpoch = bestEpoch;
        e.bestLoss = bestLoss;
        e.sinceBest = sinceBest;
        e.stopped = stopped;
        e.best = best;
        return e;
    }

    /**
     * Epochs since the best one.
     *
     * @return the count
     */
    public int sinceBest() {
        return sinceBest;
    }

    /** Turns it on with {@code patience} epochs (keeping the record a resumed run had). */
    public void enable(int patience, int parameters) {
        if (patience < 1) {
            throw new SimdvaeException("early stopping's patience must be at least 1 epoch, got " + patience);
        }
        this.patience = patience;
        if (best == null) {
            best = new float[parameters];
        }
    }

    public boolean enabled() {
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
    public void watch(int epoch, double loss, float[] params) {
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
    public void restore(float[] params) {
        if (best != null && bestEpoch >= 0) {
            System.arraycopy(best, 0, params, 0, params.length);
        }
    }

    /** The best parameters, or null: what a checkpoint stores after Adam's moments. */
    public float[] best() {
        return best;
    }




}
