package simdvae.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads for data-parallel kernels. {@link #forEach} splits a range of <em>output elements</em>
 * into one contiguous chunk per thread; the calling thread takes the first chunk. Since no output element is ever
 * shared between chunks and each element is computed the same way in any chunk, results do not depend on the thread
 * count (the determinism contract). A call allocates nothing.
 *
 * <p>One job runs at a time (callers from other threads wait); a {@code forEach} from inside a job runs inline.
 * {@link #close()} stops and joins the threads.
 */
public final class WorkerPool implements AutoCloseable {
    /** Work on the output elements {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        /**
         * Computes some output elements.
         *
         * @param start the first
         * @param end   one past the last
         */
        void run(int start, int end);
    }

    private static final int SPINS = 20_000;
    /** The pools of {@link #shared}, by thread count. */
    private static final java.util.Map<Integer, WorkerPool> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger remaining = new AtomicInteger();
    /**
     * Per worker, the generation of the last job it was given a part of. Only the workers a job needs are signalled:
     * with one shared generation an idle worker could wake late, read the next job's fields, and run a part twice
     * (seen as a hang with 3 threads on 2 cores). Job fields are written before the signal and read after it.
     */
    private final AtomicLongArray signals;
    private RangeTask task;
    private int size;
    private int grain;
    private int parts;
    private long generation;
    private volatile Thread waiter;
    /** Each chunk's failure, by chunk: read by the caller after the join, whose counter orders the writes. */
    private final Throwable[] failures;
    private volatile boolean closed;
    /** Whether this is one of the {@link #shared} pools, which {@link #close} leaves running. */
    private final boolean isShared;
    private volatile Thread owner;

    /** A pool of {@link Runtime#availableProcessors()} threads (the caller counts as one). */
    public WorkerPool() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A pool of {@code threads} threads, the caller included: {@code threads - 1} are started.
     *
     * @param threads at least 1
     */
    public WorkerPool(int threads) {
        this(threads, false);
    }

    private WorkerPool(int threads, boolean shared) {
        this.isShared = shared;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.failures = new Throwable[threads];
        this.signals = new AtomicLongArray(threads - 1);
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("simdvae-worker-" + part).unstarted(() -> workLoop(part));
            workers[i].start();
        }
    }

    /**
     * The pool of {@code threads} threads that every caller in this JVM asking for that many shares (inference on
     * many rows, say): started on first use and never stopped (its threads are daemons, parked when idle);
     * {@link #close} leaves it running. Jobs from several callers run one after another.
     *
     * @param threads at least 1
     * @return the shared pool
     */
    public static WorkerPool shared(int threads) {
        return SHARED.computeIfAbsent(threads, t -> new WorkerPool(t, true));
    }

    /**
     * Threads that share a job, the caller included.
     *
     * @return the thread count
     */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks whose bounds are
     * multiples of {@code grain} (except the end, {@code n}). Returns when every chunk is done; if any failed,
     * throws the failure of the lowest failed chunk (so the same one whatever the timing), the others suppressed.
     *
     * @param n     the number of output elements
     * @param grain the chunk bounds' multiple (a register tile's rows, say)
     * @param task  the work on one chunk
     */
    public void forEach(int n, int grain, RangeTask task) {
        if (grain < 1) {
            throw new IllegalArgumentException("grain must be at least 1, got " + grain);
        }
        Thread self = Thread.currentThread();
        if (owner == self || isWorker(self)) {
            // Called from inside a job: the other threads are busy with it, so this part runs here.
            if (n > 0) {
                task.run(0, n);
            }
            return;
        }
        runJob(n, grain, task);
    }

    private synchronized void runJob(int n, int grain, RangeTask task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        int p = (int) Math.min(threads, ((long) n + grain - 1) / grain);
        if (p <= 1) {
            if (n > 0) {
                owner = Thread.currentThread();
                try {
                    task.run(0, n);
                } finally {
                    owner = null;
                }
            }
            return;
        }
        owner = Thread.currentThread();
        this.task = task;
        this.size = n;
        this.grain = grain;
        this.parts = p;
        remaining.set(p - 1);
        waiter = Thread.currentThread();
        generation = generation + 1;
        for (int i = 0; i < p - 1; i++) {
            signals.set(i, generation);
            LockSupport.unpark(workers[i]);
        }
        try {
            task.run(0, bound(1));
        } catch (Throwable t) {
            failures[0] = t;
        }
        for (int spin = 0; remaining.get() != 0; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        this.task = null;
        owner = null;
        Throwable t = null;
        for (int i = 0; i < p; i++) {
            if (failures[i] != null) {
                if (t == null) {
                    t = failures[i];
                } else if (failures[i] != t) {
                    t.addSuppressed(failures[i]);
                }
                failures[i] = null;
            }
        }
        if (t != null) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    /** Stops the threads and waits for them to end. Idempotent; a {@link #shared} pool keeps running. */
    @Override
    public synchronized void close() {
        if (closed || isShared) {
            return;
        }
        closed = true;
        generation = generation + 1;
        for (int i = 0; i < workers.length; i++) {
            signals.set(i, generation);
            LockSupport.unpark(workers[i]);
        }
        boolean interrupted = false;
        for (Thread w : workers) {
            while (w.isAlive()) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private int bound(int part) {
        if (part >= parts) {
            return size;
        }
        long raw = (long) size * part / parts;
        return (int) Math.min(size, (raw + grain - 1) / grain * grain);
    }

    private boolean isWorker(Thread t) {
        for (Thread w : workers) {
            if (w == t) {
                return true;
            }
        }
        return false;
    }

    private void workLoop(int part) {
        long seen = 0;
        while (true) {
            long g;
            for (int spin = 0; (g = signals.get(part - 1)) == seen; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = g;
            if (closed) {
                return;
            }
            try {
                int start = bound(part);
                int end = bound(part + 1);
                if (start < end) {
                    task.run(start, end);
                }
            } catch (Throwable t) {
                failures[part] = t;
            }
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        }
    }
}
