package simdvae.kernels;

/**
 * What moves data around {@link GemmVector}'s register tiles at one width: B into the k-major strips the tiles stream
 * (zero-padded, at a strip's stride), A into MR-row panels, operands transposed, and the tiles' results (tile buffers,
 * a transposed C) into C with the epilogue. {@link GemmPackingVector} is the template, copied per width like every
 * vector kernel; its buffers are per-thread and reused. Moves change no value: every output's FMA chain is the same.
 */
interface GemmPacking {
    /** Spare floats past every scratch array: a masked access near the end stays whole (a crossing one allocates). */
    int SPARE = 16;

    /**
     * This thread's array of {@code local}, grown to at least {@code size} (and {@link #SPARE}): allocation-free once
     * warm.
     *
     * @param local the per-thread array
     * @param size  the floats needed
     * @return the array
     */
    static float[] scratch(ThreadLocal<float[]> local, int size) {
        float[] t = local.get();
        if (t == null || t.length < size) {
            t = new float[size + SPARE];
            local.set(t);
        }
        return t;
    }

    /**
     * Lanes of this copy's vectors.
     *
     * @return L
     */
    int lanes();

    /**
     * The strip of B's columns {@code [j, j + cols)} ({@code B[p, j] = b[off + p·bp + j·bj]}) into {@code dst} at
     * {@code d0}, as every product reads it: 4 floats a row for a quarter strip, L for a narrow one, else NR.
     */
    void packStrip(int k, float[] b, int off, int bp, int bj, int cols, float[] dst, int d0);

    /** {@code cols} ≤ NR columns of B as a whole strip, NR floats a row, zero-padded. */
    void packWhole(int k, float[] b, int off, int bp, int bj, int cols, float[] dst, int d0);

    /**
     * A ({@code A[i,p] = a[aOff + i·lda + p·ap]}) in panels of {@code mr} rows, k-major within a panel:
     * {@code pa[i·k + p·mr + r] = A[i + r, p]}, the last row repeated past m.
     */
    void packA(int m, int k, float[] a, int aOff, int lda, int ap, int mr, float[] pa);

    /** {@code x[rows×cols]} (row stride ld) into {@code t[cols×rows]}. */
    void transpose(float[] x, int off, int ld, int rows, int cols, float[] t);

    /** C = epilogue(ct transposed), where {@code ct} holds the raw Cᵀ (n×m). */
    void untranspose(float[] ct, int m, int n, float[] c, int cOff, int ldc, boolean accumulate, float[] bias,
                     int biasOff, boolean relu);

    /** The first {@code rows} × {@code cols} (≤ NR) of a tile buffer (NR floats a row, from {@code o0}) into C. */
    void copyOut(float[] out, int o0, int rows, int cols, float[] c, int pc, int ldc);

    /**
     * The epilogue of {@link GemmKernel} over rows×cols of C that hold raw products: {@code r = (accumulate ? old +
     * r : r) + bias; max(r, 0)}. With accumulate, {@code old} comes from {@code prev} (C's values before the call).
     */
    void finish(float[] c, int cOff, int ldc, int rows, int cols, float[] prev, int pOff, int ldp, float[] bias,
                int biasOff, boolean relu);
}
