package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a training run stands: Adam steps taken (and dropped), the epoch in progress and the next batch in it, the
 * epoch's loss so far, and the shape of the data it trains on. A {@link Trainer} moves it step by step; a
 * {@link Checkpoint} stores a copy, so a resumed run continues from exactly here.
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

    Position() {
    }

    /**
     * The start of a new run that continues a model's Adam state: epoch 0, batch 0, with {@code step} steps
     * already taken (Adam's bias correction goes on from them).
     */
    static Position startingAt(long step) {
        Position p = new Position();
        p.step = step;
        return p;
    }

    /**
     * Where {@code step} steps of whole epochs of {@code batchesPerEpoch} batches end: how data-parallel training
     * places a trainer that continues from a step count.
     */
    static Position atStep(long step, long batchesPerEpoch) {
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
    void stepped(double loss, int b) {
        step++;
        if (!Double.isNaN(loss)) {
            lossSum += loss * b;
            counted += b;
        }
    }

    /** A step dropped (non-finite loss): it counts as a step, its loss does not. */
    void dropped() {
        step++;
        skipped++;
    }

    void batchDone(int next) {
        batchInEpoch = next;
    }

    /** The mean loss per row of the epoch's steps so far. */
    double epochLoss() {
        return lossSum / Math.max(1, counted);
    }

    void nextEpoch() {
        epoch++;
        batchInEpoch = 0;
        lossSum = 0;
        counted = 0;
    }

    /**
     * Refuses data of another shape than the run's (a resumed run must see the same data), then records its shape.
     */
    void trainOn(Dataset data) {
        if (rows >= 0 && (data.size() != rows || data.columns() != columns)) {
            throw new SimdvaeException("this run was trained on " + rows + " rows of " + columns + " values; the"
                    + " data given now has " + data.size() + " rows of " + data.columns() + ": resume with the same"
                    + " data");
        }
        rows = data.size();
        columns = data.columns();
    }

    /** Checkpoints store it alike in every version: int64 step, int64 skipped, int32 epoch, int32 batch, float64
     * loss sum, int64 rows counted, int32 rows, int32 columns. */
    void write(DataOutputStream out) throws IOException {
        out.writeLong(step);
        out.writeLong(skipped);
        out.writeInt(epoch);
        out.writeInt(batchInEpoch);
        out.writeDouble(lossSum);
        out.writeLong(counted);
        out.writeInt(rows);
        out.writeInt(columns);
    }

    static Position read(ByteBuffer in) {
        Position p = new Position();
        p.step = in.getLong();
        p.skipped = in.getLong();
        p.epoch = in.getInt();
        p.batchInEpoch = in.getInt();
        p.lossSum = in.getDouble();
        p.counted = in.getLong();
        p.rows = in.getInt();
        p.columns = in.getInt();
        return p;
    }
}
