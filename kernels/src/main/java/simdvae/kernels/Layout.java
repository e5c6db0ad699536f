package simdvae.kernels;

/**
 * The operand layouts of {@code C = op(A)·op(B)} that a dense layer's forward and backward passes need. All matrices
 * are row-major with a leading dimension (row stride).
 */
public enum Layout {
    /** {@code C[m×n] = A[m×k]·B[k×n]}: forward, {@code X·W}. */
    NN,
    /** {@code C[m×n] = A[m×k]·B[n×k]ᵀ}: input gradient, {@code dY·Wᵀ}. */
    NT,
    /** {@code C[m×n] = A[k×m]ᵀ·B[k×n]}: weight gradient, {@code Xᵀ·dY}. */
    TN
}
