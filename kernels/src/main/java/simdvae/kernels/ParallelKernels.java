package simdvae.kernels;

import java.util.Objects;
import simdvae.core.WorkerPool;

/**
 * Multithreaded entry points: each call splits its <em>output elements</em> (rows or column blocks of C, element
 * ranges, loss rows, columns) over a {@link WorkerPool} and runs the kernels of one width on the pieces. Nothing is
 * split along a reduction, so results are bit-identical for every thread count. Calls allocate nothing: each kind
 * of call reuses one task object, which is why the methods are synchronized.
 */
public final class ParallelKernels {
    private static final int ELEMENT_GRAIN = 1024;
    // Row blocks in multiples of GemmVector's tile height, column blocks in pairs of vectors (its tile width).
    private static final int MR = GemmVector.MR;

    private final Kernels kernels;
    private final WorkerPool pool;
    private final GemmTask gemmTask = new GemmTask();
    private final ElementTask elementTask = new ElementTask();
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
     * The threads this splits work over.
     *
     * @return the pool
     */
    public WorkerPool pool() {
        return pool;
    }

    /**
     * {@link GemmKernel#gemm}, split over row blocks or column blocks of C, whichever has more tiles.
     *
     * @param layout     which operand is used transposed: NN, NT (B) or TN (A)
     * @param m          rows of C
     * @param n          columns of C
     * @param k          the reduction length
     * @param a          A as stored
     * @param aOff       where A's element (0, 0) is
     * @param lda        leading dimension of A as stored (k columns for NN/NT, m for TN)
     * @param b          B as stored
     * @param bOff       where B's element (0, 0) is
     * @param ldb        leading dimension of B as stored (n columns for NN/TN, k for NT)
     * @param c          C, the output
     * @param cOff       where C's element (0, 0) is
     * @param ldc        C's row stride
     * @param accumulate add to C's values instead of overwriting them
     * @param bias       null, or n values from {@code biasOff}, added to every row
     * @param biasOff    where the bias starts
     * @param relu       apply max(·, 0) last
     */
    public synchronized void gemm(Layout layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                                  int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, float[] bias,
                                  int biasOff, boolean relu) {
        GemmKernel.check(layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
        GemmTask t = gemmTask;
        int nr = 2 * kernels.lanes();
        t.byColumns = (n + nr - 1) / nr >= (m + MR - 1) / MR;
        t.set(layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, relu);
        try {
            pool.forEach(t.byColumns ? n : m, t.byColumns ? nr : MR, t);
        } finally {
            t.clear();
        }
    }

    /**
     * {@link ReluKernel#forward}, split over elements.
     *
     * @param x    the inputs
     * @param xOff the first input
     * @param y    the outputs
     * @param yOff the first output
     * @param n    the number of elements
     */
    public synchronized void reluForward(float[] x, int xOff, float[] y, int yOff, int n) {
        elementwise(ElementTask.RELU, x, xOff, null, 0, y, yOff, n);
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
        elementwise(ElementTask.RELU_BACKWARD, y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * {@link ExpKernel#exp}, split over elements.
     *
     * @param x    the inputs
     * @param xOff the first input
     * @param y    the outputs
     * @param yOff the first output
     * @param n    the number of elements
     */
    public synchronized void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        elementwise(ElementTask.EXP, x, xOff, null, 0, y, yOff, n);
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
        elementwise(ElementTask.SIGMOID, x, xOff, null, 0, y, yOff, n);
    }

    /**
     * {@link LossKernel#bceKl}, split over samples.
     *
     * @param batch   rows
     * @param pixels  features a row (logits and targets)
     * @param latent  the latent size
     * @param scale   factor on every gradient (1/batch for a mean loss)
     * @param beta    weight of the KL term in the gradients
     * @param logits  batch×pixels, row stride {@code ldl}
     * @param lOff    where the logits' element (0, 0) is
     * @param ldl     the logits' row stride
     * @param x       batch×pixels targets, row stride {@code ldx}
     * @param xOff    where the targets' element (0, 0) is
     * @param ldx     the targets' row stride
     * @param head    batch×(2·latent) [μ | log σ²], row stride {@code ldh}
     * @param hOff    where the head's element (0, 0) is
     * @param ldh     the head's row stride
     * @param dLogits batch×pixels output, row stride {@code lddl}; must not overlap {@code logits} or {@code x}
     * @param dlOff   where its element (0, 0) goes
     * @param lddl    its row stride
     * @param dHead   batch×(2·latent) output [dμ | d log σ²], row stride {@code lddh}
     * @param dhOff   where its element (0, 0) goes
     * @param lddh    its row stride
     * @param loss    per-sample loss output, {@code batch} values from {@code lossOff}
     * @param lossOff where the first goes
     */
    public synchronized void bceKl(int batch, int pixels, int latent, float scale, float beta, float[] logits,
                                   int lOff, int ldl, float[] x, int xOff, int ldx, float[] head, int hOff, int ldh,
                                   float[] dLogits, int dlOff, int lddl, float[] dHead, int dhOff, int lddh,
                                   float[] loss, int lossOff) {
        LossKernel.check(batch, pixels, latent, logits, lOff, ldl, x, xOff, ldx, head, hOff, ldh, dLogits, dlOff,
                lddl, dHead, dhOff, lddh, loss, lossOff);
        loss(false, batch, pixels, latent, scale, beta, logits, lOff, ldl, x, xOff, ldx, head, hOff, ldh, dLogits,
                dlOff, lddl, dHead, dhOff, lddh, loss, lossOff);
    }

    /**
     * {@link GaussianLossKernel#gaussianKl}, split over samples.
     *
     * @param batch    rows
     * @param features features a row
     * @param latent   the latent size
     * @param scale    factor on every gradient (1/batch for a mean loss)
     * @param beta     weight of the KL term in the gradients
     * @param out      batch×(2·features) decoder output [mean | raw log-variance], row stride {@code ldo}
     * @param oOff     where its element (0, 0) is
     * @param ldo      its row stride
     * @param x        batch×features targets, row stride {@code ldx}
     * @param xOff     where their element (0, 0) is
     * @param ldx      their row stride
     * @param head     batch×(2·latent) [μ | log σ²], row stride {@code ldh}
     * @param hOff     where its element (0, 0) is
     * @param ldh      its row stride
     * @param dOut     batch×(2·features) output gradient, row stride {@code lddo}; must not overlap {@code out} or x
     * @param doOff    where its element (0, 0) goes
     * @param lddo     its row stride
     * @param dHead    batch×(2·latent) output [dμ | d log σ²]
     * @param dhOff    where its element (0, 0) goes
     * @param lddh     its row stride
     * @param loss     per-sample loss output
     * @param lossOff  where the first goes
     */
    public synchronized void gaussianKl(int batch, int features, int latent, float scale, float beta, float[] out,
                                        int oOff, int ldo, float[] x, int xOff, int ldx, float[] head, int hOff,
                                        int ldh, float[] dOut, int doOff, int lddo, float[] dHead, int dhOff,
                                        int lddh, float[] loss, int lossOff) {
        GaussianLossKernel.check(batch, features, latent, out, oOff, ldo, x, xOff, ldx, head, hOff, ldh, dOut, doOff,
                lddo, dHead, dhOff, lddh, loss, lossOff);
        loss(true, batch, features, latent, scale, beta, out, oOff, ldo, x, xOff, ldx, head, hOff, ldh, dOut, doOff,
                lddo, dHead, dhOff, lddh, loss, lossOff);
    }

    private void loss(boolean gaussian, int batch, int features, int latent, float scale, float beta, float[] out,
                      int oOff, int ldo, float[] x, int xOff, int ldx, float[] head, int hOff, int ldh, float[] dOut,
                      int doOff, int lddo, float[] dHead, int dhOff, int lddh, float[] loss, int lossOff) {
        LossTask t = lossTask;
        t.gaussian = gaussian;
        t.set(features, latent, scale, beta, out, oOff, ldo, x, xOff, ldx, head, hOff, ldh, dOut, doOff, lddo, dHead,
                dhOff, lddh, loss, lossOff);
        try {
            pool.forEach(batch, 1, t);
        } finally {
            t.clear();
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
            pool.forEach(n, Math.max(16, kernels.lanes()), t);
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
            pool.forEach(n, ELEMENT_GRAIN, t);
        } finally {
            t.p = t.g = t.m = t.v = null;
        }
    }

    private void elementwise(int op, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        ElementTask t = elementTask;
        t.op = op;
        t.x = x;
        t.xOff = xOff;
        t.y = y;
        t.yOff = yOff;
        t.out = out;
        t.outOff = outOff;
        try {
            pool.forEach(n, ELEMENT_GRAIN, t);
        } finally {
            t.x = t.y = t.out = null;
        }
    }

    private final class GemmTask implements WorkerPool.RangeTask {
        boolean byColumns;
        Layout layout;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, biasOff;
        float[] a, b, c, bias;
        boolean accumulate, relu;

        void set(Layout layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
            this.layout = layout;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.accumulate = accumulate;
            this.bias = bias;
            this.biasOff = biasOff;
            this.relu = relu;
        }

        void clear() {
            a = b = c = bias = null;
        }

        @Override
        public void run(int start, int end) {
            if (byColumns) {
                int bStart = layout == Layout.NT ? bOff + start * ldb : bOff + start;
                kernels.gemm().gemm(layout, m, end - start, k, a, aOff, lda, b, bStart, ldb, c, cOff + start, ldc,
                        accumulate, bias, bias == null ? 0 : biasOff + start, relu);
            } else {
                int aStart = layout == Layout.TN ? aOff + start : aOff + start * lda;
                kernels.gemm().gemm(layout, end - start, n, k, a, aStart, lda, b, bOff, ldb, c, cOff + start * ldc,
                        ldc, accumulate, bias, biasOff, relu);
            }
        }
    }

    private final class ElementTask implements WorkerPool.RangeTask {
        static final int RELU = 0;
        static final int RELU_BACKWARD = 1;
        static final int EXP = 2;
        static final int SIGMOID = 3;
        int op, xOff, yOff, outOff;
        float[] x, y, out;

        @Override
        public void run(int start, int end) {
            int n = end - start;
            switch (op) {
                case RELU -> kernels.relu().forward(x, xOff + start, out, outOff + start, n);
                case RELU_BACKWARD -> kernels.relu().backward(x, xOff + start, y, yOff + start, out, outOff + start,
                        n);
                case EXP -> kernels.exp().exp(x, xOff + start, out, outOff + start, n);
                case SIGMOID -> kernels.exp().sigmoid(x, xOff + start, out, outOff + start, n);
                default -> throw new IllegalStateException("unknown op " + op);
            }
        }
    }

    private final class LossTask implements WorkerPool.RangeTask {
        boolean gaussian;
        int pixels, latent, lOff, ldl, xOff, ldx, hOff, ldh, dlOff, lddl, dhOff, lddh, lossOff;
        float scale, beta;
        float[] logits, x, head, dLogits, dHead, loss;

        void set(int pixels, int latent, float scale, float beta, float[] logits, int lOff, int ldl, float[] x, int xOff,
                 int ldx, float[] head, int hOff, int ldh, float[] dLogits, int dlOff, int lddl, float[] dHead,
                 int dhOff, int lddh, float[] loss, int lossOff) {
            this.pixels = pixels;
            this.latent = latent;
            this.scale = scale;
            this.beta = beta;
            this.logits = logits;
            this.lOff = lOff;
            this.ldl = ldl;
            this.x = x;
            this.xOff = xOff;
            this.ldx = ldx;
            this.head = head;
            this.hOff = hOff;
            this.ldh = ldh;
            this.dLogits = dLogits;
            this.dlOff = dlOff;
            this.lddl = lddl;
            this.dHead = dHead;
            this.dhOff = dhOff;
            this.lddh = lddh;
            this.loss = loss;
            this.lossOff = lossOff;
        }

        void clear() {
            logits = x = head = dLogits = dHead = loss = null;
        }

        @Override
        public void run(int start, int end) {
            if (gaussian) {
                kernels.gaussianLoss().gaussianKl(end - start, pixels, latent, scale, beta, logits,
                        lOff + start * ldl, ldl, x, xOff + start * ldx, ldx, head, hOff + start * ldh, ldh, dLogits,
                        dlOff + start * lddl, lddl, dHead, dhOff + start * lddh, lddh, loss, lossOff + start);
            } else {
                kernels.loss().bceKl(end - start, pixels, latent, scale, beta, logits, lOff + start * ldl, ldl,
                        x, xOff + start * ldx, ldx, head, hOff + start * ldh, ldh, dLogits, dlOff + start * lddl,
                        lddl, dHead, dhOff + start * lddh, lddh, loss, lossOff + start);
            }
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
