package simdvae.kernels;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import simdvae.core.WorkerPool;

/**
 * Worker pools that live as long as a test class ({@code @RegisterExtension static final}): the thread counts the
 * GEMM tests hold every product's bits at, started once rather than per case.
 */
final class WorkerPools implements BeforeAllCallback, AfterAllCallback {
    private final int[] threads;
    private WorkerPool[] pools;

    /**
     * Pools to start before the class's first test and close after its last.
     *
     * @param threads the thread count of each pool
     */
    WorkerPools(int... threads) {
        this.threads = threads.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        pools = new WorkerPool[threads.length];
        for (int i = 0; i < threads.length; i++) {
            pools[i] = new WorkerPool(threads[i]);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (WorkerPool pool : pools) {
            pool.close();
        }
    }

    /** The pools, started (between the class's first and last test). */
    WorkerPool[] all() {
        return pools;
    }
}
