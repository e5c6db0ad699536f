package simdvae.cli;

import simdvae.vae.data.Dataset;


/** A data set's raw rows as arrays, for the library calls and pictures that take {@code float[][]}. */
final class Rows {
    private Rows() {
    }

    /** The first {@code n} rows of {@code d}. */
    static float[][] of(Dataset d, int n) {
        float[][] x = new float[n][d.columns()];
        for (int i = 0; i < n; i++) {
            d.copyRow(i, x[i], 0);
        }
        return x;
    }
}
