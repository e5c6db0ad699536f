package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.DriftReport;
import simdvae.vae.model.Likelihood;

/**
 * Watching data over time: p-values that are uniform on rows like the reference rows and ordered as the scores, the
 * false-discovery rate as Benjamini and Hochberg define it, and drift reports that leave a like batch alone, catch an
 * anomalous one and name a shifted column.
 */
class WatchTest {
    private static Vae model;

    /** A model of a mixed table, its reference the seeded validation rows it never trained on. */
    @BeforeAll
    static void train() {
        Dataset rows = MixedRows.dataset(MixedRows.make(3000, 0, 1));
        VaeConfig config = VaeConfig.defaults().withHidden(List.of(32)).withLatent(3).withLikelihood(
                Likelihood.GAUSSIAN).withEpochs(40).withBatch(64).withValidation(0.3, 5).withThreads(2);
        Vae vae = Vae.create(config, rows);
        Models.trained(vae, rows);
        model = vae;
        assertEquals("validation", model.reference().source());
    }

    @Test
    void pValuesAreUniformOnFreshRowsAndOrderedAsTheScores() {
        Scores s = model.score(MixedRows.dataset(MixedRows.make(2000, 0, 2)));
        int m = s.score().length;
        long n = model.reference().rows();
        for (double alpha : new double[] {0.05, 0.2, 0.5}) {
            long below = Arrays.stream(s.pValues()).filter(p -> p <= alpha).count();
            // the reference and the batch each draw their share: the tolerance counts both
            double tolerance = 4 * Math.sqrt(alpha * (1 - alpha) * (1.0 / n + 1.0 / m)) + 1.0 / (n + 1);
            assertTrue(Math.abs((double) below / m - alpha) <= tolerance, alpha + ": " + below + " of " + m);
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(s.score()[a], s.score()[b]));
        for (int k = 1; k < m; k++) {
            double lower = s.pValues()[order[k - 1]];
            double higher = s.pValues()[order[k]];
            assertTrue(higher <= lower, "a higher score never has a higher p-value");
            assertTrue(s.score()[order[k]] != s.score()[order[k - 1]] || higher == lower, "equal scores, equal p");
            assertTrue(higher > 0 && higher <= 1);
        }
    }

    @Test
    void aFalseDiscoveryRateFlagsTheBenjaminiHochbergDiscoveries() {
        Dataset batch = MixedRows.dataset(MixedRows.make(600, 60, 3));
        Scores s = model.withDecision(Decision.fdr(0.1)).score(batch);
        double[] p = s.pValues();
        // the definition, written out: the largest k with p_(k) <= q k / m; every p at most p_(k) is a discovery
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        double cut = Double.NEGATIVE_INFINITY;
        for (int k = sorted.length; k >= 1; k--) {
            if (sorted[k - 1] <= 0.1 * k / sorted.length) {
                cut = sorted[k - 1];
                break;
            }
        }
        int flagged = 0;
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i] <= cut, s.outlier(i), "row " + i);
            flagged += s.outlier(i) ? 1 : 0;
        }
        assertTrue(flagged >= 20, flagged + " flagged of 60 anomalous rows");
        assertTrue(Double.isNaN(s.threshold()), "a false-discovery rate sets no threshold on the score");
    }

    @Test
    void aLikeBatchIsLeftAloneAnAnomalousOneIsFlaggedAndAShiftedColumnIsNamed() {
        DriftReport like = model.drift(MixedRows.dataset(MixedRows.make(800, 0, 4)));
        assertFalse(like.drifted(0.01), "a batch drawn like the reference rows: p = " + like.p());
        DriftReport odd = model.drift(MixedRows.dataset(MixedRows.make(800, 300, 5)));
        assertTrue(odd.p() < 0.001, "an anomalous batch: p = " + odd.p());
        Object[][] rows = MixedRows.make(800, 0, 6);
        for (Object[] row : rows) {
            if (row[4] != null) {
                row[4] = (Double) row[4] * 1.5;
            }
        }
        DriftReport shifted = model.drift(MixedRows.dataset(rows));
        assertTrue(shifted.drifted(0.01), "distance × 1.5: p = " + shifted.p());
        assertEquals("distance", MixedRows.COLUMNS.get(shifted.columns().get(0).column()),
                shifted.columns().toString());
    }

    @Test
    void aDriftReportIsTheSameWhateverTheOrderOfTheRows() {
        Object[][] rows = MixedRows.make(900, 100, 7);
        DriftReport a = model.drift(MixedRows.dataset(rows));
        Object[][] reversed = rows.clone();
        java.util.Collections.reverse(Arrays.asList(reversed));
        DriftReport b = model.withThreads(1).drift(MixedRows.dataset(reversed));
        assertEquals(a.logP(), b.logP());
        assertEquals(a.columns(), b.columns());
    }

    @Test
    void countsOfPartsMergedInAnyOrderGiveTheWholeBatchsReport() {
        Object[][] rows = MixedRows.make(900, 100, 10);
        DriftReport whole = model.drift(MixedRows.dataset(rows));
        // three uneven parts, merged last to first: integers, so any split and order give the same report
        int[] cuts = {0, 1, 401, 900};
        simdvae.vae.decide.DriftCounts merged = simdvae.vae.decide.DriftCounts.of(model.reference().drift());
        for (int k = cuts.length - 1; k >= 1; k--) {
            merged.merge(model.driftCounts(MixedRows.dataset(Arrays.copyOfRange(rows, cuts[k - 1], cuts[k]))));
        }
        DriftReport parts = DriftReport.of(merged);
        assertEquals(900, parts.rows());
        assertEquals(whole.logP(), parts.logP());
        assertEquals(whole.columns(), parts.columns());
        assertTrue(Arrays.equals(whole.counts().counts(), merged.counts()));
    }

    @Test
    void aModelWithoutAReferenceSaysSoInOneLine() {
        Vae bare = Vae.of(model.config(), model.parameters(), model.features());
        SimdvaeException e = assertThrows(SimdvaeException.class,
                () -> bare.drift(MixedRows.dataset(MixedRows.make(50, 0, 8))));
        assertTrue(e.getMessage().contains("calibrate") && !e.getMessage().contains("\n"), e.getMessage());
        assertTrue(bare.score(MixedRows.dataset(MixedRows.make(5, 0, 9))).pValues() == null);
    }
}
