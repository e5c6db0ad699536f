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

    public ParallelKernels(Kernels kernels, WorkerPool pool) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    public Kernels kernels() {
        return kernels;
    }

    public WorkerPool pool() {
        return pool;
    }

    /** {@link GemmKernel#gemm}, split over row blocks or column blocks of C, whichever has more tiles. */
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

    /** {@link ReluKernel#forward}, split over elements. */
    public synchronized void reluForward(float[] x, int xOff, float[] y, int yOff, int n) {
        elementwise(ElementTask.RELU, x, xOff, null, 0, y, yOff, n);
    }

    /** {@link ReluKernel#backward}, split over elements. */
    public synchronized void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        elementwise(ElementTask.RELU_BACKWARD, y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /** {@link ExpKernel#exp}, split over elements. */
    public synchronized void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        elementwise(ElementTask.EXP, x, xOff, null, 0, y, yOff, n);
    }

    /** {@link ExpKernel#sigmoid}, split over elements. */
    public synchronized void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        elementwise(ElementTask.SIGMOID, x, xOff, null, 0, y, yOff, n);
    }

    /** {@link LossKernel#bceKl}, split over samples. */
    public synchronized void bceKl(int batch, int pixels, int latent, float scale, float beta, float[] logits,
                                   int lOff, int ldl, float[] x, int xOff, int ldx, float[] head, int hOff, int ldh,
                                   float[] dLogits, int dlOff, int lddl, float[] dHead, int dhOff, int lddh,
                                   float[] loss, int lossOff) {
        LossKernel.check(batch, pixels, latent, logits, lOff, ldl, x, xOff, ldx, head, hOff, ldh, dLogits, dlOff,
                lddl, dHead, dhOff, lddh, loss, lossOff);
        loss(false, batch, pixels, latent, scale, beta, logits, lOff, ldl, x, xOff, ldx, head, hOff, ldh, dLogits,
                dlOff, lddl, dHead, dhOff, lddh, loss, lossOff);
    }

    /** {@link GaussianLossKernel#gaussianKl}, split over samples. */
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

    /** {@link ColumnSumsKernel#columnSums}, split over columns. */
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

    /** {@link AdamKernel#update}, split over parameters. */
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
