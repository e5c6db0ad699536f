package simdvae.vae.decide;

import simdvae.core.SimdvaeException;

/**
 * How a model decides that a row is an outlier: not at all, by a contamination (the expected share of outliers, as
 * PyOD's {@code contamination}: the threshold leaves that share of the reference rows above it), by a threshold on
 * the score, or by a false-discovery rate over the rows scored together (Benjamini–Hochberg on their p-values, for
 * users who cannot name a contamination). A model keeps its decision in its file; changing it needs no retraining.
 *
 * @param kind  none, contamination, threshold or false-discovery rate
 * @param value the contamination in (0, 0.5], the threshold, the rate in (0, 1), or NaN for none
 */
public record Decision(Kind kind, double value) {
    /** What a decision is given as. */
    public enum Kind {
        /** No decision: scores and percentiles only. */
        NONE,
        /** An expected share of outliers. */
        CONTAMINATION,
        /** A threshold on the score. */
        THRESHOLD,
        /** A false-discovery rate over the rows scored together. */
        FDR
    }

    /** No decision. */
    public static final Decision NONE = new Decision(Kind.NONE, Double.NaN);

    /** Checks the value against its kind. */
    public Decision {
        java.util.Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case NONE -> value = Double.NaN;
            case CONTAMINATION -> checkContamination(value);
            case THRESHOLD -> {
                if (!Double.isFinite(value)) {
                    throw new SimdvaeException("a threshold must be a finite number, got " + value);
                }
            }
            case FDR -> {
                if (!(value > 0 && value < 1)) {
                    throw new SimdvaeException("a false-discovery rate must be in (0, 1), got " + value);
                }
            }
        }
    }

    /**
     * The decision by a contamination.
     *
     * @param contamination the expected share of outliers, in (0, 0.5]
     * @return the decision
     */
    public static Decision contamination(double contamination) {
        return new Decision(Kind.CONTAMINATION, contamination);
    }

    /**
     * The decision by a threshold.
     *
     * @param nats the threshold on the score
     * @return the decision
     */
    public static Decision threshold(double nats) {
        return new Decision(Kind.THRESHOLD, nats);
    }

    /**
     * The decision by a false-discovery rate: over the rows scored together, the discoveries of Benjamini–Hochberg at
     * level {@code q} on their conformal p-values are outliers.
     *
     * @param q the rate, in (0, 1)
     * @return the decision
     */
    public static Decision fdr(double q) {
        return new Decision(Kind.FDR, q);
    }

    /**
     * Which rows are outliers among {@code scores}, scored together: above the threshold, or the Benjamini–Hochberg
     * discoveries among their p-values.
     *
     * @param scores    the rows' scores
     * @param pValues   their conformal p-values against the reference (null without a reference)
     * @param reference the reference rows' scores, or null
     * @return per row whether it is an outlier, or null for no decision
     * @throws SimdvaeException for a decision that needs reference scores the model does not have
     */
    public boolean[] outliers(double[] scores, double[] pValues, ScoreDistribution reference) {
        if (kind == Kind.NONE) {
            return null;
        }
        boolean[] out = new boolean[scores.length];
        if (kind == Kind.FDR) {
            if (pValues == null) {
                throw noReference();
            }
            double cut = BenjaminiHochberg.threshold(pValues, value);
            for (int i = 0; i < out.length; i++) {
                out[i] = pValues[i] <= cut;
            }
            return out;
        }
        double t = threshold(reference);
        for (int i = 0; i < out.length; i++) {
            out[i] = scores[i] > t;
        }
        return out;
    }

    /**
     * The threshold this decision gives for scores distributed as {@code scores} on the reference rows: its own, or
     * its contamination's quantile of them; NaN for none and for a false-discovery rate (which decides by p-values,
     * batch by batch).
     *
     * @param scores the reference rows' scores of the kind decided on, or null when the model has none
     * @return the threshold, nats, or NaN
     * @throws SimdvaeException for a contamination and no reference scores
     */
    public double threshold(ScoreDistribution scores) {
        return switch (kind) {
            case NONE, FDR -> Double.NaN;
            case THRESHOLD -> value;
            case CONTAMINATION -> {
                if (scores == null) {
                    throw noReference();
                }
                yield scores.threshold(value);
            }
        };
    }

    /**
     * The one-line error of a decision that needs reference scores a model does not have.
     *
     * @return the exception
     */
    public static SimdvaeException noReference() {
        return new SimdvaeException("this model has no reference scores (a model of an earlier format, or not"
                + " trained by simdvae's Trainer): calibrate it on normal rows first (Vae.calibrate, or train again)");
    }

    /**
     * Refuses a contamination outside (0, 0.5] in one line.
     *
     * @param contamination the share of outliers
     */
    public static void checkContamination(double contamination) {
        if (!(contamination > 0 && contamination <= 0.5)) {
            throw new SimdvaeException("a contamination must be in (0, 0.5] (the expected share of outliers), got "
                    + contamination);
        }
    }
}
