package simdvae.vae.internal.network;

import java.util.Arrays;
import java.util.stream.IntStream;
import simdvae.core.CounterRng;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.DriftReference;
import simdvae.vae.decide.ScoreDistribution;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.decide.TypicalValues;
import simdvae.vae.model.RngStreams;
import simdvae.vae.table.Schema;

/**
 * The pass that makes a model's {@link ScoreReference} from rows: a seeded sample of them (all of them up to
 * {@value #MAX_ROWS}, fewer for a table of many columns, so that the pass costs a bounded forward pass and a bounded
 * memory whatever the data's size), their anomaly scores (the negative ELBO at z = μ, a function of the row alone),
 * their columns' values in the data's units and their per-column nats. A level the rows hold that training did not
 * counts as {@value Schema#OTHER}.
 */
public final class ReferencePass {
    /** Reference rows at most. */
    public static final int MAX_ROWS = 10_000;
    /** Cells (rows × columns) the per-column summaries hold at most, in each of values and nats. */
    private static final int MAX_CELLS = 1 << 22;
    /** Reference rows at least, when the data has them, however many columns. */
    private static final int MIN_ROWS = 2_000;

    private ReferencePass() {
    }

    /**
     * How many of {@code n} rows of {@code columns} columns a reference keeps.
     *
     * @param n       rows given
     * @param columns values a row
     * @return the sample's size
     */
    public static int sampleSize(int n, int columns) {
        return Math.min(n, Math.min(MAX_ROWS, Math.max(MIN_ROWS, MAX_CELLS / Math.max(1, columns))));
    }

    /**
     * The reference of {@code rows} under {@code model}, from a sample seeded by the model's seed: an ensemble's
     * members' mean scores and nats ({@link EnsembleEmbedding}).
     *
     * @param model  the model (an ensemble's: its seed picks the sample)
     * @param runner its members' inference, member 0 first
     * @param rows   the reference rows
     * @param source what they are, for reports
     * @return the reference, or null when no row has a finite score (a model that diverged)
     */
    public static ScoreReference reference(ModelView model, Inference.Runner[] runner, Dataset rows,
                                           String source) {
        Dataset sample = sample(rows, sampleSize(rows.size(), model.columnCount()), model.seed());
        Inference.Runner.Embedded e = EnsembleEmbedding.embed(runner, sample, true);
        int[] finite = IntStream.range(0, sample.size()).filter(i -> Double.isFinite(e.score()[i])).toArray();
        if (finite.length == 0) {
            return null;
        }
        if (finite.length < sample.size()) {
            // a row the model cannot score (it diverged there) says nothing of the others
            return reference(model, runner, sample.rows(finite), source);
        }
        int c = model.columnCount();
        int n = sample.size();
        float[][] values = new float[c][n];
        float[][] nats = new float[c][n];
        CellValues cells = new CellValues(model, rows.columns());
        float[] row = new float[c];
        for (int i = 0; i < n; i++) {
            cells.read(sample, i, row);
            for (int j = 0; j < c; j++) {
                values[j][i] = row[j];
                nats[j][i] = e.perColumn()[i][j];
            }
        }
        boolean[] categorical = new boolean[c];
        int[] levels = new int[c];
        for (int j = 0; j < c; j++) {
            categorical[j] = cells.categorical(j);
            levels[j] = cells.levels(j);
        }
        DriftReference drift = DriftReference.of(e.score(), values, categorical, levels, nats);
        ScoreDistribution scores = drift.scores();
        return new ScoreReference(source, scores, TypicalValues.of(values, categorical, levels), drift);
    }

    /** {@code size} of the rows, chosen by a permutation of (seed), in their order; all of them when they fit. */
    static Dataset sample(Dataset rows, int size, long seed) {
        if (size >= rows.size()) {
            return rows;
        }
        int[] order = new int[rows.size()];
        new CounterRng(seed).permutation(order, RngStreams.REFERENCE_SAMPLE);
        int[] chosen = Arrays.copyOf(order, size);
        Arrays.sort(chosen);
        return rows.rows(chosen);
    }
}
