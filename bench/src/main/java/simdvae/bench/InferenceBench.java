package simdvae.bench;

import java.util.List;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import simdvae.core.BitEquality;
import simdvae.core.Width;
import simdvae.vae.Encoding;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.internal.network.Inference;

/**
 * Inference as an embedding application calls it: {@link Vae#encode} of the tutorial's model (784 → 512 → 2) on
 * {@code rows} rows, one call per operation, from one thread. {@code rows} counts rows encoded per second, so one
 * row measures the per-call cost and 256 the throughput. With {@code -p threads=2 -p rows=4096} it measures how
 * large inputs scale over the model's threads. {@code packed=false} reads the weights in place in every product
 * instead of packed once per model.
 */
public class InferenceBench extends KernelBench {
    @Param({"scalar", "128", "256", "512", "auto"})
    public String width;

    @Param({"1", "256"})
    public int rows;

    /** The model's threads: inference on more than 64 rows shares the rows among them ({@code -p threads=2}). */
    @Param({"1"})
    public int threads;

    /** The weights packed once per model (the library's default), or read in place by every product. */
    @Param({"true"})
    public boolean packed;

    private Vae vae;
    private float[][] x;

    /** Counts rows encoded per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rows {
        public long rows;
    }

    @Setup
    public void setup() {
        BenchSupport.kernels(width);
        vae = BenchSupport.withPackedWeights(packed, () -> Vae.create(VaeConfig.defaults().withHidden(List.of(512))
                .withThreads(threads).withWidth(Width.parse(width))));
        float[] pixels = BenchSupport.random(11, rows * 784, 0, 1);
        x = new float[rows][784];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(pixels, i * 784, x[i], 0, 784);
        }
        float[] reference = vae.withWidth(Width.SCALAR).encode(x).mu()[rows - 1];
        BitEquality.require(reference, encode(new Rows()).mu()[rows - 1], "encode at " + width);
    }

    @Benchmark
    public Encoding encode(Rows counter) {
        counter.rows += rows;
        return vae.encode(x);
    }
}
