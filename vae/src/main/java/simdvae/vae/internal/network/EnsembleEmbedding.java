package simdvae.vae.internal.network;

import simdvae.vae.data.Dataset;

/**
 * What an ensemble's reference and drift passes read of its rows: member 0's μ and log σ², and the members' mean
 * anomaly score and per-column nats (each summed in member order, 0 first, in double, then divided by the members'
 * count: the same bits at every width and thread count, and one member's values unchanged). The members share the
 * fitted features and likelihood, so their nats are on one scale.
 */
public final class EnsembleEmbedding {
    private EnsembleEmbedding() {
    }

    /**
     * The ensemble's embedding of {@code data}.
     *
     * @param members   the members' inference, member 0 first
     * @param data      the rows
     * @param perColumn whether to give each row's reconstruction term per column
     * @return μ and log σ² of member 0, the members' mean score and per-column terms
     */
    public static Inference.Runner.Embedded embed(Inference.Runner[] members, Dataset data, boolean perColumn) {
        Inference.Runner.Embedded first = members[0].embed(data, perColumn);
        if (members.length == 1) {
            return first;
        }
        int n = data.size();
        double[] score = first.score();
        double[][] terms = perColumn ? new double[n][] : null;
        for (int i = 0; perColumn && i < n; i++) {
            terms[i] = new double[first.perColumn()[i].length];
            for (int j = 0; j < terms[i].length; j++) {
                terms[i][j] = first.perColumn()[i][j];
            }
        }
        for (int k = 1; k < members.length; k++) {
            Inference.Runner.Embedded e = members[k].embed(data, perColumn);
            for (int i = 0; i < n; i++) {
                score[i] += e.score()[i];
                for (int j = 0; perColumn && j < terms[i].length; j++) {
                    terms[i][j] += e.perColumn()[i][j];
                }
            }
        }
        float[][] perColumnMean = perColumn ? first.perColumn() : null;
        for (int i = 0; i < n; i++) {
            score[i] /= members.length;
            for (int j = 0; perColumn && j < terms[i].length; j++) {
                perColumnMean[i][j] = (float) (terms[i][j] / members.length);
            }
        }
        return new Inference.Runner.Embedded(first.mu(), first.logVar(), score, perColumnMean);
    }
}
