package simdvae.vae.decide;

import java.util.Arrays;

/**
 * The Benjamini–Hochberg step-up procedure: which of m p-values to call discoveries so that the expected share of
 * false ones among them is at most q (for independent or positively dependent p-values, such as conformal p-values
 * of rows scored against one reference). With p₍₁₎ ≤ … ≤ p₍ₘ₎ sorted, k is the largest i with p₍ᵢ₎ m ≤ q i, and
 * every p-value at most p₍ₖ₎ is a discovery (none when there is no such i). Equal p-values are decided alike: the
 * largest i of a run of ties is the one that can satisfy the condition, so the rule is a function of the multiset of
 * p-values and does not depend on their order.
 *
 * <p>The comparison is made as {@code p * m <= q * i} in doubles everywhere, so that every path here (and a
 * distributed one built on {@link #threshold(double[], long[], long, double)}) rounds alike.
 */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {
    }

    /**
     * The procedure's cut: the largest p-value called a discovery; every p-value at most the cut is one.
     *
     * @param p the p-values, each in [0, 1]
     * @param q the false-discovery rate, in (0, 1]
     * @return the cut, or −∞ when nothing is a discovery
     * @throws IllegalArgumentException when a p-value is outside [0, 1] or NaN, or q is outside (0, 1]
     */
    public static double threshold(double[] p, double q) {
        checkRate(q);
        double[] sorted = p.clone();
        for (int i = 0; i < sorted.length; i++) {
            checkP(sorted[i], i);
        }
        Arrays.sort(sorted);
        long m = sorted.length;
        for (int i = sorted.length; i >= 1; i--) {
            if (sorted[i - 1] * m <= q * i) {
                return sorted[i - 1];
            }
        }
        return Double.NEGATIVE_INFINITY;
    }

    /**
     * The cut from counts, for p-values spread over partitions: {@code values} are distinct p-values in ascending
     * order with how many rows have each; only the p-values at most q need be given (a discovery's p-value is at
     * most q), with {@code total} counting every row. Counting rows per distinct p-value is additive, so the cut is
     * the same for any partitioning, and equals {@link #threshold(double[], double)} of the rows' p-values.
     *
     * @param values distinct p-values, ascending, each in [0, 1]
     * @param counts how many rows have each, at least 1
     * @param total  how many p-values there are in all (m), at least the counts' sum
     * @param q      the false-discovery rate, in (0, 1]
     * @return the cut, or −∞ when nothing is a discovery
     * @throws IllegalArgumentException when the values are not distinct and ascending in [0, 1], a count is below 1,
     *                                  the counts add to more than {@code total}, or q is outside (0, 1]
     */
    public static double threshold(double[] values, long[] counts, long total, double q) {
        checkRate(q);
        if (values.length != counts.length) {
            throw new IllegalArgumentException(values.length + " p-values with " + counts.length + " counts");
        }
        long below = 0;
        double cut = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            checkP(values[i], i);
            if (i > 0 && !(values[i] > values[i - 1])) {
                throw new IllegalArgumentException("p-values must be distinct and ascending, not at " + i);
            }
            if (counts[i] < 1) {
                throw new IllegalArgumentException("a p-value counted " + counts[i] + " times");
            }
            below = Math.addExact(below, counts[i]);
            if (below > total) {
                throw new IllegalArgumentException("counts add to more than the " + total + " p-values");
            }
            // the last index of this run of ties is `below`: the one that can meet p m ≤ q i
            if (values[i] * total <= q * below) {
                cut = values[i];
            }
        }
        return cut;
    }

    /**
     * Which p-values are discoveries at rate q.
     *
     * @param p the p-values, each in [0, 1]
     * @param q the false-discovery rate, in (0, 1]
     * @return per p-value, whether it is a discovery
     * @throws IllegalArgumentException when a p-value is outside [0, 1] or NaN, or q is outside (0, 1]
     */
    public static boolean[] discoveries(double[] p, double q) {
        double cut = threshold(p, q);
        boolean[] out = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] <= cut;
        }
        return out;
    }

    /**
     * The Benjamini–Hochberg adjusted p-values (q-values): min over j ≥ i of min(1, p₍ⱼ₎ m / j), the smallest rate
     * at which each p-value would be a discovery. (A p-value is a discovery at rate q when its adjusted value is at
     * most q, up to the rounding of one division.)
     *
     * @param p the p-values, each in [0, 1]
     * @return the adjusted p-values, in the same order
     * @throws IllegalArgumentException when a p-value is outside [0, 1] or NaN
     */
    public static double[] adjusted(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            checkP(p[i], i);
            order[i] = i;
        }
        // ascending p; ties by index, which does not change the result (tied p-values get one adjusted value)
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[a], p[b]) : Integer.compare(a, b));
        double[] out = new double[m];
        double running = 1;
        for (int r = m; r >= 1; r--) {
            int i = order[r - 1];
            running = Math.min(running, Math.min(1, p[i] * m / r));
            out[i] = running;
        }
        return out;
    }

    private static void checkRate(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("a false-discovery rate must be in (0, 1], got " + q);
        }
    }

    private static void checkP(double p, int i) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p-value " + i + " is " + p + ", not in [0, 1]");
        }
    }
}
