package simdvae.vae.model;

import simdvae.kernels.GemmKernel;
import simdvae.kernels.GemmPackedB;
import simdvae.kernels.Layout;
import simdvae.kernels.ParallelKernels;

/**
 * A dense layer: its place in the one parameter buffer (W, in×out row-major, then b, out values), and its forward
 * and backward passes on a batch. All matrices are dense row-major with the batch as rows. Inference runs the forward
 * pass on W packed once ({@link #pack}), training on W as it stands in the buffer: the same bits either way.
 *
 * @param in     inputs a row
 * @param out    outputs a row
 * @param offset where its weights (in × out, row-major) start in the parameter buffer; its out biases follow
 * @param relu whether ReLU follows (fused into the GEMM epilogue forward, masked by the output backward)
 */
public record Dense(int in, int out, int offset, boolean relu) {
    /**
     * Where the weights are.
     *
     * @return where the weights (in × out, row-major) start in the parameter buffer
     */
    public int weightOffset() {
        return offset;
    }

    /**
     * Where the biases are.
     *
     * @return where the out biases start, right after the weights
     */
    public int biasOffset() {
        return offset + in * out;
    }

    /**
     * Parameters of this layer: in·out weights and out biases.
     *
     * @return in·out weights and out biases
     */
    public int size() {
        return in * out + out;
    }

    /**
     * {@code y[batch×out] = act(x[batch×in]·W + b)}.
     *
     * @param kernels the kernels to run on
     * @param batch  rows
     * @param x      the input, batch × in
     * @param params the parameter buffer
     * @param y      the output, batch × out
     */
    public void forward(ParallelKernels kernels, int batch, float[] x, float[] params, float[] y) {
        kernels.gemm(kernels.product().shape(Layout.NN, batch, out, in).a(x, 0, in).b(params, weightOffset(), out)
                .c(y, 0, out).bias(params, biasOffset()).relu(relu));
    }

    /**
     * {@link #forward(ParallelKernels, int, float[], float[], float[])} on W packed once by {@link #pack} (with the
     * kernels of the same width): the same bits, without packing W's strips again on every call.
     *
     * @param kernels the kernels to run on, of the width that packed {@code w}
     * @param batch   rows
     * @param x       the input, batch × in
     * @param w       this layer's weights, packed
     * @param params  the parameter buffer (the bias is read from it)
     * @param y       the output, batch × out
     */
    public void forward(ParallelKernels kernels, int batch, float[] x, GemmPackedB w, float[] params, float[] y) {
        kernels.gemm(kernels.product().shape(Layout.NN, batch, out, in).a(x, 0, in).b(w, 0).c(y, 0, out)
                .bias(params, biasOffset()).relu(relu));
    }

    /**
     * This layer's weights as {@code gemm} packs a product's B, for {@link #forward(ParallelKernels, int, float[],
     * GemmPackedB, float[], float[])}.
     *
     * @param gemm   the kernel that will read them (a packed B belongs to one width and register tile)
     * @param params the parameter buffer
     * @param into   an earlier packing of this layer by the same kernel, overwritten (nothing allocated), or null
     * @return the packed weights: {@code into} when given
     */
    public GemmPackedB pack(GemmKernel gemm, float[] params, GemmPackedB into) {
        return gemm.pack(false, in, out, params, weightOffset(), out, into);
    }

    /**
     * From {@code dy[batch×out]}, the gradient of the loss with respect to this layer's output y: masks it by ReLU in
     * place (when {@code relu}), writes {@code dW = xᵀ·dy} and {@code db = Σ_rows dy} into {@code grads}
     * (overwriting), and {@code dx[batch×in] = dy·Wᵀ} unless {@code dx} is null (the first layer needs none).
     *
     * @param kernels the kernels to run on
     * @param batch  rows
     * @param x      the forward input, batch × in
     * @param y      the forward output, batch × out
     * @param dy     the gradient with respect to y (masked in place when relu)
     * @param params the parameter buffer
     * @param grads  the gradient buffer (this layer's part overwritten)
     * @param dx     the gradient with respect to x (output), or null
     */
    public void backward(ParallelKernels kernels, int batch, float[] x, float[] y, float[] dy, float[] params,
                         float[] grads, float[] dx) {
        if (relu) {
            kernels.reluBackward(y, 0, dy, 0, dy, 0, batch * out);
        }
        kernels.gemm(kernels.product().shape(Layout.TN, in, out, batch).a(x, 0, in).b(dy, 0, out)
                .c(grads, weightOffset(), out));
        kernels.columnSums(batch, out, dy, 0, out, grads, biasOffset(), false);
        if (dx != null) {
            kernels.gemm(kernels.product().shape(Layout.NT, batch, in, out).a(dy, 0, out).b(params, weightOffset(), out)
                    .c(dx, 0, in));
        }
    }
}
