package simdvae.vae.decide;

import simdvae.core.SimdvaeException;

/**
 * How a model decides that a row is an outlier: not at all, by a contamination (the expected share of outliers, as
 * PyOD's {@code contamination}: the threshold leaves that share of the reference rows above it) or by a threshold in
 * nats. A model keeps its decision in its file; changing it needs no retraining.
 *
 * @param kind  none, contamination or threshold
 * @param value the contamination in (0, 0.5], the threshold in nats, or NaN for none
 */
public record Decision(Kind kind, double value) {
    /** What a decision is given as. */
    public enum Kind {
        /** No decision: scores and percentiles only. */
        NONE,
        /** An expected share of outliers. */
        CONTAMINATION,
        /** A threshold on the score, nats. */
        THRESHOLD
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
                    throw new SimdvaeException("a threshold must be a finite number of nats, got " + value);
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
     * The threshold this decision gives for scores distributed as {@code scores} on the reference rows: its own, or
     * its contamination's quantile of them; NaN for none.
     *
     * @param scores the reference rows' scores of the kind decided on, or null when the model has none
     * @return the threshold, nats, or NaN
     * @throws SimdvaeException for a contamination and no reference scores
     */
    public double threshold(ScoreDistribution scores) {
        return switch (kind) {
            case NONE -> Double.NaN;
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
