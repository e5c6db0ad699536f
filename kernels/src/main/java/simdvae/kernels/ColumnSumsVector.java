package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/** Column sums on the Vector API: one vector of columns at a time, rows added in order. A template. */
public final class ColumnSumsVector implements ColumnSumsKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();

    /** A kernel at the width of this copy of the template (see {@link simdvae.core.Specializer}). */
    public ColumnSumsVector() {
    }

    @Override
    public void columnSums(int m, int n, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate) {
        ColumnSumsKernel.check(m, n, x, xOff, ldx, out, outOff);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector s = accumulate ? FloatVector.fromArray(S, out, outOff + j, mask) : FloatVector.zero(S);
            for (int i = 0, p = xOff + j; i < m; i++, p += ldx) {
                s = s.add(FloatVector.fromArray(S, x, p, mask));
            }
            s.intoArray(out, outOff + j, mask);
        }
    }
}
