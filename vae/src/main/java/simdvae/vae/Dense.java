package simdvae.vae;

import simdvae.kernels.Layout;
import simdvae.kernels.ParallelKernels;

/**
 * A dense layer: its place in the one parameter buffer (W, in×out row-major, then b, out values), and its forward
 * and backward passes on a batch. All matrices are dense row-major with the batch as rows.
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
        kernels.gemm(Layout.NN, batch, out, in, x, 0, in, params, weightOffset(), out, y, 0, out, false, params,
                biasOffset(), relu);
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
        kernels.gemm(Layout.TN, in, out, batch, x, 0, in, dy, 0, out, grads, weightOffset(), out, false, null, 0, false);
        kernels.columnSums(batch, out, dy, 0, out, grads, biasOffset(), false);
        if (dx != null) {
            kernels.gemm(Layout.NT, batch, in, out, dy, 0, out, params, weightOffset(), out, dx, 0, in, false, null, 0,
                    false);
        }
    }
}
