package simdvae.vae.internal.training;

import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;

/**
 * Where a training run stands: Adam steps taken (and dropped), the epoch in progress and the next batch in it, the
 * epoch's loss so far, and the shape of the data it trains on. A {@code Trainer} moves it step by step; a
 * checkpoint stores a copy, so a resumed run continues from exactly here.
 */
public final class Position {
    private long step;
    private long skipped;
    private int epoch;
    private int batchInEpoch;
    private double lossSum;
    private long counted;
    private int rows = -1;
    private int columns = -1;

    /** The start of a run: nothing done yet. */
    public Position() {
    }

    /**
     * A position as a checkpoint holds it.
     *
     * @param step         Adam steps taken
     * @param skipped      steps dropped (non-finite loss)
     * @param epoch        the epoch in progress
     * @param batchInEpoch the next batch in it
     * @param lossSum      the epoch's loss so far, summed over rows
     * @param counted      rows counted in it
     * @param rows         rows of the data trained on (−1: none yet)
     * @param columns      values a row of it (−1: none yet)
     * @return the position
     */
    public static Position of(long step, long skipped, int epoch, int batchInEpoch, double lossSum, long counted,
                              int rows, int columns) {
        Position p = new Position();
        p.step = step;
        p.skipped = skipped;
        p.epoch = epoch;
        p.batchInEpoch = batchInEpoch;
        p.lossSum = lossSum;
        p.counted = counted;
        p.rows = rows;
        p.columns = columns;
        return p;
    }

    /**
     * The epoch's loss so far, summed over its rows.
     *
     * @return the sum
     */
    public double lossSum() {
        return lossSum;
    }

    /**
     * Rows counted in the epoch's loss so far.
     *
     * @return the count
     */
    public long counted() {
        return counted;
    }

    /**
     * Values a row of the data trained on (−1: none yet).
     *
     * @return the count
     */
    public int columns() {
        return columns;
    }

    /**
     * The start of a new run that continues a model's Adam state: epoch 0, batch 0, with {@code step} steps
     * already taken (Adam's bias correction goes on from them).
     */
    public static Position startingAt(long step) {
        Position p = new Position();
        p.step = step;
        return p;
    }

    /**
     * Where {@code step} steps of whole epochs of {@code batchesPerEpoch} batches end: how data-parallel training
     * places a trainer that continues from a step count.
     */
    public static Position atStep(long step, long batchesPerEpoch) {
        Position p = new Position();
        p.step = step;
        p.epoch = (int) (step / batchesPerEpoch);
        p.batchInEpoch = (int) (step % batchesPerEpoch);
        return p;
    }

    /**
     * Adam steps taken (a dropped step counts: it has its own ε).
     *
     * @return the step count
     */
    public long step() {
        return step;
    }

    /**
     * Steps dropped for a non-finite loss.
     *
     * @return the count
     */
    public long skipped() {
        return skipped;
    }

    /**
     * The epoch in progress, 0-based.
     *
     * @return the epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The next batch of the epoch in progress.
     *
     * @return the batch index
     */
    public int batchInEpoch() {
        return batchInEpoch;
    }

    /**
     * Rows of the training data (-1 before any).
     *
     * @return the row count, or -1
     */
    public int rows() {
        return rows;
    }

    /** A step taken: its batch of {@code b} rows had mean loss {@code loss} (NaN: not counted). */
    public void stepped(double loss, int b) {
        step++;
        if (!Double.isNaN(loss)) {
            lossSum += loss * b;
            counted += b;
        }
    }

    /** A step dropped (non-finite loss): it counts as a step, its loss does not. */
    public void dropped() {
        step++;
        skipped++;
    }

    public void batchDone(int next) {
        batchInEpoch = next;
    }

    /** The mean loss per row of the epoch's steps so far. */
    public double epochLoss() {
        return lossSum / Math.max(1, counted);
    }

    public void nextEpoch() {
        epoch++;
        batchInEpoch = 0;
        lossSum = 0;
        counted = 0;
    }

    /**
     * Refuses data of another shape than the run's (a resumed run must see the same data), then records its shape.
     */
    public void trainOn(Dataset data) {
        if (rows >= 0 && (data.size() != rows || data.columns() != columns)) {
            throw new SimdvaeException("this run was trained on " + rows + " rows of " + columns + " values; the"
                    + " data given now has " + data.size() + " rows of " + data.columns() + ": resume with the same"
                    + " data");
        }
        rows = data.size();
        columns = data.columns();
    }


}
