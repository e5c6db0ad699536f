package simdvae.vae.table;

import java.util.ArrayList;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.model.Scaling;

/**
 * Fits {@link Features} on training rows: the scaling of every numeric column over its observed cells (in double),
 * and for a table model (asked for, or needed: a categorical column or a missing cell) its {@link Schema}: the
 * levels each categorical column has in these rows, which columns had missing cells, and what a missing numeric cell gives the encoder.
 */
final class FeatureFit {
    private FeatureFit() {
    }

    static Features fit(ModelConfig config, Dataset data, boolean tableWanted) {
        return fit(config, data, tableWanted, null);
    }

    /**
     * With {@code allMissing} (not null): a table whose level lists hold exactly the training levels, all of them, and
     * whose columns had missing cells where {@code allMissing} says (rows gathered from elsewhere, data-parallel training).
     */
    static Features fit(ModelConfig config, Dataset data, boolean tableWanted, boolean[] allMissing) {
        Scaling scaling = config.effectiveScaling();
        int n = data.columns();
        List<String> names = data.columnNames();
        int rows = data.size();
        double[] sum = new double[n];
        long[] observed = new long[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        boolean[][] used = new boolean[n][];
        for (int j = 0; j < n; j++) {
            List<String> levels = data.levels(j);
            used[j] = data.kind(j) == Dataset.Kind.CATEGORICAL ? new boolean[levels.size()] : null;
        }
        float[] row = new float[n];
        for (int i = 0; i < rows; i++) {
            data.copyRow(i, row, 0);
            for (int j = 0; j < n; j++) {
                float v = row[j];
                if (Float.isNaN(v)) {
                    continue;
                }
                observed[j]++;
                if (used[j] != null) {
                    used[j][(int) v] = true;
                } else {
                    sum[j] += v;
                    lo[j] = Math.min(lo[j], v);
                    hi[j] = Math.max(hi[j], v);
                }
            }
        }
        boolean categorical = false;
        boolean missing = false;
        for (int j = 0; j < n; j++) {
            if (allMissing != null && used[j] != null) {
                java.util.Arrays.fill(used[j], true);
            }
            categorical |= used[j] != null;
            missing |= allMissing != null ? allMissing[j] : observed[j] < rows;
            if (observed[j] == 0 && allMissing == null) {
                throw new SimdvaeException(Features.columnName(names, j) + " has no value in the training rows");
            }
        }
        boolean table = tableWanted || categorical || missing;
        if (!table && scaling == Scaling.NONE) {
            return Features.of(names, data.labelName(), scaling, null, null, List.of(), null, null);
        }
        double[] sq = new double[n];
        if (scaling == Scaling.STANDARDIZE) {
            for (int i = 0; i < rows; i++) {
                data.copyRow(i, row, 0);
                for (int j = 0; j < n; j++) {
                    if (used[j] == null && !Float.isNaN(row[j])) {
                        double d = row[j] - sum[j] / observed[j];
                        sq[j] += d * d;
                    }
                }
            }
        }
        double[] offset = scaling == Scaling.NONE ? null : new double[n];
        double[] factor = scaling == Scaling.NONE ? null : new double[n];
        List<String> constant = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            boolean flat = used[j] == null && lo[j] == hi[j];
            if (flat) {
                constant.add(Features.columnName(names, j) + " (always " + (float) lo[j] + ")");
            }
            if (scaling == Scaling.NONE) {
                continue;
            }
            if (used[j] != null) {
                offset[j] = 0;
                factor[j] = 1;
            } else if (scaling == Scaling.STANDARDIZE) {
                offset[j] = sum[j] / observed[j];
                double sd = Math.sqrt(sq[j] / observed[j]);
                factor[j] = flat || sd == 0 ? 1 : 1 / sd;
            } else {
                offset[j] = lo[j];
                factor[j] = flat ? 1 : 1 / (hi[j] - lo[j]);
            }
        }
        if (!table) {
            return Features.of(names, data.labelName(), scaling, offset, factor, constant, null, null);
        }
        Dataset.Kind[] kinds = new Dataset.Kind[n];
        List<List<String>> levels = new ArrayList<>();
        boolean[] hadMissing = new boolean[n];
        float[] missingInput = new float[n];
        Features scaled = Features.of(names, data.labelName(), scaling, offset, factor, constant, null, null);
        for (int j = 0; j < n; j++) {
            kinds[j] = used[j] != null ? Dataset.Kind.CATEGORICAL : Dataset.Kind.NUMERIC;
            hadMissing[j] = allMissing != null ? allMissing[j] : observed[j] < rows;
            if (used[j] != null) {
                List<String> l = new ArrayList<>();
                for (int c = 0; c < used[j].length; c++) {
                    if (used[j][c]) {
                        l.add(data.levels(j).get(c));
                    }
                }
                l.add(Schema.OTHER);
                levels.add(l);
            } else {
                levels.add(null);
                missingInput[j] = scaled.scale((float) (sum[j] / observed[j]), j);
            }
        }
        Schema columns = new Schema(kinds, levels, hadMissing, config.likelihood());
        return Features.of(names, data.labelName(), scaling, offset, factor, constant, columns, missingInput);
    }
}
