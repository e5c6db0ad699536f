package simdvae.vae.internal.network;

import simdvae.vae.data.Dataset;
import simdvae.vae.decide.NeighbourTerm;
import simdvae.vae.model.Architecture;
import simdvae.vae.table.UnseenLevels;

/**
 * Rows as the encoder takes them, for the nearest-neighbour half of a hybrid score ({@link NeighbourTerm}): the
 * evenly spaced sample of training rows a model keeps, and each scored row's distance to them.
 */
public final class NeighbourPass {
    private NeighbourPass() {
    }

    /**
     * The encoder inputs of an evenly spaced sample of {@code rows} (row {@code floor(i n / m)} for i = 0 .. m − 1,
     * m = {@link NeighbourTerm#keep}): a deterministic sample that follows the rows' order.
     *
     * @param model the model
     * @param rows  the rows it trained on
     * @return the kept rows' inputs, row-major
     */
    public static float[] points(ModelView model, Dataset rows) {
        int width = model.architecture().input();
        int n = rows.size();
        int m = NeighbourTerm.keep(n, width);
        float[] out = new float[m * width];
        Reader reader = new Reader(model, rows.columns(), UnseenLevels.OTHER);
        for (int i = 0; i < m; i++) {
            int row = (int) ((long) i * n / m);
            System.arraycopy(reader.input(rows, row), 0, out, i * width, width);
        }
        return out;
    }

    /**
     * Each row's distance to the kept rows of {@code term} ({@link NeighbourTerm#distance}).
     *
     * @param model the model (its unseen-levels rule reads the rows)
     * @param rows  the rows
     * @param term  the kept rows
     * @return one distance a row
     */
    public static double[] distances(ModelView model, Dataset rows, NeighbourTerm term) {
        Reader reader = new Reader(model, rows.columns(), model.unseenLevels());
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = term.distance(reader.input(rows, i), 0);
        }
        return out;
    }

    /**
     * The hybrid scores of {@code rows} from their negative ELBO terms at z = μ, in place.
     *
     * @param model the model
     * @param rows  the rows
     * @param elbo  their negative ELBO at z = μ; replaced by their hybrid scores
     * @param term  the neighbour term
     */
    public static void combine(ModelView model, Dataset rows, double[] elbo, NeighbourTerm term) {
        double[] d = distances(model, rows, term);
        for (int i = 0; i < elbo.length; i++) {
            elbo[i] = term.combine(elbo[i], d[i]);
        }
    }

    /** One row at a time into the encoder's input. */
    private static final class Reader {
        private final RowInput input;
        private final boolean unitRange;
        private final UnseenLevels unseen;
        private final float[] raw;
        private final float[] x;
        private final float[] t;

        Reader(ModelView model, int dataColumns, UnseenLevels unseen) {
            this.input = model.rows();
            this.unitRange = model.likelihood().needsUnitRange();
            this.unseen = unseen;
            Architecture a = model.architecture();
            this.raw = new float[dataColumns + Workspace.PAD];
            this.x = new float[a.input() + Workspace.PAD];
            this.t = new float[a.targets() + Workspace.PAD];
        }

        float[] input(Dataset rows, int i) {
            input.toInput(rows, i, raw, x, 0, t, 0, unitRange, unseen);
            return x;
        }
    }
}
