package simdvae.bench;

import simdvae.kernels.GemmScalar;
import simdvae.kernels.Layout;
import simdvae.kernels.MatrixProduct;

/**
 * A GEMM benchmark shape, spelled {@code LAYOUT_m_n_k} (e.g. {@code NN_50_512_784}), with dense row-major operands
 * of random values and the scalar reference's result.
 */
record GemmShape(Layout layout, int m, int n, int k, float[] a, float[] b) {
    static GemmShape parse(String shape) {
        String[] parts = shape.split("_");
        Layout layout = Layout.valueOf(parts[0]);
        int m = Integer.parseInt(parts[1]);
        int n = Integer.parseInt(parts[2]);
        int k = Integer.parseInt(parts[3]);
        return new GemmShape(layout, m, n, k, BenchSupport.random(1, m * k, -1, 1), BenchSupport.random(2, k * n, -1, 1));
    }

    /** Leading dimension of A as stored: k columns, or m for TN. */
    int lda() {
        return layout == Layout.TN ? m : k;
    }

    /** Leading dimension of B as stored: n columns, or k for NT. */
    int ldb() {
        return layout == Layout.NT ? k : n;
    }

    /** Floating-point operations of one product. */
    long flop() {
        return 2L * m * n * k;
    }

    /** This product into {@code c}, with an optional bias and then ReLU (a layer's forward epilogue). */
    MatrixProduct product(float[] c, float[] bias) {
        return new MatrixProduct().shape(layout, m, n, k).a(a, 0, lda()).b(b, 0, ldb()).c(c, 0, n).bias(bias, 0)
                .relu(bias != null);
    }

    /** The reference result, with an optional bias and ReLU epilogue. */
    float[] expected(float[] bias) {
        float[] c = new float[m * n];
        GemmScalar.INSTANCE.gemm(product(c, bias));
        return c;
    }
}
