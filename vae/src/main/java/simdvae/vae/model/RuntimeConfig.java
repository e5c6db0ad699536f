package simdvae.vae.model;

import static simdvae.vae.model.ModelConfig.require;

import simdvae.core.Width;

/**
 * Where a model runs: threads and SIMD width. They change only the speed, never a result (the determinism
 * contract), so model files and checkpoints do not keep them.
 *
 * @param threads worker threads (0: every processor)
 * @param width   the SIMD width of the kernels
 */
public record RuntimeConfig(int threads, Width width) implements java.io.Serializable {
    /** Checks both values. */
    public RuntimeConfig {
        require(threads >= 0, "threads must be at least 1 (or 0 for all processors), got " + threads);
        require(width != null, "width must be given");
    }

    /**
     * Every processor, the CPU's widest vectors.
     *
     * @return the configuration
     */
    public static RuntimeConfig defaults() {
        return new RuntimeConfig(0, Width.AUTO);
    }

    /**
     * The thread count {@link #threads()} stands for.
     *
     * @return at least 1
     */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
