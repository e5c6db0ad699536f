package simdvae.vae.internal.network;

import java.util.HashMap;
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
    /** By the level lists of a data set's categorical columns, each compared by identity. */
    private final Map<Key, int[][]> byData = new HashMap<>();

    LevelMaps(Schema columns, List<String> names) {
        this.columns = columns;
        this.names = names;
    }

    /**
     * A data set's level lists, one a categorical column, compared by identity: views of one data set share them
     * (so they share a match), and two data sets whose lists are the very same objects are coded alike. A data set
     * without categorical columns is its own key.
     */
    private record Key(Object[] lists) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k) || k.lists.length != lists.length) {
                return false;
            }
            for (int i = 0; i < lists.length; i++) {
                if (k.lists[i] != lists[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (Object l : lists) {
                h = 31 * h + System.identityHashCode(l);
            }
            return h;
        }
    }

    /** Per column, the data set's level index → the model's; checks that the columns' kinds agree. */
    synchronized int[][] of(Dataset data) {
        Key key = key(data);
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

    private Key key(Dataset data) {
        List<Object> lists = new java.util.ArrayList<>();
        for (int j = 0; j < columns.count() && j < data.columns(); j++) {
            if (columns.kind(j) == Dataset.Kind.CATEGORICAL) {
                lists.add(data.levels(j));
            }
        }
        return new Key(lists.isEmpty() ? new Object[] {data} : lists.toArray());
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
