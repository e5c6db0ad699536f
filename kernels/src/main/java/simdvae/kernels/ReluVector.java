package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/** ReLU on the Vector API; the tail is one masked vector. A template (see {@link Specializer}). */
public final class ReluVector implements ReluKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();

    /** A kernel at the width of this copy of the template (see {@link simdvae.core.Specializer}). */
    public ReluVector() {
    }

    @Override
    public void forward(float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).max(0f).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void backward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        Objects.checkFromIndexSize(yOff, n, y.length);
        Objects.checkFromIndexSize(dyOff, n, dy.length);
        Objects.checkFromIndexSize(dxOff, n, dx.length);
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMask<Float> open = FloatVector.fromArray(S, y, yOff + i, m).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dy, dyOff + i, m), open).intoArray(dx, dxOff + i, m);
        }
    }
}
