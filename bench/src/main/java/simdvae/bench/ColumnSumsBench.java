package simdvae.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import simdvae.core.BitEquality;
import simdvae.kernels.ColumnSumsScalar;

/** Column sums of the 50×512 hidden layer (a bias gradient); {@code elements} counts floats read per second. */
public class ColumnSumsBench extends KernelBench {
    @Setup
    public void check(Batch b) {
        float[] ref = new float[Batch.HIDDEN];
        ColumnSumsScalar.INSTANCE.columnSums(Batch.BATCH, Batch.HIDDEN, b.hidden, 0, Batch.HIDDEN, ref, 0, false);
        columnSums(b, new Counters());
        BitEquality.require(ref, b.sums, "column sums at " + b.width);
    }

    @Benchmark
    public float[] columnSums(Batch b, Counters c) {
        b.k.columnSums().columnSums(Batch.BATCH, Batch.HIDDEN, b.hidden, 0, Batch.HIDDEN, b.sums, 0, false);
        c.elements += b.hidden.length;
        return b.sums;
    }
}
