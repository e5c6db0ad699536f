package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/** Adam on the Vector API: parameter, m and v read and written once each. A template (see {@link Specializer}). */
public final class AdamVector implements AdamKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();

    /** A kernel at the width of this copy of the template (see {@link simdvae.core.Specializer}). */
    public AdamVector() {
    }

    @Override
    public void step(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha, float c1, float c2,
                     float epsilon, float mFloor) {
        // A last partial vector that would reach past an array's end goes scalar (the masked fallback allocates).
        int vectorEnd = fitsAll(off, n, p, g, m, v) ? n : S.loopBound(n);
        for (int i = vectorEnd; i < n; i++) {
            AdamKernel.updateOne(p, g, m, v, off + i, alpha, c1, c2, epsilon, mFloor);
        }
        for (int i = 0; i < vectorEnd; i += L) {
            VectorMask<Float> inRange = S.indexInRange(i, vectorEnd);
            int at = off + i;
            FloatVector gi = FloatVector.fromArray(S, g, at, inRange);
            FloatVector mi = FloatVector.fromArray(S, m, at, inRange);
            FloatVector vi = FloatVector.fromArray(S, v, at, inRange);
            mi = gi.sub(mi).fma(FloatVector.broadcast(S, c1), mi);
            vi = gi.mul(gi).sub(vi).fma(FloatVector.broadcast(S, c2), vi);
            mi = mi.blend(0f, mi.abs().compare(VectorOperators.LT, mFloor));
            vi = vi.blend(0f, vi.compare(VectorOperators.LT, Float.MIN_NORMAL));
            mi.intoArray(m, at, inRange);
            vi.intoArray(v, at, inRange);
            FloatVector step = mi.mul(alpha).div(vi.sqrt().add(epsilon));
            FloatVector.fromArray(S, p, at, inRange).sub(step).intoArray(p, at, inRange);
        }
    }

    /** Whether the last (partial) vector of {@code [off, off + n)} stays inside every array. */
    private static boolean fitsAll(int off, int n, float[] p, float[] g, float[] m, float[] v) {
        int need = off + S.loopBound(n) + L;
        return n % L == 0 || (p.length >= need && g.length >= need && m.length >= need && v.length >= need);
    }
}
