package simdvae.bench;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import simdvae.kernels.Kernels;
import simdvae.kernels.SquaredDistancesKernel;
import simdvae.kernels.SquaredDistancesScalar;

/**
 * Squared distances from one row to a block of 128 kept rows of a hybrid score, as the scoring pass runs them (the
 * block in cache, its columns a padded stride apart; {@code values} wide: 84 is the 50,000-row mixed table's encoder
 * input); {@code elements} counts point-values (a subtraction, a multiplication and an addition each) per second.
 */
@State(Scope.Thread)
public class SquaredDistancesBench extends KernelBench {
    private static final int POINTS = 128;
    private static final int STRIDE = POINTS + 8;

    @Param({"scalar", "128", "256", "512", "auto"})
    public String width;

    @Param({"84"})
    public int values;

    private SquaredDistancesKernel kernel;
    private double[] points;
    private float[] x;
    private double[] out;

    @Setup
    public void setup() {
        kernel = BenchSupport.kernels(width).squaredDistances();
        SplittableRandom r = new SplittableRandom(1);
        points = new double[STRIDE * values];
        for (int i = 0; i < points.length; i++) {
            points[i] = (float) r.nextGaussian();
        }
        x = new float[values];
        for (int j = 0; j < values; j++) {
            x[j] = (float) r.nextGaussian();
        }
        out = new double[POINTS];
        double[] ref = new double[POINTS];
        SquaredDistancesScalar.INSTANCE.squaredDistances(points, 0, POINTS, STRIDE, values, x, 0, ref);
        kernel.squaredDistances(points, 0, POINTS, STRIDE, values, x, 0, out);
        for (int p = 0; p < POINTS; p++) {
            if (Double.doubleToRawLongBits(ref[p]) != Double.doubleToRawLongBits(out[p])) {
                throw new IllegalStateException("squared distances at " + width + " differ from the reference at "
                        + p);
            }
        }
    }

    @Benchmark
    public double[] squaredDistances(Counters c) {
        kernel.squaredDistances(points, 0, POINTS, STRIDE, values, x, 0, out);
        c.elements += (long) POINTS * values;
        return out;
    }
}
