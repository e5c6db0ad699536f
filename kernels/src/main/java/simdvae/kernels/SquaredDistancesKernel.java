package simdvae.kernels;

/**
 * Squared Euclidean distances in double from one row to many points: for each point p,
 * {@code s_p = Σ_j (x_j − P[p, j])²}, summed over j in column order, each term a subtraction and a multiplication in
 * double and the sum an addition (no FMA), from +0. One fixed order and rounding per point, so every implementation
 * and width gives the same bits. The points are stored column by column ({@code P[p, j]} at
 * {@code points[pOff + j * stride + p]}), so a vector holds consecutive points and a lane never adds across points; a
 * caller passes a block of them ({@code pOff}) that stays in cache while it serves many rows, and a stride that is not
 * a multiple of 512 values, so that a block's columns do not all fall in one set of the L1 cache.
 */
public interface SquaredDistancesKernel {
    /**
     * The squared distances from {@code x[xOff .. xOff + width)} to points {@code 0 .. count)} into
     * {@code out[0 .. count)}.
     *
     * @param points the points, column by column
     * @param pOff   where point 0's first value is
     * @param count  the points
     * @param stride the distance between two columns in {@code points}, at least {@code count}
     * @param width  values a point
     * @param x      the row
     * @param xOff   where it starts
     * @param out    the squared distances, in point order
     */
    void squaredDistances(double[] points, int pOff, int count, int stride, int width, float[] x, int xOff,
                          double[] out);

    /**
     * Checks the sizes.
     *
     * @param points the points, column by column
     * @param pOff   where point 0's first value is
     * @param count  the points
     * @param stride the distance between two columns
     * @param width  values a point
     * @param x      the row
     * @param xOff   where it starts
     * @param out    the squared distances
     */
    static void check(double[] points, int pOff, int count, int stride, int width, float[] x, int xOff,
                      double[] out) {
        if (count < 0 || width < 0 || stride < count || pOff < 0) {
            throw new IllegalArgumentException("count " + count + ", width " + width + ", stride " + stride
                    + ", offset " + pOff);
        }
        long need = width == 0 ? 0 : pOff + (long) (width - 1) * stride + count;
        if (need > points.length) {
            throw new IndexOutOfBoundsException(width + " columns of stride " + stride + " need " + need
                    + " values, the points hold " + points.length);
        }
        java.util.Objects.checkFromIndexSize(xOff, width, x.length);
        java.util.Objects.checkFromIndexSize(0, count, out.length);
    }
}
