package simdvae.vae.decide;

/**
 * Do two samples have the same share of something (a column's missing cells)? A 2 × 2 table: the statistic is
 * Pearson's X² (df 1), the p-value Fisher's exact two-sided one whenever its support is at most
 * {@value #EXACT_SUPPORT} tables (in practice always: the support is bounded by the smallest margin), else χ²'s.
 * Exact matters here: a reference with no missing cell against a batch with a few gives expected counts far below
 * 5, where χ² misleads, and the p-value costs one pass over the support.
 */
public final class Proportions {
    /** The largest support (tables with the observed margins) over which the exact p-value is summed. */
    public static final int EXACT_SUPPORT = 1_000_000;

    private Proportions() {
    }

    /**
     * The test of {@code hitsA} of {@code rowsA} against {@code hitsB} of {@code rowsB}.
     *
     * @param hitsA the first sample's count of the thing (the reference's missing cells)
     * @param rowsA the first sample's size
     * @param hitsB the second sample's count (the batch's missing cells)
     * @param rowsB the second sample's size
     * @return the test ({@code "fisher"}, or {@code "chi2"} beyond the exact support), or {@link TestResult#NONE}
     *         when a sample is empty or no row (or every row) has the thing
     * @throws IllegalArgumentException when a count is negative or above its sample's size
     */
    public static TestResult test(long hitsA, long rowsA, long hitsB, long rowsB) {
        if (hitsA < 0 || hitsB < 0 || hitsA > rowsA || hitsB > rowsB) {
            throw new IllegalArgumentException("counts " + hitsA + " of " + rowsA + " and " + hitsB + " of " + rowsB);
        }
        TestResult chi2 = ChiSquare.homogeneity(new long[] {hitsA, rowsA - hitsA}, new long[] {hitsB, rowsB - hitsB});
        if (!chi2.ran()) {
            return chi2;
        }
        long hits = hitsA + hitsB;
        long lo = Math.max(0, hits - rowsB);
        long hi = Math.min(hits, rowsA);
        if (hi - lo + 1 > EXACT_SUPPORT) {
            return chi2;
        }
        return new TestResult("fisher", chi2.statistic(), 1, logFisher(hitsA, rowsA, hits, rowsA + rowsB));
    }

    /**
     * ln of Fisher's exact two-sided p-value (R's and SciPy's definition: the probability, under the hypergeometric
     * law of the margins, of the tables no more probable than the observed one, with a relative tolerance of 10⁻⁷).
     * The weights are built by their ratio w(x + 1) / w(x) = (K − x)(r − x) / ((x + 1)(N − K − r + x + 1)) in
     * logs, so no binomial coefficient of N is formed and nothing underflows.
     *
     * @param x    the first row's count of the thing
     * @param r    the first row's size
     * @param hits the count of the thing in both rows (K)
     * @param all  both rows' size (N)
     */
    static double logFisher(long x, long r, long hits, long all) {
        long lo = Math.max(0, hits - (all - r));
        long hi = Math.min(hits, r);
        int size = (int) (hi - lo + 1);
        double[] logW = new double[size];
        double max = 0;
        for (int i = 1; i < size; i++) {
            long k = lo + i - 1;
            logW[i] = logW[i - 1] + Math.log((double) (hits - k) * (r - k))
                    - Math.log((double) (k + 1) * (all - hits - r + k + 1));
            max = Math.max(max, logW[i]);
        }
        double observed = logW[(int) (x - lo)] + 1e-7;
        double total = 0;
        double tail = 0;
        for (int i = 0; i < size; i++) {
            double w = Math.exp(logW[i] - max);
            total += w;
            if (logW[i] <= observed) {
                tail += w;
            }
        }
        // tail ≥ the observed table's own weight; its log stays finite even when that weight underflows
        double logTail = tail > 0 ? Math.log(tail) : logSumExpBelow(logW, observed, max);
        return Math.min(0, logTail - Math.log(total));
    }

    /** ln Σ e^(w − max) over the weights at most {@code bound}, when that sum underflows in linear space. */
    private static double logSumExpBelow(double[] logW, double bound, double max) {
        double top = Double.NEGATIVE_INFINITY;
        for (double w : logW) {
            if (w <= bound) {
                top = Math.max(top, w);
            }
        }
        double s = 0;
        for (double w : logW) {
            if (w <= bound) {
                s += Math.exp(w - top);
            }
        }
        return top - max + Math.log(s);
    }
}
