package simdvae.vae.internal.network;

import java.util.stream.IntStream;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.DriftCounts;
import simdvae.vae.decide.DriftReference;
import simdvae.vae.decide.DriftReport;
import simdvae.vae.decide.NeighbourTerm;

/**
 * The pass that tests a batch of rows for drift against a model's reference: each row's anomaly score, its columns'
 * values in the data's units and its per-column nats, counted into the reference's slots ({@link DriftCounts}),
 * {@value #CHUNK} rows at a time so that any batch fits in memory. The counts are integers added in any order, so
 * the report is the same whatever the chunks, threads or Spark partitions.
 */
public final class DriftPass {
    /** Rows a pass holds at once. */
    static final int CHUNK = 4096;

    private DriftPass() {
    }

    /**
     * The counts of {@code batch} against {@code reference}.
     *
     * @param model     the model
     * @param runner    its members' inference, member 0 first (an ensemble's mean scores and nats)
     * @param reference the reference's drift summaries
     * @param neighbours the reference's neighbour term (a hybrid score), or null
     * @param batch     the rows
     * @return the counts
     */
    public static DriftCounts counts(ModelView model, Inference.Runner[] runner, DriftReference reference,
                                     NeighbourTerm neighbours, Dataset batch) {
        DriftCounts counts = DriftCounts.of(reference);
        int c = model.columnCount();
        CellValues cells = new CellValues(model, batch.columns());
        float[] row = new float[c];
        for (int from = 0; from < batch.size(); from += CHUNK) {
            int to = Math.min(batch.size(), from + CHUNK);
            Dataset chunk = from == 0 && to == batch.size() ? batch
                    : batch.rows(IntStream.range(from, to).toArray());
            Inference.Runner.Embedded e = EnsembleEmbedding.embed(runner, chunk, true);
            if (neighbours != null) {
                NeighbourPass.combine(model, chunk, e.score(), neighbours);
            }
            for (int i = 0; i < chunk.size(); i++) {
                cells.read(chunk, i, row);
                counts.add(e.score()[i], row, e.perColumn()[i]);
            }
        }
        return counts;
    }

    /**
     * The drift report of {@code batch}.
     *
     * @param model     the model
     * @param runner    its members' inference, member 0 first (an ensemble's mean scores and nats)
     * @param reference the reference's drift summaries
     * @param neighbours the reference's neighbour term (a hybrid score), or null
     * @param batch     the rows
     * @return the report
     */
    public static DriftReport report(ModelView model, Inference.Runner[] runner, DriftReference reference,
                                     NeighbourTerm neighbours, Dataset batch) {
        return DriftReport.of(counts(model, runner, reference, neighbours, batch));
    }
}
