package simdvae.bench;

import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import simdvae.core.Width;
import simdvae.vae.Trainer;
import simdvae.vae.TrainingListener;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.Dataset;

/**
 * One training step of the tutorial's VAE (forward, loss, backward, Adam) on one batch of synthetic digits: an
 * epoch over a data set of exactly one batch. {@code model} is input-hidden-latent: the tutorial's 784-512-2 by
 * default; {@code -p model=9-64-4} is a small table's model, whose step is overhead more than arithmetic. {@code samples} counts images per second; run with {@code -prof gc}
 * to see the allocation per step ({@code gc.alloc.rate.norm}).
 */
public class TrainStepBench extends KernelBench {
    @Param({"auto"})
    public String width;

    @Param({"1", "2"})
    public int threads;

    @Param({"50", "128"})
    public int batch;

    @Param({"784-512-2"})
    public String model;

    private Trainer trainer;
    private Dataset data;

    /** Counts images trained per second. */
    @State(Scope.Thread)
    @org.openjdk.jmh.annotations.AuxCounters(org.openjdk.jmh.annotations.AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;
    }

    @Setup
    public void setup() {
        BenchSupport.kernels(width);
        String[] sizes = model.split("-");
        int input = Integer.parseInt(sizes[0]);
        float[][] rows = new float[batch][input];
        float[] pixels = BenchSupport.random(9, batch * input, 0, 1);
        for (int i = 0; i < batch; i++) {
            System.arraycopy(pixels, i * input, rows[i], 0, input);
        }
        data = Dataset.of(rows);
        VaeConfig config = VaeConfig.defaults().withInput(input).withHidden(List.of(Integer.parseInt(sizes[1])))
                .withLatent(Integer.parseInt(sizes[2])).withBatch(batch).withThreads(threads)
                .withWidth(Width.parse(width));
        // Compile the step before JMH's warm-up: on a 2-core machine a 2-thread step leaves the JIT no core, and
        // took ~7 s to reach its steady state (1 thread: ~2.5 s). Warming on one thread compiles the same code
        // (nothing in it depends on the thread count) with a core to spare; then warm-up only has to settle.
        try (Trainer warm = new Trainer(Vae.create(config.withThreads(1)))) {
            BenchSupport.warmUntilSteady(() -> warm.trainEpoch(data), 4.0);
        }
        trainer = new Trainer(Vae.create(config));
    }

    @TearDown
    public void tearDown() {
        trainer.close();
    }

    @Benchmark
    public TrainingListener.EpochResult step(Samples counter) {
        counter.samples += batch;
        return trainer.trainEpoch(data);
    }
}
