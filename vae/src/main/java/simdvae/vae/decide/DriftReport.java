package simdvae.vae.decide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Has a batch drifted from the reference, and where? Computed from a batch's {@link DriftCounts} alone, so a
 * distributed job and a single process report the same numbers.
 *
 * <ul>
 *   <li>The scores: a two-sample Kolmogorov–Smirnov test of the batch's scores against the reference's
 *       ({@link ScoreDistribution#ksTest}).</li>
 *   <li>Per column, its own data: its values (χ² over the reference's deciles, neighbours pooled; or over its
 *       levels, thin levels pooled) and its missing rate (Fisher's exact test). The column's p-value is
 *       Bonferroni's over those that ran, min(1, k · min p): two looks at one column, dependent in no known
 *       direction, where k ≤ 2 costs little against Simes's.</li>
 *   <li>Per column, its nats (χ² over the reference's deciles of them): whether the model fits the column worse. A
 *       hypothesis of its own rather than part of the column's p-value: nats move with every column the model
 *       reconstructs this one from, so they would name the wrong column (y × 1.5 where y follows x shifts x's nats
 *       as much as y's), while a change of relation with no change of values shows only there (and in the
 *       scores).</li>
 *   <li>The batch: the score test, the c columns and, when kept, the c nats tests make N = 1 + c (+ c) p-values,
 *       corrected by Holm's step-down, which holds the family-wise error at α under any dependence between them (a
 *       table's columns depend on each other in ways nobody states). The batch's p-value is the smallest adjusted
 *       one, min(1, N · min p) (Bonferroni's); it drifted when that is at most α, and the columns whose adjusted
 *       p-value is at most α are those that drifted.</li>
 * </ul>
 * Columns are listed most shifted first: by their p-value's logarithm (finite where p underflows), then by their
 * nats test's, then by index.
 *
 * <p>What the level means: when the reference rows and the batch are both drawn like the data, the batch is called
 * drifted with probability at most α over the sampling of both. Against one fixed reference the rate moves with that
 * reference's own sampling error, most for small references. And a model's scores and nats run low on the rows it
 * was trained on: a reference of training rows makes new rows from the same source look drifted in their scores and
 * nats (not in their values or missing rates). The reference should be held-out rows.
 */
public final class DriftReport {
    private final long rows;
    private final TestResult scores;
    private final double scoresAdjustedLogP;
    private final List<ColumnDrift> columns;
    private final double logP;
    private final DriftCounts counts;

    private DriftReport(long rows, TestResult scores, double scoresAdjustedLogP, List<ColumnDrift> columns,
                        double logP, DriftCounts counts) {
        this.counts = counts;
        this.rows = rows;
        this.scores = scores;
        this.scoresAdjustedLogP = scoresAdjustedLogP;
        this.columns = columns;
        this.logP = logP;
    }

    /**
     * The report of a batch.
     *
     * @param batch the batch's counts (with their reference)
     * @return the report
     * @throws IllegalArgumentException when the batch is empty
     */
    public static DriftReport of(DriftCounts batch) {
        DriftReference ref = batch.reference();
        long m = batch.rows();
        if (m == 0) {
            throw new IllegalArgumentException("an empty batch has no drift to test");
        }
        TestResult scores = ref.scores().ksTest(batch.scoreCounts());
        int c = ref.columns();
        TestResult[][] tests = new TestResult[c][];
        // the family: the scores, then each column's own data, then each column's nats
        double[] logPs = new double[1 + 2 * c];
        logPs[0] = scores.logP();
        for (int j = 0; j < c; j++) {
            ColumnReference col = ref.column(j);
            TestResult values = col.testValues(batch.valueCounts(j));
            TestResult missing = Proportions.test(col.missing(), col.rows(), batch.missing(j), m);
            TestResult nats = ref.keepsNats() ? ChiSquare.ordered(col.nats().counts(), batch.natsCounts(j))
                    : TestResult.NONE;
            tests[j] = new TestResult[] {values, missing, nats};
            logPs[1 + j] = bonferroni(values, missing);
            logPs[1 + c + j] = nats.logP();
        }
        double[] adjusted = holm(ref.keepsNats() ? logPs : Arrays.copyOf(logPs, 1 + c));
        List<ColumnDrift> out = new ArrayList<>(c);
        for (int j = 0; j < c; j++) {
            out.add(new ColumnDrift(j, tests[j][0], tests[j][1], tests[j][2], logPs[1 + j], adjusted[1 + j],
                    ref.keepsNats() ? adjusted[1 + c + j] : 0));
        }
        out.sort(Comparator.comparingDouble(ColumnDrift::logP).thenComparingDouble(d -> d.nats().logP())
                .thenComparingInt(ColumnDrift::column));
        double smallest = Arrays.stream(adjusted).min().orElse(0);
        return new DriftReport(m, scores, adjusted[0], List.copyOf(out), smallest, batch);
    }

    /** ln min(1, k · min p) over the k tests that ran (0 when none did). */
    static double bonferroni(TestResult... tests) {
        int k = 0;
        double min = 0;
        for (TestResult t : tests) {
            if (t.ran()) {
                k++;
                min = Math.min(min, t.logP());
            }
        }
        return k == 0 ? 0 : Math.min(0, Math.log(k) + min);
    }

    /**
     * Holm's adjusted log p-values: with p₍₁₎ ≤ … ≤ p₍ₙ₎ (ties by index), adj₍ᵢ₎ = max_{j ≤ i} min(1, (N − j + 1)
     * p₍ⱼ₎), in logs.
     */
    static double[] holm(double[] logP) {
        int n = logP.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> logP[i]).thenComparingInt(i -> i));
        double[] out = new double[n];
        double running = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            running = Math.max(running, Math.min(0, Math.log(n - r) + logP[i]));
            out[i] = running;
        }
        return out;
    }

    static double checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("a level must be in (0, 1), got " + alpha);
        }
        return alpha;
    }

    /**
     * How many batch rows were tested.
     *
     * @return the count
     */
    public long rows() {
        return rows;
    }

    /**
     * The counts the report was made of (with their reference): what a picture of the batch against the reference
     * reads.
     *
     * @return the counts
     */
    public DriftCounts counts() {
        return counts;
    }

    /**
     * The two-sample Kolmogorov–Smirnov test of the batch's scores against the reference's.
     *
     * @return the test
     */
    public TestResult scores() {
        return scores;
    }

    /**
     * ln of the score test's p-value adjusted for every test of the batch (Holm).
     *
     * @return the adjusted log p-value
     */
    public double scoresAdjustedLogP() {
        return scoresAdjustedLogP;
    }

    /**
     * Each column's drift, most shifted first.
     *
     * @return the columns
     */
    public List<ColumnDrift> columns() {
        return columns;
    }

    /**
     * ln of the batch's p-value: the smallest Holm-adjusted p-value of its N tests, ln min(1, N · min p).
     *
     * @return the log p-value, at most 0
     */
    public double logP() {
        return logP;
    }

    /**
     * The batch's p-value (0 when it underflows).
     *
     * @return p, in [0, 1]
     */
    public double p() {
        return Math.exp(logP);
    }

    /**
     * The verdict: whether the batch drifted at level {@code alpha} (some test's adjusted p-value at most alpha, so
     * a batch drawn like the reference rows is called drifted with probability at most alpha).
     *
     * @param alpha the level, in (0, 1)
     * @return whether it drifted
     * @throws IllegalArgumentException when alpha is outside (0, 1)
     */
    public boolean drifted(double alpha) {
        return logP <= Math.log(checkAlpha(alpha));
    }
}
