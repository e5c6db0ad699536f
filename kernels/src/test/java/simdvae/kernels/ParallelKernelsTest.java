package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How far a call is split: by its work, so that small products stay on one thread and large ones use them all. */
class ParallelKernelsTest {
    private static final long DEFAULT = 1L << 19;

    /** The number of chunks {@code n} elements of {@code perElement} work make with {@code unit} as the least grain. */
    private static int chunks(int n, int unit, long perElement) {
        int g = ParallelKernels.grain(unit, perElement, DEFAULT);
        assertEquals(0, g % unit, "a grain is a multiple of its unit");
        return (n + g - 1) / g;
    }

    @Test
    void aSmallModelsProductsStayOnOneThread() {
        // a 9-64-4 model at batch 50: its largest product is 50 × 64 × 9, split by columns in 32-column blocks
        assertEquals(1, chunks(64, 32, 2L * 50 * 9));
        // the heads of the tutorial's model: 50 × 4 × 512, in row blocks of either tile's height
        for (int registers : TestSupport.REGISTER_FILES) {
            Kernels k = Kernels.of(simdvae.core.Width.AUTO, registers);
            assertEquals(1, chunks(50, k.gemmTile().rows(), 2L * 4 * 512));
        }
        // ReLU's backward pass over a 50 × 512 hidden layer
        assertEquals(1, chunks(50 * 512, 1024, 4));
    }

    @Test
    void aLargeProductSplitsAndEachChunkHoldsTheLeastWork() {
        // the tutorial's first layer at batch 50: 50 × 512 × 784 by column blocks of 32
        long perColumn = 2L * 50 * 784;
        int chunks = chunks(512, 32, perColumn);
        assertTrue(chunks >= 8, "a 40-MFLOP product splits into many chunks, got " + chunks);
        int g = ParallelKernels.grain(32, perColumn, DEFAULT);
        assertTrue(g * perColumn >= DEFAULT, "each chunk holds at least the least work");
        assertTrue((g - 32) * perColumn < DEFAULT, "and no more tiles than that needs");
        // Adam over the tutorial's 1.2 million parameters
        assertTrue(chunks(1_200_000, 1024, 24) > 16);
    }

    @Test
    void workOfOneSplitsAtEveryUnit() {
        assertEquals(32, ParallelKernels.grain(32, 1000, 1));
        assertEquals(1, ParallelKernels.grain(1, 1, 1));
    }
}
