package simdvae.vae;

import java.util.Objects;

/**
 * Training or test data: {@code size()} rows of {@code features()} values in [0, 1], optionally labelled. Images
 * read from IDX files stay bytes ({@link simdvae.vae.data.ImageDataset}) and are converted a batch at a time.
 */
public interface Dataset {
    int size();

    int features();

    /** Row i as floats in [0, 1], written at {@code dst[off .. off + features())}. */
    void copyRow(int i, float[] dst, int off);

    /** The label of row i, or -1 when the data set has none. */
    int label(int i);

    /** Wraps an application's rows (not copied). Every row must have the same length and values in [0, 1]. */
    static Dataset of(float[][] rows) {
        return of(rows, null);
    }

    /** Wraps an application's rows and labels (not copied); labels may be null. */
    static Dataset of(float[][] rows, int[] labels) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length == 0) {
            throw new SimdvaeException("the data set is empty");
        }
        int features = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != features) {
                throw new SimdvaeException("row " + i + " has " + (rows[i] == null ? "no" : rows[i].length)
                        + " values, row 0 has " + features);
            }
            for (float v : rows[i]) {
                if (!(v >= 0f && v <= 1f)) {
                    throw new SimdvaeException("row " + i + " has a value outside [0, 1]: " + v
                            + " (binary cross-entropy needs targets in [0, 1])");
                }
            }
        }
        if (labels != null && labels.length != rows.length) {
            throw new SimdvaeException(labels.length + " labels for " + rows.length + " rows");
        }
        return new Dataset() {
            @Override
            public int size() {
                return rows.length;
            }

            @Override
            public int features() {
                return features;
            }

            @Override
            public void copyRow(int i, float[] dst, int off) {
                System.arraycopy(rows[i], 0, dst, off, features);
            }

            @Override
            public int label(int i) {
                return labels == null ? -1 : labels[i];
            }
        };
    }
}
