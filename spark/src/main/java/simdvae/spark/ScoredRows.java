package simdvae.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import simdvae.vae.Embedding;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;
import simdvae.vae.table.UnseenLevels;

/**
 * A partition's rows with {@link VaeModel}'s outputs appended, computed {@value VaeModel#BATCH} rows at a time on the
 * task's cores: μ, log σ², the negative ELBO at z = μ, and the optional p-value, percentile, outlier and per-column
 * nats ({@link OutputColumns}). Each row's outputs depend on that row alone (and, for a false-discovery rate, on a
 * cut found beforehand), so any split into partitions, batches or micro-batches gives the same values.
 */
final class ScoredRows implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final InputColumns input;
    private final Vae vae;
    private final List<InternalRow> batch = new ArrayList<>(VaeModel.BATCH);
    private final float[][] x;
    private final OutputColumns optional;
    private final Rule rule;
    private Embedding embedding;
    private int next;

    /**
     * When a row is an outlier: its score above a threshold (given, or a contamination's), or its p-value at most
     * the cut of a false-discovery rate (found over all the rows beforehand, {@code GlobalFdr}).
     *
     * @param byPValue whether the cut is on the p-value (else on the score)
     * @param cut      the threshold on the score, or the largest p-value that is a discovery
     */
    record Rule(boolean byPValue, double cut) implements java.io.Serializable {
        static Rule scoreAbove(double threshold) {
            return new Rule(false, threshold);
        }

        static Rule pValueAtMost(double cut) {
            return new Rule(true, cut);
        }

        /** As {@code Decision.outliers} decides one row. */
        boolean outlier(double score, double pValue) {
            return byPValue ? pValue <= cut : score > cut;
        }
    }

    ScoredRows(Iterator<InternalRow> rows, InputColumns input, Vae vae, OutputColumns optional, Rule rule) {
        this.rows = rows;
        this.input = input;
        this.optional = optional;
        this.rule = rule;
        this.vae = taskModel(vae);
        this.x = new float[VaeModel.BATCH][vae.columnCount()];
    }

    /** {@code vae} as a task runs it: on the task's cores, an unseen level as (other) (the input coded it so). */
    static Vae taskModel(Vae vae) {
        TaskContext task = TaskContext.get();
        // the input has coded an unseen level as (other) already, under handleInvalid keep
        Vae v = vae.withUnseenLevels(UnseenLevels.OTHER);
        return task == null ? v : v.withThreads(Math.max(1, task.cpus()));
    }

    /** The first {@code n} read rows as the model takes them: a table coded by the input's levels, or numbers. */
    static Dataset modelInput(InputColumns input, Vae vae, float[][] x, int n) {
        float[][] in = n == x.length ? x : Arrays.copyOf(x, n);
        return vae.features().schema() != null ? input.table(in) : Dataset.of(in);
    }

    @Override
    public boolean hasNext() {
        if (next < batch.size()) {
            return true;
        }
        batch.clear();
        next = 0;
        while (batch.size() < VaeModel.BATCH && rows.hasNext()) {
            InternalRow r = rows.next();
            if (input.read(r, x[batch.size()])) {
                batch.add(r.copy()); // the iterator may reuse its row object
            }
        }
        if (batch.isEmpty()) {
            return false;
        }
        embedding = vae.embed(modelInput(input, vae, x, batch.size()), optional.perColumn());
        return true;
    }

    @Override
    public InternalRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int i = next++;
        double score = embedding.score()[i];
        List<Object> cells = new ArrayList<>(7);
        cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.mu()[i]));
        cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.logVar()[i]));
        cells.add(score);
        double p = Double.NaN;
        if (optional.reference()) {
            p = vae.reference().scores().pValue(score);
            cells.add(p);
            cells.add(vae.reference().scores().percentile(score));
        }
        if (optional.outlier()) {
            cells.add(rule.outlier(score, p));
        }
        if (optional.perColumn()) {
            cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.perColumn()[i]));
        }
        InternalRow outputs = new GenericInternalRow(cells.toArray());
        return new JoinedRow(batch.get(i), outputs);
    }
}
