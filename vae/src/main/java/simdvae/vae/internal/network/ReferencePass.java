package simdvae.vae.internal.network;

import simdvae.vae.data.Dataset;
import simdvae.vae.decide.ScoreDistribution;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.decide.TypicalValues;
import simdvae.vae.model.Architecture;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;
import simdvae.vae.table.UnseenLevels;

/**
 * The pass that makes a model's {@link ScoreReference} from rows: their scores, and their columns' values in the
 * data's units. A level the rows hold that training did not counts as {@value Schema#OTHER}.
 */
public final class ReferencePass {
    private ReferencePass() {
    }

    /**
     * The reference of {@code rows} under {@code model}.
     *
     * @param model  the model
     * @param runner its inference
     * @param rows   the reference rows
     * @param source what they are, for reports
     * @return the reference
     */
    public static ScoreReference reference(ModelView model, Inference.Runner runner, Dataset rows, String source) {
        Inference.Runner.RowLosses losses = runner.rowLosses(rows, false);
        RowInput input = model.rows();
        Features f = input.features();
        Schema columns = f.schema();
        int c = model.columnCount();
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
                input.toInput(rows, i, raw, x, 0, t, 0, unitRange, UnseenLevels.OTHER);
                for (int j = 0; j < c; j++) {
                    float v = t[columns.group(j)];
                    values[j][i] = categorical[j] || Float.isNaN(v) ? v : f.unscale(v, j);
                }
            }
        }
        return new ScoreReference(source, ScoreDistribution.of(toDouble(losses.sampled())),
                ScoreDistribution.of(toDouble(losses.atMean())), TypicalValues.of(values, categorical, levels));
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
