package simdvae.vae.internal.network;

import java.util.Arrays;
import java.util.stream.IntStream;
import simdvae.core.CounterRng;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.DriftReference;
import simdvae.vae.decide.NeighbourTerm;
import simdvae.vae.decide.ScoreDistribution;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.decide.TypicalValues;
import simdvae.vae.model.RngStreams;
import simdvae.vae.table.Schema;

/**
 * The pass that makes a model's {@link ScoreReference} from rows: a seeded sample of them (all of them up to
 * {@value #MAX_ROWS}, fewer for a table of many columns, so that the pass costs a bounded forward pass and a bounded
 * memory whatever the data's size), their anomaly scores (the negative ELBO at z = μ, a function of the row alone),
 * their columns' values in the data's units and their per-column nats; for a hybrid score, its neighbour term
 * calibrated on them ({@link NeighbourTerm}). A level the rows hold that training did not
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
     * @param kept   the neighbour term whose kept rows (not its calibration) a hybrid score uses, or null for the
     *               negative ELBO alone; its centres and spreads are calibrated anew on these rows
     * @return the reference, or null when no row has a finite score (a model that diverged)
     */
    public static ScoreReference reference(ModelView model, Inference.Runner[] runner, Dataset rows,
                                           String source, NeighbourTerm kept) {
        Dataset sample = sample(rows, sampleSize(rows.size(), model.columnCount()), model.seed());
        Inference.Runner.Embedded e = EnsembleEmbedding.embed(runner, sample, true);
        NeighbourTerm neighbours = null;
        if (kept != null) {
            // the sample's two halves calibrate the term; then its scores are the hybrid's
            double[] d = NeighbourPass.distances(model, sample, kept);
            double[] elbo = e.score();
            double[] finiteElbo = IntStream.range(0, elbo.length).filter(i -> Double.isFinite(elbo[i]))
                    .mapToDouble(i -> elbo[i]).toArray();
            double[] finiteD = IntStream.range(0, elbo.length).filter(i -> Double.isFinite(elbo[i]))
                    .mapToDouble(i -> d[i]).toArray();
            if (finiteElbo.length == 0) {
                return null;
            }
            neighbours = NeighbourTerm.calibrated(kept.k(), kept.width(), kept.points(), finiteElbo, finiteD);
            for (int i = 0; i < elbo.length; i++) {
                elbo[i] = neighbours.combine(elbo[i], d[i]);
            }
        }
        int[] finite = IntStream.range(0, sample.size()).filter(i -> Double.isFinite(e.score()[i])).toArray();
        if (finite.length == 0) {
            return null;
        }
        if (finite.length < sample.size()) {
            // a row the model cannot score (it diverged there) says nothing of the others
            return reference(model, runner, sample.rows(finite), source, kept);
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
        return new ScoreReference(source, scores, TypicalValues.of(values, categorical, levels), drift, neighbours);
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
