package simdvae.kernels;

import java.util.Objects;
import simdvae.core.WorkerPool;

/**
 * Multithreaded entry points: each call splits its <em>output elements</em> (rows or column blocks of C, element
 * ranges, loss rows, columns) over a {@link WorkerPool} and runs the kernels of one width on the pieces. Nothing is
 * split along a reduction, so results are bit-identical for every thread count. The calls themselves allocate
 * nothing: each kind of call reuses one task object, which is why the methods are synchronized (the vector kernels
 * allocate nothing once warm; the scalar references, plain by design, may allocate a little scratch a call).
 *
 * <p>A call is split only as far as its work pays for the split, as BLAS libraries choose a product's threads by
 * its size: each thread's share holds at least {@link #WORK_PER_THREAD} units of work (about a floating-point
 * operation each), so a small model's step runs its small products on one thread instead of paying a wake-up and
 * a join per call. The split never changes results (bounds fall between output elements), only who computes them.
 */
public final class ParallelKernels {
    /**
     * The least work worth another thread by default: about 2<sup>19</sup> floating-point operations, several
     * microseconds of a core, against the microsecond or two a hand-off and join cost when the pool's threads are
     * spinning. {@code -Dsimdvae.workPerThread=N} sets another (1 splits every call as far as the threads go, which
     * the tests use so that every split is exercised on small shapes).
     */
    public static final long WORK_PER_THREAD = Long.getLong("simdvae.workPerThread", 1L << 19);
    private static final int ELEMENT_GRAIN = 1024;
    // Estimated work per element (in multiply-adds' worth): ReLU's backward pass moves memory more than it computes;
    // sigmoid and the losses evaluate an exp; Adam reads and writes four arrays and takes a square root.
    private static final int RELU_WORK = 4;
    private static final int EXP_WORK = 24;
    private static final int ADAM_WORK = 24;
    // Row blocks in multiples of the GEMM's tile height, column blocks in pairs of vectors (its tile width).

    private final Kernels kernels;
    private final WorkerPool pool;
    private final GemmTask gemmTask = new GemmTask();
    private final MatrixProduct product = new MatrixProduct();
    private final ElementTask reluBackwardTask = new ReluBackwardTask();
    private final ElementTask sigmoidTask = new SigmoidTask();
    private final LossTask lossTask = new LossTask();
    private final ColumnSumsTask columnSumsTask = new ColumnSumsTask();
    private final AdamTask adamTask = new AdamTask();

    /**
     * The kernels of one width on a pool's threads.
     *
     * @param kernels the single-threaded kernels
     * @param pool    the threads (owned by the caller, who closes it)
     */
    public ParallelKernels(Kernels kernels, WorkerPool pool) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The single-threaded kernels this runs.
     *
     * @return them
     */
    public Kernels kernels() {
        return kernels;
    }

    /**
     * A product holder this instance reuses, for callers that describe one product at a time on it (a layer's
     * passes): no allocation per call. Like every call here, its use belongs to one thread at a time.
     *
     * @return the holder
     */
    public MatrixProduct product() {
        return product;
    }

    /**
     * {@link GemmKernel#gemm}, split over row blocks or column blocks of C, whichever has more tiles.
     *
     * @param p the product (checked here, once)
     */
    public synchronized void gemm(MatrixProduct p) {
        p.check();
        GemmTask t = gemmTask;
        GemmTile tile = kernels.gemmTile();
        int nr = Math.max(2, tile.vectors() * tile.lanes());
        int mr = tile.rows();
        t.byColumns = (p.n + nr - 1) / nr >= (p.m + mr - 1) / mr;
        t.p = p;
        try {
            long perUnit = 2L * p.k * (t.byColumns ? p.m : p.n);
            pool.forEach(t.byColumns ? p.n : p.m, grain(t.byColumns ? nr : mr, perUnit), t);
        } finally {
            t.p = null;
        }
    }

    /**
     * {@link ReluKernel#backward}, split over elements.
     *
     * @param y     the forward outputs
     * @param yOff  the first of them
     * @param dy    the gradient with respect to them
     * @param dyOff its first element
     * @param dx    the gradient with respect to the inputs (output)
     * @param dxOff its first element
     * @param n     the number of elements
     */
    public synchronized void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        elementwise(reluBackwardTask, RELU_WORK, y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * {@link ExpKernel#sigmoid}, split over elements.
     *
     * @param x    the inputs
     * @param xOff the first input
     * @param y    the outputs
     * @param yOff the first output
     * @param n    the number of elements
     */
    public synchronized void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        elementwise(sigmoidTask, EXP_WORK, x, xOff, null, 0, y, yOff, n);
    }

    /**
     * {@link LossKernel#lossAndGradient} of a whole minibatch, split over its rows. Any loss family runs here: pass
     * {@code kernels().bernoulliLoss()}, {@code kernels().gaussianLoss()} or a kernel of your own.
     *
     * @param kernel the loss family's kernel
     * @param batch  the minibatch's arguments, checked once here
     */
    public synchronized void loss(LossKernel kernel, LossBatch batch) {
        batch.check(kernel, 0, batch.batch());
        LossTask t = lossTask;
        t.kernel = kernel;
        t.batch = batch;
        try {
            pool.forEach(batch.batch(), grain(1, (long) EXP_WORK * kernel.outputColumns(batch)), t);
        } finally {
            t.kernel = null;
            t.batch = null;
        }
    }

    /**
     * {@link ColumnSumsKernel#columnSums}, split over columns.
     *
     * @param m          rows of x
     * @param n          columns of x
     * @param x          the matrix, row-major
     * @param xOff       where its element (0, 0) is
     * @param ldx        its row stride
     * @param out        the n sums
     * @param outOff     where the first goes
     * @param accumulate add to out's values instead of overwriting them
     */
    public synchronized void columnSums(int m, int n, float[] x, int xOff, int ldx, float[] out, int outOff,
                                        boolean accumulate) {
        ColumnSumsKernel.check(m, n, x, xOff, ldx, out, outOff);
        ColumnSumsTask t = columnSumsTask;
        t.m = m;
        t.x = x;
        t.xOff = xOff;
        t.ldx = ldx;
        t.out = out;
        t.outOff = outOff;
        t.accumulate = accumulate;
        try {
            pool.forEach(n, grain(Math.max(16, kernels.lanes()), m), t);
        } finally {
            t.x = null;
            t.out = null;
        }
    }

    /**
     * {@link AdamKernel#update}, split over parameters.
     *
     * @param n       the number of elements
     * @param p       the parameters
     * @param g       their gradients
     * @param m       the first moments
     * @param v       the second moments
     * @param off     the first element
     * @param alpha   the bias-corrected step size ({@link AdamKernel#alpha})
     * @param beta1   the first moment's decay
     * @param beta2   the second moment's decay
     * @param epsilon added to √v
     */
    public synchronized void adam(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha,
                                  float beta1, float beta2, float epsilon) {
        AdamKernel.check(n, p, g, m, v, off);
        AdamTask t = adamTask;
        t.p = p;
        t.g = g;
        t.m = m;
        t.v = v;
        t.off = off;
        t.alpha = alpha;
        t.beta1 = beta1;
        t.beta2 = beta2;
        t.epsilon = epsilon;
        try {
            pool.forEach(n, grain(ELEMENT_GRAIN, ADAM_WORK), t);
        } finally {
            t.p = t.g = t.m = t.v = null;
        }
    }

    private void elementwise(ElementTask t, int work, float[] x, int xOff, float[] y, int yOff, float[] out,
                             int outOff, int n) {
        t.x = x;
        t.xOff = xOff;
        t.y = y;
        t.yOff = yOff;
        t.out = out;
        t.outOff = outOff;
        try {
            pool.forEach(n, grain(ELEMENT_GRAIN, work), t);
        } finally {
            t.x = t.y = t.out = null;
        }
    }

    /**
     * The split's grain: a multiple of {@code unit} (a register tile, a vector) large enough that a chunk holds at
     * least {@link #WORK_PER_THREAD} when each output element costs {@code perElement}.
     */
    static int grain(int unit, long perElement) {
        return grain(unit, perElement, WORK_PER_THREAD);
    }

    /** {@link #grain(int, long)} for a given least work a thread. */
    static int grain(int unit, long perElement, long workPerThread) {
        long work = Math.max(1, workPerThread);
        long elements = (work + perElement - 1) / Math.max(1, perElement);
        long units = (elements + unit - 1) / unit;
        return (int) Math.min(Integer.MAX_VALUE / 2, units * unit);
    }

    private final class GemmTask implements WorkerPool.RangeTask {
        boolean byColumns;
        MatrixProduct p;

        @Override
        public void run(int start, int end) {
            MatrixProduct q = p;
            if (q.packed != null) {
                GemmKernel g = kernels.gemm();
                if (byColumns) {
                    g.gemm(q.m, end - start, q.k, q.a, q.aOff, q.lda, q.packed, q.packedCol + start, q.c,
                            q.cOff + start, q.ldc, q.accumulate, q.bias, q.bias == null ? 0 : q.biasOff + start,
                            q.relu);
                } else {
                    g.gemm(end - start, q.n, q.k, q.a, q.aOff + start * q.lda, q.lda, q.packed, q.packedCol, q.c,
                            q.cOff + start * q.ldc, q.ldc, q.accumulate, q.bias, q.biasOff, q.relu);
                }
            } else if (byColumns) {
                int bStart = q.layout == Layout.NT ? q.bOff + start * q.ldb : q.bOff + start;
                kernels.gemm().gemm(q.layout, q.m, end - start, q.k, q.a, q.aOff, q.lda, q.b, bStart, q.ldb, q.c,
                        q.cOff + start, q.ldc, q.accumulate, q.bias, q.bias == null ? 0 : q.biasOff + start, q.relu);
            } else {
                int aStart = q.layout == Layout.TN ? q.aOff + start : q.aOff + start * q.lda;
                kernels.gemm().gemm(q.layout, end - start, q.n, q.k, q.a, aStart, q.lda, q.b, q.bOff, q.ldb, q.c,
                        q.cOff + start * q.ldc, q.ldc, q.accumulate, q.bias, q.biasOff, q.relu);
            }
        }
    }

    /** An elementwise kernel's arguments: inputs x (and y), outputs out; each subclass runs one kernel. */
    private abstract static class ElementTask implements WorkerPool.RangeTask {
        int xOff, yOff, outOff;
        float[] x, y, out;
    }

    private final class ReluBackwardTask extends ElementTask {
        @Override
        public void run(int start, int end) {
            kernels.relu().backward(x, xOff + start, y, yOff + start, out, outOff + start, end - start);
        }
    }

    private final class SigmoidTask extends ElementTask {
        @Override
        public void run(int start, int end) {
            kernels.exp().sigmoid(x, xOff + start, out, outOff + start, end - start);
        }
    }

    private static final class LossTask implements WorkerPool.RangeTask {
        LossKernel kernel;
        LossBatch batch;

        @Override
        public void run(int start, int end) {
            kernel.lossAndGradient(batch, start, end);
        }
    }

    private final class ColumnSumsTask implements WorkerPool.RangeTask {
        int m, xOff, ldx, outOff;
        float[] x, out;
        boolean accumulate;

        @Override
        public void run(int start, int end) {
            kernels.columnSums().columnSums(m, end - start, x, xOff + start, ldx, out, outOff + start, accumulate);
        }
    }

    private final class AdamTask implements WorkerPool.RangeTask {
        int off;
        float[] p, g, m, v;
        float alpha, beta1, beta2, epsilon;

        @Override
        public void run(int start, int end) {
            kernels.adam().update(end - start, p, g, m, v, off + start, alpha, beta1, beta2, epsilon);
        }
    }
}
