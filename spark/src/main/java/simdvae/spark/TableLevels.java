package simdvae.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import simdvae.vae.data.TabularDataset;

/**
 * What a table model must know of all its training rows before any shard trains: each text column's levels (sorted
 * as a table sorts them, {@link TabularDataset#sortedLevels}) and which columns have missing cells. One pass over
 * the rows; per-partition results merged on the driver (set unions and ors, so the order of partitions does not
 * matter).
 *
 * @param levels each column's levels (null for a numeric column)
 * @param missing   per column, whether a kept row has a missing cell there
 */
record TableLevels(List<List<String>> levels, boolean[] missing) {
    /**
     * One partition's texts and missing.
     *
     * @param texts per column, the texts seen (null for a numeric column)
     * @param missing  per column, whether a missing cell was seen
     */
    private record Part(List<TreeSet<String>> texts, boolean[] missing) implements Serializable {
    }

    static TableLevels of(Dataset<?> dataset, InputColumns input, int size) {
        org.apache.spark.sql.classic.Dataset<?> classic = (org.apache.spark.sql.classic.Dataset<?>) dataset;
        List<Part> parts = classic.queryExecution().toRdd().toJavaRDD().mapPartitions(
                (FlatMapFunction<Iterator<InternalRow>, Part>) rows -> {
                    List<TreeSet<String>> texts = new ArrayList<>();
                    for (int j = 0; j < size; j++) {
                        texts.add(new TreeSet<>());
                    }
                    boolean[] missing = new boolean[size];
                    float[] x = new float[size];
                    while (rows.hasNext()) {
                        InternalRow r = rows.next();
                        if (input.scan(r, x, texts)) {
                            for (int j = 0; j < size; j++) {
                                missing[j] |= Float.isNaN(x[j]);
                            }
                        }
                    }
                    return List.of(new Part(texts, missing)).iterator();
                }).collect();
        List<TreeSet<String>> all = new ArrayList<>();
        boolean[] missing = new boolean[size];
        for (int j = 0; j < size; j++) {
            all.add(new TreeSet<>());
        }
        for (Part p : parts) {
            for (int j = 0; j < size; j++) {
                all.get(j).addAll(p.texts().get(j));
                missing[j] |= p.missing()[j];
            }
        }
        List<List<String>> levels = new ArrayList<>();
        for (int j = 0; j < size; j++) {
            levels.add(input.text(j) ? TabularDataset.sortedLevels(all.get(j)) : null);
        }
        return new TableLevels(levels, missing);
    }

    /** Whether the model must be a table model: a text column, or a missing cell. */
    boolean table() {
        for (int j = 0; j < missing.length; j++) {
            if (missing[j] || levels.get(j) != null) {
                return true;
            }
        }
        return false;
    }
}
