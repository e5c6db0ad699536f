package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import simdvae.core.BitEquality;
import simdvae.kernels.AdamKernel;
import simdvae.kernels.AdamScalar;
import simdvae.kernels.Kernels;

/** One Adam step over the default VAE's 807,700 parameters; {@code elements} counts parameters per second. */
public class AdamBench extends KernelBench {
    static final int PARAMS = 807_700;

    @Param({"scalar", "128", "256", "512", "auto"})
    public String width;

    private Kernels k;
    private float[] p;
    private float[] g;
    private float[] m;
    private float[] v;
    private float alpha;

    @Setup
    public void setup() {
        k = BenchSupport.kernels(width);
        p = BenchSupport.random(5, PARAMS, -0.1f, 0.1f);
        g = BenchSupport.random(6, PARAMS, -0.01f, 0.01f);
        m = new float[PARAMS];
        v = new float[PARAMS];
        alpha = AdamKernel.alpha(1e-3, 0.9, 0.999, 10);
        float[] ref = p.clone();
        AdamScalar.INSTANCE.update(PARAMS, ref, g, new float[PARAMS], new float[PARAMS], 0, alpha, 0.9f, 0.999f,
                1e-7f);
        float[] got = p.clone();
        k.adam().update(PARAMS, got, g, new float[PARAMS], new float[PARAMS], 0, alpha, 0.9f, 0.999f, 1e-7f);
        BitEquality.require(ref, got, "adam at " + width);
    }

    @Benchmark
    public float[] adam(Counters c) {
        k.adam().update(PARAMS, p, g, m, v, 0, alpha, 0.9f, 0.999f, 1e-7f);
        c.elements += PARAMS;
        return p;
    }
}
