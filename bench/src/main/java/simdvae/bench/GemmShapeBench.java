package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * A product of the VAE's, timed ({@link GemmShape}): {@link GemmBench} and its baselines ({@link GemmBaselineBench})
 * run the same shapes and count their flop alike, so that their rows compare. JMH reads the shape parameter and the
 * benchmark method from this superclass.
 */
public abstract class GemmShapeBench extends KernelBench {
    @Param({"NN_50_512_784", "NN_50_784_512", "NT_50_512_784", "NT_50_784_512", "TN_784_512_50", "TN_512_784_50",
        "NN_50_4_512", "NN_128_512_784", "NT_128_512_784", "TN_784_512_128"})
    public String shape;

    /** The product's operands, from {@link #shape} (set by {@link #parseShape}). */
    GemmShape s;
    /** Where the product goes. */
    float[] c;

    /** Sets {@link #s} from the shape parameter and makes {@link #c} for its result. */
    void parseShape() {
        s = GemmShape.parse(shape);
        c = new float[s.m() * s.n()];
    }

    /** One product of {@link #s} into {@link #c}. */
    abstract void multiply();

    @Benchmark
    public float[] gemm(Counters counters) {
        multiply();
        counters.flop += s.flop();
        return c;
    }
}
