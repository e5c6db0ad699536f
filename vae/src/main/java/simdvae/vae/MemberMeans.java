package simdvae.vae;

import simdvae.vae.data.Dataset;
import simdvae.vae.internal.network.Inference;

/**
 * An ensemble's per-row numbers: each member's, then their mean, summed in member order (0 first) in double and
 * divided by the members' count, so that the result is the same bits at every width and thread count and one
 * member's numbers come back unchanged. The members share the fitted features and the likelihood: their nats are on
 * one scale.
 */
final class MemberMeans {
    private MemberMeans() {
    }

    /**
     * The rows' scores before a reference and a decision read them, one array a row as {@link Scores} holds them.
     *
     * @param score          the negative ELBO at z = μ
     * @param negativeElbo   the negative ELBO with z drawn
     * @param reconstruction the reconstruction term at z = μ
     * @param kl             the KL term
     * @param perColumn      the reconstruction term per column, or null
     */
    record RowScores(double[] score, double[] negativeElbo, double[] reconstruction, double[] kl,
                     float[][] perColumn) {
    }

    /** The scores of {@code data}: the members' mean. */
    static RowScores scores(VaeParts model, Dataset data, boolean perColumn, long firstRow) {
        RowScores sum = of(model.memberModel(0).inference.rowLosses(data, perColumn, firstRow));
        int members = model.members();
        if (members == 1) {
            return sum;
        }
        int n = data.size();
        double[][] columns = perColumn ? new double[n][] : null;
        for (int i = 0; perColumn && i < n; i++) {
            columns[i] = new double[sum.perColumn()[i].length];
            for (int j = 0; j < columns[i].length; j++) {
                columns[i][j] = sum.perColumn()[i][j];
            }
        }
        for (int k = 1; k < members; k++) {
            RowScores s = of(model.memberModel(k).inference.rowLosses(data, perColumn, firstRow));
            add(sum.score(), s.score());
            add(sum.negativeElbo(), s.negativeElbo());
            add(sum.reconstruction(), s.reconstruction());
            add(sum.kl(), s.kl());
            for (int i = 0; perColumn && i < n; i++) {
                add(columns[i], s.perColumn()[i]);
            }
        }
        divide(sum.score(), members);
        divide(sum.negativeElbo(), members);
        divide(sum.reconstruction(), members);
        divide(sum.kl(), members);
        for (int i = 0; perColumn && i < n; i++) {
            for (int j = 0; j < columns[i].length; j++) {
                sum.perColumn()[i][j] = (float) (columns[i][j] / members);
            }
        }
        return sum;
    }

    /** One model's scores, from its row losses. */
    private static RowScores of(Inference.Runner.RowLosses l) {
        int n = l.atMean().length;
        double[] score = new double[n];
        double[] recon = new double[n];
        double[] elbo = new double[n];
        double[] kl = new double[n];
        for (int i = 0; i < n; i++) {
            score[i] = l.atMean()[i];
            recon[i] = (double) l.atMean()[i] - l.kl()[i];
            elbo[i] = l.sampled()[i];
            kl[i] = l.kl()[i];
        }
        return new RowScores(score, elbo, recon, kl, l.terms());
    }

    /** The members' mean evaluation of {@code data}. */
    static Evaluation evaluate(VaeParts model, Dataset data) {
        double sampled = 0;
        double atMean = 0;
        for (int k = 0; k < model.members(); k++) {
            Inference.Runner.RowLosses l = model.memberModel(k).inference.rowLosses(data, false, 0);
            double s = 0;
            double m = 0;
            for (int i = 0; i < data.size(); i++) {
                s += l.sampled()[i];
                m += l.atMean()[i];
            }
            sampled = k == 0 ? s / data.size() : sampled + s / data.size();
            atMean = k == 0 ? m / data.size() : atMean + m / data.size();
        }
        return new Evaluation(sampled / model.members(), atMean / model.members());
    }

    /** The members' mean importance-weighted log p(x) of every row. */
    static double[] logLikelihood(VaeParts model, Dataset data, int samples, long firstRow) {
        double[] sum = model.memberModel(0).inference.logLikelihood(data, samples, firstRow);
        for (int k = 1; k < model.members(); k++) {
            add(sum, model.memberModel(k).inference.logLikelihood(data, samples, firstRow));
        }
        if (model.members() > 1) {
            divide(sum, model.members());
        }
        return sum;
    }

    private static void add(double[] sum, double[] v) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += v[i];
        }
    }

    private static void add(double[] sum, float[] v) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += v[i];
        }
    }

    private static void divide(double[] sum, int n) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= n;
        }
    }
}
