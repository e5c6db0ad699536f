package simdvae.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import simdvae.core.BitEquality;
import simdvae.core.WorkerPool;
import simdvae.kernels.Layout;
import simdvae.kernels.MatrixProduct;
import simdvae.kernels.ParallelKernels;

/**
 * GEMM on the VAE's products, single-threaded or split over a worker pool ({@code threads}). A shape is
 * {@code LAYOUT_m_n_k}: the forward products (NN, with the bias + ReLU epilogue), the input gradients (NT) and the
 * weight gradients (TN) at batch 50 and 128, and the 4-wide latent head. The {@code flop} counter gives flop/s.
 * {@code registers} picks the register tile: {@code auto} is the file this JVM has (run a fork with {@code
 * -jvmArgsAppend -XX:UseAVX=2} for an AVX2 CPU's 16 registers), 16 or 32 force a tile. {@code packed=true} runs an NN
 * product on B packed once in {@code @Setup} (a model's weights in inference) instead of packing it every call.
 */
public class GemmBench extends GemmShapeBench {
    @Param({"scalar", "128", "256", "512", "auto"})
    public String width;

    @Param({"1"})
    public int threads;

    @Param({"auto"})
    public String registers;

    @Param({"false"})
    public boolean packed;

    private WorkerPool pool;
    private ParallelKernels gemm;
    private MatrixProduct product;

    @Setup
    public void setup() {
        pool = new WorkerPool(threads);
        gemm = new ParallelKernels(BenchSupport.kernels(width, registers), pool);
        parseShape();
        float[] bias = s.layout() == Layout.NN ? BenchSupport.random(3, s.n(), -1, 1) : null;
        product = s.product(c, bias);
        if (packed) {
            if (s.layout() != Layout.NN) {
                throw new IllegalStateException("skipped: packed B is for NN products, not " + shape);
            }
            product.b(gemm.kernels().gemm().pack(false, s.k(), s.n(), s.b(), 0, s.ldb(), null), 0);
        }
        gemm.gemm(product);
        BitEquality.require(s.expected(bias), c, "GEMM " + shape + " at " + width);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Override
    void multiply() {
        gemm.gemm(product);
    }
}
