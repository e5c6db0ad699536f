package simdvae.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import simdvae.vae.data.Dataset;

/**
 * Generated tabular data with planted structure: normal rows lie near a two-dimensional curved manifold embedded in
 * {@code features} columns of very different scales and offsets (x_j = s_j·sin(a_j·u + c_j) + o_j + noise, u ~ N(0,
 * I₂)); anomalies have the same per-column distributions but break the joint structure (each of their cells is
 * taken from a different random normal row), so no single column gives them away.
 */
record Planted(double[][] rows, boolean[] anomaly, List<String> columns) {
    static Planted make(int normal, int anomalies, int features, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] a = new double[features][2];
        double[] c = new double[features];
        double[] s = new double[features];
        double[] o = new double[features];
        for (int j = 0; j < features; j++) {
            a[j][0] = r.nextGaussian();
            a[j][1] = r.nextGaussian();
            c[j] = r.nextDouble() * 2 * Math.PI;
            s[j] = Math.exp(r.nextDouble() * 6 - 2); // 0.14 to 55
            o[j] = r.nextGaussian() * 100;
        }
        double[][] base = new double[normal + anomalies][features];
        for (double[] row : base) {
            double u0 = r.nextGaussian();
            double u1 = r.nextGaussian();
            for (int j = 0; j < features; j++) {
                row[j] = s[j] * (Math.sin(a[j][0] * u0 + a[j][1] * u1 + c[j]) + noise * r.nextGaussian()) + o[j];
            }
        }
        int n = normal + anomalies;
        double[][] rows = new double[n][];
        boolean[] anomaly = new boolean[n];
        // anomalies spread through the file, not at its end
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            slots.add(i);
        }
        java.util.Collections.shuffle(slots, new java.util.Random(seed));
        for (int k = 0; k < anomalies; k++) {
            anomaly[slots.get(k)] = true;
        }
        for (int i = 0; i < n; i++) {
            if (anomaly[i]) {
                rows[i] = new double[features];
                for (int j = 0; j < features; j++) {
                    rows[i][j] = base[r.nextInt(n)][j];
                }
            } else {
                rows[i] = base[i];
            }
        }
        List<String> columns = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            columns.add("x" + j);
        }
        return new Planted(rows, anomaly, columns);
    }

    int[] labels() {
        int[] l = new int[anomaly.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = anomaly[i] ? 1 : 0;
        }
        return l;
    }

    Dataset dataset() {
        return Dataset.of(rows, labels(), columns);
    }

    /** The area under the ROC curve of {@code score} for telling anomalies (positives) from normal rows. */
    static double auroc(double[] score, boolean[] positive) {
        long wins = 0;
        long ties = 0;
        long pairs = 0;
        for (int i = 0; i < score.length; i++) {
            if (!positive[i]) {
                continue;
            }
            for (int j = 0; j < score.length; j++) {
                if (positive[j]) {
                    continue;
                }
                pairs++;
                if (score[i] > score[j]) {
                    wins++;
                } else if (score[i] == score[j]) {
                    ties++;
                }
            }
        }
        return (wins + 0.5 * ties) / pairs;
    }

    /** The data as CSV text with a header and a label column. */
    String csv(String labelName) {
        StringBuilder b = new StringBuilder(String.join(",", columns)).append(',').append(labelName).append('\n');
        for (int i = 0; i < rows.length; i++) {
            for (double v : rows[i]) {
                b.append(v).append(',');
            }
            b.append(anomaly[i] ? "anomaly" : "normal").append('\n');
        }
        return b.toString();
    }
}
