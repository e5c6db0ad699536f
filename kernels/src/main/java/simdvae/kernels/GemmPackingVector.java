package simdvae.kernels;

import static simdvae.kernels.GemmPacking.scratch;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * {@link GemmPacking} on the Vector API: {@link GemmVector}'s packing routines and the moves of its results into C, at
 * the width of this copy of the template ({@link Specializer}; {@link GemmVector} makes one with each of its copies,
 * so the species is a constant here too). B's strips are NR = NV·L floats a row, or L for a narrow strip, or 4 for a
 * quarter one; transposes move 16 × 16 blocks through registers at 512 bits ({@link Transpose16}), element by element
 * at other widths.
 */
final class GemmPackingVector implements GemmPacking {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    /** Four lanes, for strips of at most four columns (the N = 4 head) when L is wider. */
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    private static final int Q = S4.length();
    /** Whether transposes go by 16 × 16 blocks in registers (Transpose16); other widths go element-wise. */
    private static final boolean TRANSPOSE16 = L == 16;

    /** Vectors of a packed strip of B and of a register tile (2 or 3). */
    private final int nv;
    /** Columns of a packed strip of B and of a tile buffer (nr = nv·L). */
    private final int nr;
    /** An L × L block of Cᵀ on its way back into C. */
    private final ThreadLocal<float[]> blocks = new ThreadLocal<>();

    /**
     * The packing of a kernel whose register tiles are {@code vectors} vectors wide.
     *
     * @param vectors NV: 2 or 3
     */
    public GemmPackingVector(int vectors) {
        this.nv = vectors;
        this.nr = vectors * L;
    }

    @Override
    public int lanes() {
        return L;
    }

    /** C = epilogue(ct transposed), where {@code ct} holds the raw Cᵀ (n×m), transposed L × L blocks at a time. */
    @Override
    public void untranspose(float[] ct, int m, int n, float[] c, int cOff, int ldc, boolean accumulate,
                            float[] bias, int biasOff, boolean relu) {
        int wi = TRANSPOSE16 ? m - m % L : 0;
        int wj = TRANSPOSE16 ? n - n % L : 0;
        float[] block = scratch(blocks, L * L);
        for (int j = 0; j < wj; j += L) {
            for (int i = 0; i < wi; i += L) {
                Transpose16.transpose16(ct, j * m + i, m, block, 0, L);
                for (int e = 0; e < L; e++) {
                    int row = cOff + (i + e) * ldc + j;
                    FloatVector r = FloatVector.fromArray(S, block, e * L);
                    if (accumulate) {
                        r = FloatVector.fromArray(S, c, row).add(r);
                    }
                    if (bias != null) {
                        r = r.add(FloatVector.fromArray(S, bias, biasOff + j));
                    }
                    if (relu) {
                        r = r.max(0f);
                    }
                    r.intoArray(c, row);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = i < wi ? wj : 0; j < n; j++) {
                float r = ct[j * m + i];
                if (accumulate) {
                    r = c[row + j] + r;
                }
                if (bias != null) {
                    r = r + bias[biasOff + j];
                }
                c[row + j] = relu ? Math.max(r, 0f) : r;
            }
        }
    }

    /** {@code x[rows×cols]} (row stride ld) into {@code t[cols×rows]}, L × L blocks at a time. */
    @Override
    public void transpose(float[] x, int off, int ld, int rows, int cols, float[] t) {
        int wr = TRANSPOSE16 ? rows - rows % L : 0;
        int wq = TRANSPOSE16 ? cols - cols % L : 0;
        for (int r = 0; r < wr; r += L) {
            for (int q = 0; q < wq; q += L) {
                Transpose16.transpose16(x, off + r * ld + q, ld, t, q * rows + r, rows);
            }
        }
        for (int r = 0; r < rows; r++) {
            int src = off + r * ld;
            for (int q = r < wr ? wq : 0; q < cols; q++) {
                t[q * rows + r] = x[src + q];
            }
        }
    }

    /**
     * The strip of B's columns {@code [j, j + cols)} (from {@code off}) into {@code dst} at {@code d0}, as every
     * product reads it: {@value #Q} floats a row for a quarter strip, L for a narrow one, else nr.
     */
    @Override
    public void packStrip(int k, float[] b, int off, int bp, int bj, int cols, float[] dst, int d0) {
        if (cols <= Q && L > Q) {
            packQuarter(k, b, off, bp, bj, cols, dst, d0);
        } else if (cols <= L) {
            packAt(k, b, off, bp, bj, cols, dst, d0, L);
        } else {
            packWhole(k, b, off, bp, bj, cols, dst, d0);
        }
    }

    /** {@code cols} ≤ NR columns of B as a whole strip, NR floats a row, zero-padded. */
    @Override
    public void packWhole(int k, float[] b, int off, int bp, int bj, int cols, float[] dst, int d0) {
        packAt(k, b, off, bp, bj, cols, dst, d0, nr);
    }

    /** {@code cols} ≤ {@code stride} columns of B, {@code stride} floats a row: from its columns or its rows. */
    private void packAt(int k, float[] b, int off, int bp, int bj, int cols, float[] dst, int d0, int stride) {
        if (bj != 1 && bp == 1) {
            packColumns(k, b, off, bj, cols, dst, d0, stride);
        } else {
            pack(k, b, off, bp, bj, cols, dst, d0, stride);
        }
    }

    /**
     * A ({@code A[i,p] = a[aOff + i·lda + p·ap]}) in panels of MR rows, k-major within a panel:
     * {@code pa[i·k + p·MR + r] = A[i + r, p]}, the last row repeated past m. Row by row where A's rows are
     * contiguous (a 50 × 784 A: 12 µs, against 32 µs element by element across the rows, 8 % of the product at 256
     * bits); TN's A (ap = its ld) packs by contiguous runs of MR, with no transpose.
     */
    @Override
    public void packA(int m, int k, float[] a, int aOff, int lda, int ap, int mr, float[] pa) {
        for (int i = 0; i < m; i += mr) {
            if (ap == 1) {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + Math.min(i + r, m - 1) * lda;
                    for (int p = 0, dst = i * k + r; p < k; p++, dst += mr) {
                        pa[dst] = a[src + p];
                    }
                }
            } else if (i + mr <= m) {
                for (int p = 0, dst = i * k, src = aOff + i * lda; p < k; p++, dst += mr, src += ap) {
                    for (int r = 0; r < mr; r++) {
                        pa[dst + r] = a[src + r * lda];
                    }
                }
            } else {
                for (int p = 0, dst = i * k; p < k; p++, dst += mr) {
                    int src = aOff + p * ap;
                    for (int r = 0; r < mr; r++) {
                        pa[dst + r] = a[src + Math.min(i + r, m - 1) * lda];
                    }
                }
            }
        }
    }

    /**
     * {@code cols} ≤ {@code stride} columns of B into {@code strip[p·stride + j]}, zero past {@code cols}; the
     * stride is nr, or L for a narrow strip. Vector copies where B's rows are contiguous.
     */
    private void pack(int k, float[] b, int off, int bp, int bj, int cols, float[] strip, int d0, int stride) {
        if (bj == 1 && cols == nr) {
            // The common whole strip on its own: the general loop below (a lane count, a branch and a mask per
            // vector) cost 2.5× as much, and packing was 40 % of the forward GEMMs in training (measured).
            if (nv == 2) {
                for (int p = 0, src = off, dst = d0; p < k; p++, src += bp, dst += nr) {
                    FloatVector.fromArray(S, b, src).intoArray(strip, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(strip, dst + L);
                }
            } else {
                for (int p = 0, src = off, dst = d0; p < k; p++, src += bp, dst += nr) {
                    FloatVector.fromArray(S, b, src).intoArray(strip, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(strip, dst + L);
                    FloatVector.fromArray(S, b, src + 2 * L).intoArray(strip, dst + 2 * L);
                }
            }
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0, src = off, dst = d0; p < k; p++, src += bp, dst += stride) {
            for (int v = 0; v < stride; v += L) {
                int w = Math.min(L, cols - v);
                if (bj == 1 && w == L) {
                    FloatVector.fromArray(S, b, src + v).intoArray(strip, dst + v);
                } else if (bj == 1 && w > 0 && src + v + L <= b.length) {
                    FloatVector.fromArray(S, b, src + v, S.indexInRange(0, w)).intoArray(strip, dst + v);
                } else {
                    zero.intoArray(strip, dst + v);
                    for (int q = 0; q < w; q++) {
                        strip[dst + v + q] = b[src + (v + q) * bj];
                    }
                }
            }
        }
    }

    /**
     * {@link #pack} for a strip of at most {@value #Q} columns, {@value #Q} floats a row: at the stride of a whole
     * vector the strip of the k = 512 head filled L1 by itself, and its tile ran at half speed (measured).
     */
    private static void packQuarter(int k, float[] b, int off, int bp, int bj, int cols, float[] strip, int d0) {
        for (int p = 0, src = off, dst = d0; p < k; p++, src += bp, dst += Q) {
            if (bj == 1 && cols == Q) {
                FloatVector.fromArray(S4, b, src).intoArray(strip, dst);
            } else {
                for (int q = 0; q < Q; q++) {
                    strip[dst + q] = q < cols ? b[src + q * bj] : 0f;
                }
            }
        }
    }

    /**
     * {@link #pack} for a B whose columns are contiguous ({@code B[p,j] = b[off + p + j·bj]}, a transposed operand):
     * L × L blocks transposed in registers, the rest element by element.
     */
    private void packColumns(int k, float[] b, int off, int bj, int cols, float[] strip, int d0, int stride) {
        int wk = TRANSPOSE16 ? k - k % L : 0;
        for (int v = 0; v < stride; v += L) {
            int w = Math.max(0, Math.min(L, cols - v));
            int whole = w == L ? wk : 0;
            for (int p = 0; p < whole; p += L) {
                Transpose16.transpose16(b, off + p + v * bj, bj, strip, d0 + p * stride + v, stride);
            }
            for (int p = whole; p < k; p++) {
                int dst = d0 + p * stride + v;
                FloatVector.zero(S).intoArray(strip, dst);
                for (int q = 0; q < w; q++) {
                    strip[dst + q] = b[off + p + (v + q) * bj];
                }
            }
        }
    }

    /** The first {@code rows} × {@code cols} (≤ NR) of a tile buffer (NR floats a row, from {@code o0}) into C. */
    @Override
    public void copyOut(float[] out, int o0, int rows, int cols, float[] c, int pc, int ldc) {
        if (cols <= L) {
            // a narrow or quarter strip (the latent head): one masked store a row
            VectorMask<Float> m = S.indexInRange(0, cols);
            for (int r = 0, row = pc, src = o0; r < rows; r++, row += ldc, src += nr) {
                FloatVector.fromArray(S, out, src).intoArray(c, row, m);
            }
            return;
        }
        int whole = cols - cols % L;
        VectorMask<Float> tail = S.indexInRange(whole, cols);
        for (int r = 0, row = pc, src = o0; r < rows; r++, row += ldc, src += nr) {
            int v = 0;
            for (; v < whole; v += L) {
                FloatVector.fromArray(S, out, src + v).intoArray(c, row + v);
            }
            if (v < cols) {
                FloatVector.fromArray(S, out, src + v).intoArray(c, row + v, tail);
            }
        }
    }

    /**
     * The epilogue of {@link GemmKernel} over rows×cols of C that hold raw products: {@code r = (accumulate ? old +
     * r : r) + bias; max(r, 0)}. With accumulate, {@code old} comes from {@code prev} (C's values before the call).
     */
    @Override
    public void finish(float[] c, int cOff, int ldc, int rows, int cols, float[] prev, int pOff, int ldp,
                       float[] bias, int biasOff, boolean relu) {
        for (int i = 0; i < rows; i++) {
            int row = cOff + i * ldc;
            int old = pOff + i * ldp;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector r = FloatVector.fromArray(S, c, row + j, m);
                if (prev != null) {
                    r = FloatVector.fromArray(S, prev, old + j, m).add(r);
                }
                if (bias != null) {
                    r = r.add(FloatVector.fromArray(S, bias, biasOff + j, m));
                }
                if (relu) {
                    r = r.max(0f);
                }
                r.intoArray(c, row + j, m);
            }
        }
    }
}
