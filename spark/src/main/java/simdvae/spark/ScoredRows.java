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
 * task's cores: μ, log σ², the negative ELBO at z = μ, and the optional percentile, outlier and per-column nats.
 */
final class ScoredRows implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final InputColumns input;
    private final Vae vae;
    private final List<InternalRow> batch = new ArrayList<>(VaeModel.BATCH);
    private final float[][] x;
    private final VaeModel.Outputs optional;
    private final double threshold;
    private Embedding embedding;
    private int next;

    ScoredRows(Iterator<InternalRow> rows, InputColumns input, Vae vae, VaeModel.Outputs optional, double threshold) {
        this.rows = rows;
        this.input = input;
        this.optional = optional;
        this.threshold = threshold;
        TaskContext task = TaskContext.get();
        // the input has coded an unseen level as (other) already, under handleInvalid keep
        Vae v = vae.withUnseenLevels(UnseenLevels.OTHER);
        this.vae = task == null ? v : v.withThreads(Math.max(1, task.cpus()));
        this.x = new float[VaeModel.BATCH][vae.columnCount()];
        this.table = vae.features().schema() != null;
    }

    /** Whether the model is a table model (its batches coded by the input's levels). */
    private final boolean table;

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
        float[][] rowsIn = batch.size() == VaeModel.BATCH ? x : Arrays.copyOf(x, batch.size());
        embedding = vae.embed(table ? input.table(rowsIn) : Dataset.of(rowsIn),
                optional.perColumn());
        return true;
    }

    @Override
    public InternalRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int i = next++;
        double score = embedding.score()[i];
        List<Object> cells = new ArrayList<>(6);
        cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.mu()[i]));
        cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.logVar()[i]));
        cells.add(score);
        if (optional.percentile()) {
            cells.add(vae.reference().scores().percentile(score));
        }
        if (optional.outlier()) {
            cells.add(score > threshold);
        }
        if (optional.perColumn()) {
            cells.add(UnsafeArrayData.fromPrimitiveArray(embedding.perColumn()[i]));
        }
        InternalRow outputs = new GenericInternalRow(cells.toArray());
        return new JoinedRow(batch.get(i), outputs);
    }
}
