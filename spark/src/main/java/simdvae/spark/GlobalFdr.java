package simdvae.spark;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import simdvae.vae.decide.BenjaminiHochberg;

/**
 * The Benjamini–Hochberg cut of a false-discovery rate over every row of a DataFrame, whatever its partitioning.
 *
 * <p>What a global FDR needs: the procedure compares the i-th smallest p-value with q i / m, so it needs m (the rows
 * in all) and, for each p-value that can be a discovery (at most q), how many rows have a p-value at most it. Both are
 * counts: one job groups the rows by p-value (those above q in one group, as null) and counts each group. Counts of
 * rows per exact p-value are integers that add up the same over any partitioning, task order or retry, and the driver
 * sorts the distinct p-values itself, so the cut ({@link BenjaminiHochberg#threshold(double[], long[], long, double)})
 * is the one the single-machine procedure finds on the same rows, bit for bit. There are at most as many groups as
 * the reference has distinct p-values (one more than its rows), so the driver receives little.
 */
final class GlobalFdr {
    private GlobalFdr() {
    }

    /**
     * The cut: the largest p-value that is a discovery at rate {@code q} over all rows of {@code scored} (−∞ when
     * none is). Runs one Spark job over {@code scored}.
     *
     * @param scored  rows with a p-value column
     * @param pColumn its name
     * @param q       the false-discovery rate, in (0, 1)
     * @return the cut
     */
    static double cut(Dataset<Row> scored, String pColumn, double q) {
        Column p = functions.col(pColumn);
        List<Row> groups = scored.groupBy(functions.when(p.leq(q), p).alias("p")).count().collectAsList();
        long total = 0;
        TreeMap<Double, Long> below = new TreeMap<>();
        for (Row g : groups) {
            total = Math.addExact(total, g.getLong(1));
            if (!g.isNullAt(0)) {
                below.put(g.getDouble(0), g.getLong(1));
            }
        }
        double[] values = new double[below.size()];
        long[] counts = new long[below.size()];
        int i = 0;
        for (Map.Entry<Double, Long> e : below.entrySet()) {
            values[i] = e.getKey();
            counts[i++] = e.getValue();
        }
        return BenjaminiHochberg.threshold(values, counts, total, q);
    }
}
