package simdvae.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import simdvae.vae.Trainer;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.RngStreams;
import simdvae.vae.table.Features;

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
     * A run of {@code config.training().epochs()} passes of shard 0 ({@code shard0Rows} rows, the largest shard) from
     * {@code params}, {@code syncEvery} steps a round.
     */
    LocalSgd(VaeConfig config, float[] params, int shard0Rows, int syncEvery) {
        this.syncEvery = syncEvery;
        int batch = config.training().batch();
        this.total = (shard0Rows + batch - 1L) / batch * config.training().epochs();
        this.params = params;
        this.m = new float[params.length];
        this.v = new float[params.length];
    }

    private int rounds() {
        return (int) ((total + syncEvery - 1) / syncEvery);
    }

    /** The steps of the next round. */
    private long nextSteps() {
        return Math.min(syncEvery, total - step);
    }

    /** What a round gives every shard. */
    private Trainer.State state() {
        return new Trainer.State(params, m, v, step);
    }

    private long step() {
        return step;
    }

    /** The averaged parameters (live, not copied). */
    float[] parameters() {
        return params;
    }

    /** A round run on the shards: the driver's side of Spark, which the rounds loop leaves out. */
    @FunctionalInterface
    interface Shards {
        /**
         * Round {@code round} of {@code rounds}: every shard's {@link #train} from {@code state}, {@code steps} steps.
         */
        List<Result> round(int round, int rounds, Trainer.State state, long steps);
    }

    /** Every round: run on the shards, averaged, and reported to {@code listeners}. */
    void run(Shards shards, List<VaeEstimator.RoundListener> listeners) {
        int rounds = rounds();
        for (int round = 1; round <= rounds; round++) {
            long began = System.nanoTime();
            long steps = nextSteps();
            List<Result> results = shards.round(round, rounds, state(), steps);
            average(results, steps);
            double loss = 0;
            long train = 0;
            long task = 0;
            for (Result r : results) {
                loss += r.loss();
                train = Math.max(train, r.trainNanos());
                task = Math.max(task, r.taskNanos());
            }
            VaeEstimator.Round report = new VaeEstimator.Round(round, rounds, step, loss / results.size(),
                    (System.nanoTime() - began) / 1e9, train / 1e9, task / 1e9, 12L * params.length + 8);
            for (VaeEstimator.RoundListener l : listeners) {
                l.onRound(report);
            }
        }
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
        VaeConfig shardConfig = config.withSeed(RngStreams.shardSeed(config.training().seed(), shard))
                .withEpochs(Integer.MAX_VALUE).withThreads(threads);
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
    private void average(List<Result> results, long steps) {
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
