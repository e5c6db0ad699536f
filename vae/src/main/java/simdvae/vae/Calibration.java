package simdvae.vae;

/** Makes a model's {@link ScoreReference} from rows: their scores, and their columns' values in the data's units. */
final class Calibration {
    private Calibration() {
    }

    /** The reference of {@code rows} under {@code model} (a view that counts unseen levels as (other)). */
    static ScoreReference reference(Vae model, Dataset rows, String source) {
        Inference.Runner.RowLosses losses = model.rowLosses(rows);
        double[] scores = new double[losses.sampled().length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = losses.sampled()[i];
        }
        Features f = model.features();
        Columns columns = f.columns();
        int c = model.dataColumns();
        int n = rows.size();
        float[][] values = new float[c][n];
        boolean[] categorical = new boolean[c];
        int[] levels = new int[c];
        if (columns == null) {
            float[] row = new float[rows.columns()];
            for (int i = 0; i < n; i++) {
                rows.copyRow(i, row, 0);
                for (int j = 0; j < c; j++) {
                    values[j][i] = row[j];
                }
            }
        } else {
            // a table's row as the model reads it: its levels mapped to the model's, its numbers scaled (then undone)
            Architecture a = model.architecture();
            float[] raw = new float[rows.columns() + Workspace.PAD];
            float[] x = new float[a.input() + Workspace.PAD];
            float[] t = new float[a.targets() + Workspace.PAD];
            boolean unitRange = model.likelihood().needsUnitRange();
            for (int j = 0; j < c; j++) {
                categorical[j] = columns.kind(j) == Dataset.Kind.CATEGORICAL;
                levels[j] = categorical[j] ? columns.levels(j).size() : 0;
            }
            for (int i = 0; i < n; i++) {
                f.encode(rows, i, raw, x, 0, t, 0, unitRange, UnseenLevels.OTHER);
                for (int j = 0; j < c; j++) {
                    float v = t[columns.group(j)];
                    values[j][i] = categorical[j] || Float.isNaN(v) ? v : f.unscale(v, j);
                }
            }
        }
        return ScoreReference.of(source, scores, losses.atMean(), values, categorical, levels);
    }
}
