package simdvae.vae.internal.network;

import simdvae.vae.data.Dataset;
import simdvae.vae.model.Architecture;
import simdvae.vae.table.Features;
import simdvae.vae.table.Schema;
import simdvae.vae.table.UnseenLevels;

/**
 * A row's cells in the data's units as the model reads them: a plain row as it is, a table's levels mapped to the
 * model's (a level training never saw as {@value Schema#OTHER}) and its numbers as the model scaled them, then
 * unscaled; NaN for a missing cell. What the reference's typical values and drift summaries are made of, and what a
 * batch's drift is counted on. One thread's scratch.
 */
final class CellValues {
    private final RowInput input;
    private final Features features;
    private final Schema schema;
    private final boolean unitRange;
    private final float[] raw;
    private final float[] x;
    private final float[] t;

    CellValues(ModelView model, int dataColumns) {
        this.input = model.rows();
        this.features = input.features();
        this.schema = features.schema();
        this.unitRange = model.likelihood().needsUnitRange();
        Architecture a = model.architecture();
        this.raw = new float[dataColumns + Workspace.PAD];
        this.x = new float[a.input() + Workspace.PAD];
        this.t = new float[a.targets() + Workspace.PAD];
    }

    /** Whether column j is categorical (its values are level indices). */
    boolean categorical(int j) {
        return schema != null && schema.kind(j) == Dataset.Kind.CATEGORICAL;
    }

    /** Column j's level count (a categorical column's), else 0. */
    int levels(int j) {
        return categorical(j) ? schema.levels(j).size() : 0;
    }

    /** Row i of {@code rows}, one value a column, into {@code out}. */
    void read(Dataset rows, int i, float[] out) {
        if (schema == null) {
            rows.copyRow(i, raw, 0);
            System.arraycopy(raw, 0, out, 0, out.length);
            return;
        }
        input.toInput(rows, i, raw, x, 0, t, 0, unitRange, UnseenLevels.OTHER);
        for (int j = 0; j < out.length; j++) {
            float v = t[schema.group(j)];
            out[j] = categorical(j) || Float.isNaN(v) ? v : features.unscale(v, j);
        }
    }
}
