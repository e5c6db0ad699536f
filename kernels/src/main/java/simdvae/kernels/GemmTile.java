package simdvae.kernels;

/**
 * The register tile a GEMM kernel runs: {@code rows} rows of C by {@code vectors} vectors of {@code lanes} columns,
 * sized for a file of {@code registers} vector registers. What a report says, so that a figure names the tile behind
 * it; tiles change which outputs are computed together, never an output's FMA chain, so never a result.
 *
 * @param rows      rows of a tile (MR)
 * @param vectors   vectors of columns (NR = vectors · lanes)
 * @param lanes     floats a vector (1 for the scalar reference)
 * @param registers the vector register file it is sized for (0 for the scalar reference)
 */
public record GemmTile(int rows, int vectors, int lanes, int registers) {
    /** The scalar reference: one element at a time. */
    public static final GemmTile SCALAR = new GemmTile(1, 1, 1, 0);

    /**
     * Accumulators the tile keeps in registers.
     *
     * @return rows × vectors
     */
    public int accumulators() {
        return rows * vectors;
    }

    /**
     * A short spelling for reports and metrics, e.g. {@code 6x16 (12 accumulators, 16 registers)}.
     *
     * @return the spelling
     */
    public String spelling() {
        return registers == 0 ? "scalar" : rows + "x" + vectors * lanes + " (" + accumulators() + " accumulators, "
                + registers + " registers)";
    }

    @Override
    public String toString() {
        return spelling();
    }
}
