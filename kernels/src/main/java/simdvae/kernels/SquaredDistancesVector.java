package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * Squared distances on the Vector API: a vector of consecutive points at a time (doubles, at the template's bit
 * width), four vectors together so that each broadcast of the row's value serves 4 × lanes points; every lane runs
 * its own point's sum over the columns in order. A template.
 *
 * <p>Every call has a receiver whose exact vector class C2 knows while it parses: {@code d·d + s} rather than
 * {@code s + d·d} (the same sum: IEEE addition commutes), and the sums stored through {@code +0 + s} (s ≥ +0). A call
 * on a loop-carried vector is dispatched by its profile instead, and the type check boxes the vector every step
 * (measured: 2.5× slower, the time in {@code DoubleVector.intoArray} and {@code lanewiseTemplate}).
 */
public final class SquaredDistancesVector implements SquaredDistancesKernel {
    private static final VectorSpecies<Double> D = Specializer.species(MethodHandles.lookup()).withLanes(double.class);
    private static final int L = D.length();

    /** A kernel at the width of this copy of the template (see {@link simdvae.core.Specializer}). */
    public SquaredDistancesVector() {
    }

    @Override
    public void squaredDistances(double[] points, int pOff, int count, int stride, int width, float[] x, int xOff,
                                 double[] out) {
        SquaredDistancesKernel.check(points, pOff, count, stride, width, x, xOff, out);
        DoubleVector zero = DoubleVector.zero(D);
        int p = 0;
        for (; p + 4 * L <= count; p += 4 * L) {
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int j = 0, q = pOff + p; j < width; j++, q += stride) {
                DoubleVector v = DoubleVector.broadcast(D, (double) x[xOff + j]);
                DoubleVector d0 = v.sub(DoubleVector.fromArray(D, points, q));
                DoubleVector d1 = v.sub(DoubleVector.fromArray(D, points, q + L));
                DoubleVector d2 = v.sub(DoubleVector.fromArray(D, points, q + 2 * L));
                DoubleVector d3 = v.sub(DoubleVector.fromArray(D, points, q + 3 * L));
                s0 = d0.mul(d0).add(s0);
                s1 = d1.mul(d1).add(s1);
                s2 = d2.mul(d2).add(s2);
                s3 = d3.mul(d3).add(s3);
            }
            zero.add(s0).intoArray(out, p);
            zero.add(s1).intoArray(out, p + L);
            zero.add(s2).intoArray(out, p + 2 * L);
            zero.add(s3).intoArray(out, p + 3 * L);
        }
        for (; p < count; p += L) {
            VectorMask<Double> m = D.indexInRange(p, count);
            DoubleVector s = DoubleVector.zero(D);
            for (int j = 0, q = pOff + p; j < width; j++, q += stride) {
                DoubleVector d = DoubleVector.broadcast(D, (double) x[xOff + j]).sub(
                        DoubleVector.fromArray(D, points, q, m));
                s = d.mul(d).add(s);
            }
            zero.add(s).intoArray(out, p, m);
        }
    }
}
