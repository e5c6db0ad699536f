package simdvae.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Work done, counted by JMH as a rate next to the primary score: {@code flop} (floating-point operations, a
 * multiply-add counts 2) and {@code elements} (floats produced). Divide by 1e9 for GFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Counters {
    public long flop;
    public long elements;

    @Setup(Level.Iteration)
    public void reset() {
        flop = 0;
        elements = 0;
    }
}
