package simdvae.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a run's wall time went, stage by stage, for {@code metrics.json} ({@code "seconds"}) and for the progress
 * lines that tell a waiting user what the run is doing after its epochs. The time before {@code main} is measured
 * too: the launcher's own (it execs the JVM in its own process, and exports {@code SIMDVAE_EXEC_AT}, when it did in
 * seconds since the epoch) and the JVM's start to {@code main}.
 */
final class RunClock {
    /** When {@code main} started: the class is initialised by {@link #mainStarted()}, main's first statement. */
    private static final long MAIN_NANOS = System.nanoTime();
    private static final Instant MAIN_INSTANT = Instant.now();

    private final Map<String, Object> seconds = new LinkedHashMap<>();

    /** Called first thing in {@code main}, so that the clock's start is main's. */
    static void mainStarted() {
        // initialises the class
    }

    /** A clock with the time before {@code main} (launcher and JVM start) already recorded, where known. */
    RunClock() {
        // the launcher execs the JVM, so the process's start is the launcher's, and it says when it handed over
        Instant process = ProcessHandle.current().info().startInstant().orElse(null);
        String exec = System.getenv("SIMDVAE_EXEC_AT");
        Instant jvm = process;
        if (exec != null && exec.matches("[0-9]+([.,][0-9]+)?")) {
            double at = Double.parseDouble(exec.replace(',', '.'));
            jvm = Instant.ofEpochSecond((long) at, Math.round((at - Math.floor(at)) * 1e9));
            if (process != null) {
                seconds.put("launcher", round(Math.max(0, Duration.between(process, jvm).toNanos() / 1e9)));
            }
        }
        if (jvm != null) {
            seconds.put("jvm_start", round(Duration.between(jvm, MAIN_INSTANT).toNanos() / 1e9));
        }
    }

    /**
     * Runs a stage, saying so on stderr first when {@code message} is not null, and records its seconds (added to
     * the stage's earlier time, if any).
     */
    <T> T stage(String name, String message, Supplier<T> work) {
        if (message != null) {
            System.err.println("simdvae: " + message);
        }
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(name, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** {@link #stage} of work with no result. */
    void stage(String name, String message, Runnable work) {
        stage(name, message, () -> {
            work.run();
            return null;
        });
    }

    /** Adds seconds to a stage. */
    void add(String name, double s) {
        Object before = seconds.get(name);
        seconds.put(name, round((before instanceof Double d ? d : 0) + s));
    }

    /** Seconds since main started, less the stages recorded so far. */
    double sinceMain() {
        double recorded = 0;
        for (Map.Entry<String, Object> e : seconds.entrySet()) {
            if (!e.getKey().equals("launcher") && !e.getKey().equals("jvm_start")) {
                recorded += (Double) e.getValue();
            }
        }
        return (System.nanoTime() - MAIN_NANOS) / 1e9 - recorded;
    }

    /** The stages so far, and {@code total}: from main's start to now. */
    Map<String, Object> seconds() {
        Map<String, Object> out = new LinkedHashMap<>(seconds);
        out.put("total_since_main", round((System.nanoTime() - MAIN_NANOS) / 1e9));
        return out;
    }

    private static double round(double s) {
        return Math.round(s * 1000) / 1000.0;
    }
}
