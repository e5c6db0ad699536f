package simdvae.kernels;

/**
 * A k × n matrix B packed once into the layout one GEMM kernel's register tiles stream, for products that reuse it
 * (a model's weights in inference: ONNX Runtime likewise packs its weights once per session). The vector kernels store
 * B as strips of 2·L columns, k-major and zero-padded, exactly as they would pack them on every call, so a product
 * on a packed B is the same FMA chain per output element as on B itself: the same bits. Made by {@link
 * GemmKernel#pack}, used by {@link GemmKernel#gemm(int, int, int, float[], int, int, GemmPackedB, int, float[], int,
 * int, boolean, float[], int, boolean)} of a kernel of the same width (scalar, or the same lane count). It holds a
 * copy: when B changes (an optimizer step), pack it again into the same object, which allocates nothing.
 */
public final class GemmPackedB {
    final int k;
    final int n;
    /** Lanes of the kernels that read it (1 for the scalar reference's plain row-major copy). */
    final int lanes;
    /**
     * Columns of a strip: the register tile's columns for the vector kernels (2 or 3 vectors, by register file); 1 for
     * the scalar one (any column starts a product).
     */
    final int stripColumns;
    final float[] data;

    GemmPackedB(int k, int n, int lanes, int stripColumns, int size) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("negative size of a packed B: " + k + "x" + n);
        }
        this.k = k;
        this.n = n;
        this.lanes = lanes;
        this.stripColumns = stripColumns;
        this.data = new float[size];
    }

    /**
     * Rows of B: the products' reduction length.
     *
     * @return k
     */
    public int rows() {
        return k;
    }

    /**
     * Columns of B.
     *
     * @return n
     */
    public int columns() {
        return n;
    }

    /**
     * Lanes of the kernels that can use it.
     *
     * @return the lane count of the kernel that packed it; 1 when the scalar reference did
     */
    public int lanes() {
        return lanes;
    }

    /** Whether {@code into} can hold a packed k × n B of this format without a new array. */
    static boolean fits(GemmPackedB into, int k, int n, int lanes, int stripColumns) {
        return into != null && into.k == k && into.n == n && into.lanes == lanes && into.stripColumns == stripColumns;
    }

    /**
     * Checks that a product over columns {@code [col, col + cols)} and reduction {@code kk} can read this B through
     * a kernel of {@code kernelLanes} lanes and strips of {@code kernelStrip} columns.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    void check(int kk, int col, int cols, int kernelLanes, int kernelStrip) {
        if (kernelLanes != lanes || kernelStrip != stripColumns) {
            throw new IllegalArgumentException("B was packed for " + format(lanes, stripColumns)
                    + " and cannot be read by " + format(kernelLanes, kernelStrip)
                    + ": pack it with the kernels that use it");
        }
        if (kk != k) {
            throw new IllegalArgumentException("a product of reduction length " + kk + " on a packed B of " + k
                    + " rows");
        }
        if (col < 0 || cols < 0 || (long) col + cols > n) {
            throw new IllegalArgumentException("columns [" + col + ", " + ((long) col + cols) + ") of a packed B of "
                    + n + " columns");
        }
        if (col % stripColumns != 0 && cols > 0) {
            throw new IllegalArgumentException("a product on a packed B starts at column " + col
                    + ", not at the start of one of its strips of " + stripColumns + " columns");
        }
    }

    private static String format(int lanes, int strip) {
        return lanes == 1 ? "the scalar reference" : lanes + "-lane kernels with strips of " + strip + " columns";
    }

    @Override
    public String toString() {
        return "packed B " + k + "x" + n + (lanes == 1 ? " (scalar)" : " (strips of " + stripColumns + " columns)");
    }
}
