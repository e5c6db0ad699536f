package simdvae.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import simdvae.core.BitEquality;
import simdvae.kernels.Kernels;

/**
 * The data of one VAE minibatch that the elementwise benchmarks share: batch 50 × 784 pixels of logits and targets,
 * the 50×512 hidden layer, the [μ | log σ²] head, and the width's kernels.
 */
@State(Scope.Thread)
public class Batch {
    static final int BATCH = 50;
    static final int PIXELS = 784;
    static final int HIDDEN = 512;
    static final int LATENT = 2;

    @Param({"scalar", "128", "256", "512", "auto"})
    public String width;

    Kernels k;
    float[] x;
    float[] y;
    float[] targets;
    float[] head;
    float[] dHead;
    float[] loss;
    float[] hidden;
    float[] sums;

    @Setup
    public void setup() {
        k = BenchSupport.kernels(width);
        int n = BATCH * PIXELS;
        x = BenchSupport.random(1, n, -8, 8);
        y = new float[n];
        targets = BenchSupport.random(2, n, 0, 1);
        head = BenchSupport.random(3, BATCH * 2 * LATENT, -2, 2);
        dHead = new float[BATCH * 2 * LATENT];
        loss = new float[BATCH];
        hidden = BenchSupport.random(4, BATCH * HIDDEN, -1, 1);
        sums = new float[HIDDEN];
    }

    int size() {
        return x.length;
    }

    /**
     * The output of a pass over the whole batch, counted: {@code size()} elements produced.
     *
     * @param c the counters
     * @return {@code y}, for JMH to consume
     */
    float[] counted(Counters c) {
        c.elements += size();
        return y;
    }

    /** An elementwise kernel's call: n results into y from x. */
    interface Elementwise {
        void apply(float[] x, int xOff, float[] y, int yOff, int n);
    }

    /**
     * Requires {@code kernel} to give the bits of {@code reference} over the batch's x, before anything is timed.
     *
     * @param what      the kernel, for the message ("exp", …), which adds the width
     * @param reference the scalar kernel
     * @param kernel    the kernel of this width
     */
    void requireSame(String what, Elementwise reference, Elementwise kernel) {
        float[] ref = new float[size()];
        reference.apply(x, 0, ref, 0, size());
        kernel.apply(x, 0, y, 0, size());
        BitEquality.require(ref, y, what + " at " + width);
    }
}