package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Likelihood;

/**
 * The reference pass after training costs bounded memory whatever the data's size (issue 31: a Fashion-MNIST run
 * once held 200 MB more than it needed there). Bytes are counted, not timed: those every live thread allocated during
 * {@link Vae#calibrate} (the worker pool's threads included), and those the calibrated model keeps.
 */
class ReferenceMemoryTest {
    private static final int COLUMNS = 100;

    private static Dataset rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] rows = new float[n][COLUMNS];
        for (float[] row : rows) {
            double u = r.nextGaussian();
            for (int j = 0; j < COLUMNS; j++) {
                row[j] = (float) (u * (j % 3) + r.nextGaussian());
            }
        }
        return Dataset.of(rows);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long allocatedByCalibrate(Vae vae, Dataset rows) {
        long before = allocatedBytes();
        Vae calibrated = vae.calibrate(rows);
        long bytes = allocatedBytes() - before;
        assertTrue(calibrated.reference().rows() > 0);
        return bytes;
    }

    private static long usedAfterCollection() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void aReferencePassOverFourTimesTheRowsAllocatesAndKeepsNoMore() {
        VaeConfig config = VaeConfig.defaults().withLikelihood(Likelihood.GAUSSIAN).withHidden(List.of(64))
                .withLatent(4).withThreads(2);
        Dataset small = rows(20_000, 1);
        Dataset large = rows(80_000, 2);
        Vae vae = Vae.create(config, small);
        allocatedByCalibrate(vae, small); // loads and initialises the classes of the pass once
        long smallBytes = allocatedByCalibrate(vae, small);
        long largeBytes = allocatedByCalibrate(vae, large);
        // both passes score the same number of sampled rows (10,000 here); the large table is 32 MB of floats
        assertEquals(vae.calibrate(small).reference().rows(), vae.calibrate(large).reference().rows());
        assertTrue(largeBytes < 1.25 * smallBytes + (2 << 20),
                "80,000 rows: " + largeBytes + " bytes, 20,000 rows: " + smallBytes);
        // what the model keeps is summaries (at most 10,001 scores, 80 KB; typical values; drift bins: 128 KB
        // measured), never rows: less than a quarter of the sampled rows' 4 MB, whatever the table's 32 MB
        long before = usedAfterCollection();
        Vae kept = vae.calibrate(large);
        long retained = usedAfterCollection() - before;
        java.lang.ref.Reference.reachabilityFence(kept);
        long sampledBytes = 10_000L * COLUMNS * Float.BYTES;
        assertTrue(retained < sampledBytes / 4, retained + " bytes kept for " + sampledBytes + " bytes of sampled rows");
    }
}
