package simdvae.vae.decide;

import java.util.Arrays;

/**
 * The nearest-neighbour half of the hybrid anomaly score a model may keep beside its reference: an evenly spaced
 * sample of the rows it trained on, as the encoder takes them (numbers scaled as fitted, levels one-hot, missing
 * cells filled and flagged), and the centre and spread of two quantities over the reference rows. A row's hybrid
 * score is
 * <pre>
 *   (ELBO term − its reference median) / its reference spread + (distance − its median) / its spread
 * </pre>
 * where the ELBO term is the negative ELBO at z = μ (nats) and the distance is the mean Euclidean distance from the
 * row's encoder input to its {@code k} nearest kept rows; each spread is 1.4826 × the median absolute deviation (the
 * standard deviation of a normal sample), else the standard deviation, else 1. The two halves thus count in the same
 * unit, a robust standard deviation of the reference rows, so neither drowns the other: on the ADBench tables
 * (README) the ELBO ranks best where columns matter unequally (votes, pbc) and the distance where normal rows form
 * tight clusters (glass, satellite, ionosphere), and their sum ranks better on average than either.
 *
 * <p>The reference rows must be rows the kept rows do not include (validation or calibration rows): a kept row's
 * nearest neighbour is itself. Distances are summed in double in column order and the k smallest kept in a fixed
 * order, so a row's score is a function of the row alone, the same bits at every width and thread count.
 *
 * @param k              neighbours averaged, at least 1
 * @param width          values a kept row (the encoder's input size)
 * @param points         the kept rows, row-major, {@code count × width}
 * @param elboCentre     the reference rows' median ELBO term
 * @param elboSpread     its spread, positive
 * @param distanceCentre the reference rows' median distance
 * @param distanceSpread its spread, positive
 */
public record NeighbourTerm(int k, int width, float[] points, double elboCentre, double elboSpread,
                            double distanceCentre, double distanceSpread) {
    /** Kept rows at most, and cells (rows × width) at most: a bounded memory and a bounded cost a scored row. */
    public static final int MAX_POINTS = 4096;
    /** Cells the kept rows hold at most. */
    public static final int MAX_CELLS = 1 << 21;

    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException for a k below 1, a width below 1, points not a whole number of rows, fewer
     *                                  rows than k, or a spread that is not positive and finite
     */
    public NeighbourTerm {
        if (k < 1 || width < 1 || points.length % width != 0 || points.length / width < k) {
            throw new IllegalArgumentException("a neighbour term of k = " + k + " over " + points.length
                    + " values of width " + width);
        }
        if (!(elboSpread > 0 && distanceSpread > 0) || Double.isInfinite(elboSpread)
                || Double.isInfinite(distanceSpread) || !Double.isFinite(elboCentre)
                || !Double.isFinite(distanceCentre)) {
            throw new IllegalArgumentException("a neighbour term's centres and spreads must be finite and spreads"
                    + " positive: " + elboCentre + ", " + elboSpread + ", " + distanceCentre + ", " + distanceSpread);
        }
    }

    /**
     * How many rows of {@code width} values a term keeps of {@code rows} rows.
     *
     * @param rows  rows available
     * @param width values a row
     * @return the count kept
     */
    public static int keep(int rows, int width) {
        return Math.min(rows, Math.min(MAX_POINTS, Math.max(1, MAX_CELLS / Math.max(1, width))));
    }

    /**
     * The term of kept rows {@code points}, calibrated on the reference rows' ELBO terms and distances.
     *
     * @param k         neighbours averaged
     * @param width     values a kept row
     * @param points    the kept rows, row-major
     * @param elbo      the reference rows' ELBO terms
     * @param distances the reference rows' distances ({@link #distance})
     * @return the term
     */
    public static NeighbourTerm calibrated(int k, int width, float[] points, double[] elbo, double[] distances) {
        double[] e = centreAndSpread(elbo);
        double[] d = centreAndSpread(distances);
        return new NeighbourTerm(k, width, points, e[0], e[1], d[0], d[1]);
    }

    /** {@return the kept rows' count} */
    public int count() {
        return points.length / width;
    }

    /**
     * The mean Euclidean distance from {@code x[off .. off + width)} to its {@link #k} nearest kept rows.
     *
     * @param x   an encoder input
     * @param off where it starts
     * @return the distance
     */
    public double distance(float[] x, int off) {
        double[] nearest = new double[k];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        int n = count();
        for (int p = 0; p < n; p++) {
            int base = p * width;
            double s = 0;
            for (int j = 0; j < width; j++) {
                double d = (double) x[off + j] - points[base + j];
                s += d * d;
            }
            keep(s, nearest);
        }
        return distanceFromNearest(nearest);
    }

    /**
     * Keeps in {@code nearest} (ascending, its length the number kept; start it at +∞) the smallest of itself and
     * {@code squares[0 .. n)}. Which are smallest does not depend on the order the squares come in, so a row's kept rows
     * may be visited in blocks and in any order.
     *
     * @param squares squared distances, each summed in double over the columns in order (as {@link #distance} and
     *                {@code simdvae.kernels.SquaredDistancesKernel} sum them)
     * @param n       how many
     * @param nearest the smallest so far, ascending; updated
     */
    public static void keepSmallest(double[] squares, int n, double[] nearest) {
        for (int p = 0; p < n; p++) {
            keep(squares[p], nearest);
        }
    }

    /** {@code s} into {@code nearest} (ascending) if it is smaller than the largest kept; NaN is never kept. */
    private static void keep(double s, double[] nearest) {
        int last = nearest.length - 1;
        if (s < nearest[last]) {
            int i = last;
            while (i > 0 && nearest[i - 1] > s) {
                nearest[i] = nearest[i - 1];
                i--;
            }
            nearest[i] = s;
        }
    }

    /**
     * The distance from a row's {@link #k} smallest squared distances ({@link #keepSmallest}): the mean of their square
     * roots, added in ascending order.
     *
     * @param nearest the k smallest squared distances, ascending
     * @return the distance
     */
    public double distanceFromNearest(double[] nearest) {
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.sqrt(nearest[i]);
        }
        return sum / k;
    }

    /**
     * The hybrid score of a row from its two halves.
     *
     * @param elbo     its negative ELBO at z = μ, nats
     * @param distance its {@link #distance}
     * @return the score
     */
    public double combine(double elbo, double distance) {
        return (elbo - elboCentre) / elboSpread + (distance - distanceCentre) / distanceSpread;
    }

    /** The median and the spread (1.4826 MAD, else the standard deviation, else 1) of finite values. */
    static double[] centreAndSpread(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            throw new IllegalArgumentException("no finite value to calibrate a neighbour term on");
        }
        double median = median(v);
        double[] dev = new double[v.length];
        double mean = 0;
        for (int i = 0; i < v.length; i++) {
            dev[i] = Math.abs(v[i] - median);
            mean += v[i];
        }
        Arrays.sort(dev);
        double spread = 1.4826 * median(dev);
        if (!(spread > 1e-12)) {
            mean /= v.length;
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            spread = Math.sqrt(ss / v.length);
        }
        return new double[] {median, spread > 1e-12 ? spread : 1.0};
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NeighbourTerm t && k == t.k && width == t.width && Arrays.equals(points, t.points)
                && Double.compare(elboCentre, t.elboCentre) == 0 && Double.compare(elboSpread, t.elboSpread) == 0
                && Double.compare(distanceCentre, t.distanceCentre) == 0
                && Double.compare(distanceSpread, t.distanceSpread) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(points) + Double.hashCode(elboCentre) + k;
    }

    @Override
    public String toString() {
        return "NeighbourTerm[k=" + k + ", " + count() + " rows of " + width + ", elbo " + elboCentre + " ± "
                + elboSpread + ", distance " + distanceCentre + " ± " + distanceSpread + "]";
    }
}
