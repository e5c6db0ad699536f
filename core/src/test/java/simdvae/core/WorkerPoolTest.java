package simdvae.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void everyElementIsVisitedExactlyOnceInGrainAlignedChunks() {
        for (int threads = 1; threads <= 4; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                qt().withExamples(100).forAll(integers().between(0, 5000), integers().between(1, 64))
                        .checkAssert((n, grain) -> {
                            AtomicIntegerArray seen = new AtomicIntegerArray(n);
                            pool.forEach(n, grain, (s, e) -> {
                                assertTrue(s % grain == 0, "chunk start " + s + " not a multiple of " + grain);
                                for (int i = s; i < e; i++) {
                                    seen.incrementAndGet(i);
                                }
                            });
                            for (int i = 0; i < n; i++) {
                                assertEquals(1, seen.get(i), "element " + i);
                            }
                        });
            }
        }
    }

    @Test
    void failuresReachTheCallerAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(3)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forEach(3000, 1, (s, end) -> {
                if (s > 0) {
                    throw boom;
                }
            }));
            assertSame(boom, e);
            int[] count = new int[1];
            pool.forEach(10, 1, (s, end) -> {
                synchronized (count) {
                    count[0] += end - s;
                }
            });
            assertEquals(10, count[0]);
        }
    }

    /** Every chunk fails: the first chunk's failure is thrown whatever the timing, the others ride along. */
    @Test
    void theLowestChunksFailureWinsAndTheOthersAreSuppressed() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int round = 0; round < 200; round++) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> pool.forEach(3000, 1, (s, end) -> {
                    throw new RuntimeException("chunk from " + s);
                }));
                assertEquals("chunk from 0", e.getMessage());
                assertEquals(2, e.getSuppressed().length);
            }
        }
    }

    @Test
    void nestedCallsRunInline() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(100);
            pool.forEach(10, 1, (s, e) -> pool.forEach(10, 1, (s2, e2) -> {
                for (int i = s; i < e; i++) {
                    for (int j = s2; j < e2; j++) {
                        seen.incrementAndGet(i * 10 + j);
                    }
                }
            }));
            for (int i = 0; i < 100; i++) {
                assertEquals(1, seen.get(i));
            }
        }
    }

    @Test
    void closeStopsEveryThread() {
        long before = liveWorkers();
        WorkerPool pool = new WorkerPool(4);
        assertEquals(before + 3, liveWorkers());
        pool.forEach(100, 1, (s, e) -> { });
        pool.close();
        pool.close();
        assertEquals(before, liveWorkers(), "close() joins its threads");
        assertThrows(IllegalStateException.class, () -> pool.forEach(100, 1, (s, e) -> { }));
    }

    private static long liveWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("simdvae-worker") && t.isAlive()).count();
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
        try (WorkerPool pool = new WorkerPool(1)) {
            assertThrows(IllegalArgumentException.class, () -> pool.forEach(10, 0, (s, e) -> { }));
        }
    }

    /**
     * Jobs that need every worker alternate with jobs that leave one idle, with more threads than cores: an idle
     * worker that wakes late must not take a part of the next job (it once ran a part twice and hung the pool).
     */
    @Test
    void idleWorkersNeverJoinALaterJob() {
        try (WorkerPool pool = new WorkerPool(4)) {
            int[] visits = new int[64];
            for (int job = 0; job < 20_000; job++) {
                int n = job % 2 == 0 ? 16 : 64; // 2 parts of grain 8, then 4 parts of grain 16
                pool.forEach(n, n == 16 ? 8 : 16, (start, end) -> {
                    for (int i = start; i < end; i++) {
                        visits[i]++;
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, visits[i], "job " + job + " element " + i);
                    visits[i] = 0;
                }
            }
        }
    }
}
