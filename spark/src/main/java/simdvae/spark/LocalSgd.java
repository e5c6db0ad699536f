package simdvae.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import simdvae.vae.Dataset;
import simdvae.vae.Features;
import simdvae.vae.RngStreams;
import simdvae.vae.Trainer;
import simdvae.vae.VaeConfig;

/**
 * Local SGD with parameter averaging in a fixed order: the training rounds of {@link VaeEstimator} as plain
 * functions, with no Spark in them. The driver holds the averaged state; a round gives every shard that state and
 * {@code steps} steps to take ({@link #train}, a pure function of its arguments, so a retried task returns the same
 * bits), and {@link #average} combines their results in shard order, in double.
 */
final class LocalSgd {
    private final int syncEvery;
    private final long total;
    private final float[] params;
    private final float[] m;
    private final float[] v;
    private long step;

    /**
     * A run of {@code config.epochs()} passes of shard 0 ({@code shard0Rows} rows, the largest shard) from
     * {@code params}, {@code syncEvery} steps a round.
     */
    LocalSgd(VaeConfig config, float[] params, int shard0Rows, int syncEvery) {
        this.syncEvery = syncEvery;
        this.total = (shard0Rows + config.batch() - 1L) / config.batch() * config.epochs();
        this.params = params;
        this.m = new float[params.length];
        this.v = new float[params.length];
    }

    int rounds() {
        return (int) ((total + syncEvery - 1) / syncEvery);
    }

    /** The steps of the next round. */
    long nextSteps() {
        return Math.min(syncEvery, total - step);
    }

    /** What a round gives every shard. */
    Trainer.State state() {
        return new Trainer.State(params, m, v, step);
    }

    long step() {
        return step;
    }

    /** The averaged parameters (live, not copied). */
    float[] parameters() {
        return params;
    }

    /**
     * What a shard's task returns.
     *
     * @param shard      the shard
     * @param state      its state after the round
     * @param loss       the mean loss of its steps
     * @param taskNanos  the task's time
     * @param trainNanos the time of its training steps
     */
    record Result(int shard, Trainer.State state, double loss, long taskNanos, long trainNanos)
            implements Serializable {
    }

    /**
     * Shard {@code shard}'s part of a round: {@code steps} {@link Trainer} steps on its rows from {@code state}, with
     * the shard's own seed ({@link RngStreams#shardSeed}). {@code checked}: its rows were checked by an earlier round.
     */
    static Result train(int shard, Dataset rows, boolean checked, VaeConfig config, Features features,
                        Trainer.State state, long steps, int threads) {
        long began = System.nanoTime();
        // The driver counts the steps: a shard's own epoch count never ends its part early.
        VaeConfig shardConfig = config.toBuilder().seed(RngStreams.shardSeed(config.seed(), shard))
                .epochs(Integer.MAX_VALUE).threads(threads).build();
        try (Trainer t = Trainer.continuing(shardConfig, features, state, rows.size())) {
            if (checked) {
                t.assumeChecked(rows);
            }
            long trainStart = System.nanoTime();
            double loss = t.trainSteps(rows, steps);
            long trained = System.nanoTime() - trainStart;
            return new Result(shard, t.state(), loss, System.nanoTime() - began, trained);
        }
    }

    /**
     * The mean of the shards' parameters and moments, summed in double in shard order, then divided (so one shard's
     * values come back unchanged); the round's steps are taken.
     */
    void average(List<Result> results, long steps) {
        Result[] inOrder = results.toArray(new Result[0]);
        Arrays.sort(inOrder, (a, b) -> Integer.compare(a.shard(), b.shard()));
        float[][] p = new float[inOrder.length][];
        float[][] ms = new float[inOrder.length][];
        float[][] vs = new float[inOrder.length][];
        for (int i = 0; i < inOrder.length; i++) {
            p[i] = inOrder[i].state().params();
            ms[i] = inOrder[i].state().m();
            vs[i] = inOrder[i].state().v();
        }
        mean(p, params);
        mean(ms, m);
        mean(vs, v);
        step += steps;
    }

    private static void mean(float[][] parts, float[] out) {
        for (int i = 0; i < out.length; i++) {
            double sum = 0;
            for (float[] part : parts) {
                sum += part[i];
            }
            out[i] = (float) (sum / parts.length);
        }
    }
}
