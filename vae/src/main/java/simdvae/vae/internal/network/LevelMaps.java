package simdvae.vae.internal.network;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;

/**
 * Matches the levels of a data set's categorical columns to a model's: for each, an array from the data set's level
 * index to the model's (−1: a level training never saw). Views of one data set share their level lists, so the
 * match is made once per list and kept (the few most recent), not per row.
 */
final class LevelMaps {
    private static final int KEPT = 16;

    private final Schema columns;
    private final List<String> names;
    /** By the identity of a data set's level list of each column (its first categorical column's list). */
    private final Map<Object, int[][]> byData = new IdentityHashMap<>();

    LevelMaps(Schema columns, List<String> names) {
        this.columns = columns;
        this.names = names;
    }

    /** Per column, the data set's level index → the model's; checks that the columns' kinds agree. */
    synchronized int[][] of(Dataset data) {
        Object key = key(data);
        int[][] maps = byData.get(key);
        if (maps == null) {
            maps = build(data);
            if (byData.size() >= KEPT) {
                byData.clear();
            }
            byData.put(key, maps);
        }
        return maps;
    }

    /** The first categorical column's level list, which views of one data set share; the data set without one. */
    private Object key(Dataset data) {
        for (int j = 0; j < columns.count(); j++) {
            if (columns.kind(j) == Dataset.Kind.CATEGORICAL && data.levels(j) != null) {
                return data.levels(j);
            }
        }
        return data;
    }

    private int[][] build(Dataset data) {
        if (data.columns() != columns.count()) {
            throw new SimdvaeException("the data has " + data.columns() + " columns, the model expects "
                    + columns.count());
        }
        int[][] maps = new int[columns.count()][];
        for (int j = 0; j < columns.count(); j++) {
            if (data.kind(j) != columns.kind(j)) {
                throw new SimdvaeException(Features.columnName(names, j) + " is " + kind(data.kind(j))
                        + " in the data but " + kind(columns.kind(j)) + " in the model (read it as "
                        + kind(columns.kind(j)) + ")");
            }
            if (columns.kind(j) == Dataset.Kind.CATEGORICAL) {
                Map<String, Integer> model = new HashMap<>();
                List<String> levels = columns.levels(j);
                for (int c = 0; c < levels.size() - 1; c++) {
                    model.put(levels.get(c), c);
                }
                List<String> own = data.levels(j);
                maps[j] = new int[own.size()];
                for (int c = 0; c < own.size(); c++) {
                    maps[j][c] = model.getOrDefault(own.get(c), -1);
                }
            }
        }
        return maps;
    }

    private static String kind(Dataset.Kind k) {
        return k.name().toLowerCase(java.util.Locale.ROOT);
    }
}
