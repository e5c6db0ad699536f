package simdvae.vae.internal.network;

import java.util.Arrays;
import simdvae.core.WorkerPool;
import simdvae.kernels.Kernels;
import simdvae.kernels.SquaredDistancesKernel;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.NeighbourTerm;
import simdvae.vae.model.Architecture;
import simdvae.vae.table.UnseenLevels;

/**
 * Rows as the encoder takes them, for the nearest-neighbour half of a hybrid score ({@link NeighbourTerm}): the
 * evenly spaced sample of training rows a model keeps, and each scored row's distance to them.
 */
public final class NeighbourPass {
    /**
     * Rows that take a block of kept rows in turn while it is in cache; also the least a thread's part holds (fewer
     * cost less on the caller's thread than a hand-off).
     */
    private static final int GROUP = 32;
    /** Kept rows a block: 128 of an 84-value table are 86 KB, at home in L2. */
    private static final int BLOCK = 128;
    /** Fewer rows than this take the kept rows as they are stored, one row at a time (the same bits). */
    private static final int FEW_ROWS = 64;

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
     * Each row's distance to the kept rows of {@code term} ({@link NeighbourTerm#distance}, the same bits): the squared
     * distances by the model's width's kernel, over the kept rows laid out column by column and taken a block at a time
     * for a group of rows, so that a block serves the group from cache (the kept rows of a wide table outgrow L2); rows
     * split over the model's threads. Each row's distance is its own, so neither the blocks nor the split change it.
     *
     * @param model the model (its unseen-levels rule reads the rows; its width and threads run the pass)
     * @param rows  the rows
     * @param term  the kept rows
     * @return one distance a row
     */
    public static double[] distances(ModelView model, Dataset rows, NeighbourTerm term) {
        if (rows.size() < FEW_ROWS) {
            // a stream's row, or a handful: laying the kept rows out again would cost more than it saves
            Reader reader = new Reader(model, rows.columns(), model.unseenLevels());
            double[] out = new double[rows.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = term.distance(reader.input(rows, i), 0);
            }
            return out;
        }
        int count = term.count();
        int width = term.width();
        // a stride of 8 more than a multiple of 8: a block's columns fall in different sets of the L1 cache
        int stride = (count + 7) / 8 * 8 + 8;
        double[] columns = new double[width * stride];
        float[] points = term.points();
        for (int p = 0; p < count; p++) {
            for (int j = 0; j < width; j++) {
                columns[j * stride + p] = points[p * width + j];
            }
        }
        SquaredDistancesKernel kernel = Kernels.of(model.runtime().width()).squaredDistances();
        double[] out = new double[rows.size()];
        WorkerPool.shared(model.runtime().effectiveThreads()).forEach(out.length, GROUP, (from, to) -> {
            Reader reader = new Reader(model, rows.columns(), model.unseenLevels());
            float[] group = new float[GROUP * width];
            double[][] nearest = new double[GROUP][term.k()];
            double[] squares = new double[BLOCK];
            for (int g = from; g < to; g += GROUP) {
                int n = Math.min(GROUP, to - g);
                for (int r = 0; r < n; r++) {
                    System.arraycopy(reader.input(rows, g + r), 0, group, r * width, width);
                    Arrays.fill(nearest[r], Double.POSITIVE_INFINITY);
                }
                for (int p = 0; p < count; p += BLOCK) {
                    int b = Math.min(BLOCK, count - p);
                    for (int r = 0; r < n; r++) {
                        kernel.squaredDistances(columns, p, b, stride, width, group, r * width, squares);
                        NeighbourTerm.keepSmallest(squares, b, nearest[r]);
                    }
                }
                for (int r = 0; r < n; r++) {
                    out[g + r] = term.distanceFromNearest(nearest[r]);
                }
            }
        });
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
