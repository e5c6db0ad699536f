package simdvae.kernels;

import static simdvae.kernels.ExpScalar.C2;
import static simdvae.kernels.ExpScalar.C3;
import static simdvae.kernels.ExpScalar.C4;
import static simdvae.kernels.ExpScalar.C5;
import static simdvae.kernels.ExpScalar.C6;
import static simdvae.kernels.ExpScalar.C7;
import static simdvae.kernels.ExpScalar.HI;
import static simdvae.kernels.ExpScalar.LN2_HI;
import static simdvae.kernels.ExpScalar.LN2_LO;
import static simdvae.kernels.ExpScalar.LO;
import static simdvae.kernels.ExpScalar.LOG2E;
import static simdvae.kernels.ExpScalar.ROUNDER;

import java.lang.invoke.MethodHandles;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * exp and sigmoid on the Vector API: {@link ExpScalar#exp(float)} lane by lane, the same operations in the same
 * order. Not {@code VectorOperators.EXP}: that calls SVML, whose bits no scalar code reproduces. A template (see
 * {@link Specializer}).
 */
public final class ExpVector implements ExpKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();

    /** A kernel at the width of this copy of the template (see {@link simdvae.core.Specializer}). */
    public ExpVector() {
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            exp(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector e = exp(FloatVector.fromArray(S, x, xOff + i, m).neg());
            one.div(e.add(1f)).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        Objects.checkFromIndexSize(yOff, n, y.length);
        Objects.checkFromIndexSize(dyOff, n, dy.length);
        Objects.checkFromIndexSize(dxOff, n, dx.length);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector s = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector.fromArray(S, dy, dyOff + i, m).mul(s.mul(one.sub(s))).intoArray(dx, dxOff + i, m);
        }
    }

    private static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(LO).min(HI);
        FloatVector k = xc.fma(LOG2E, ROUNDER).sub(ROUNDER);
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, C7).fma(r, FloatVector.broadcast(S, C6));
        p = p.fma(r, FloatVector.broadcast(S, C5));
        p = p.fma(r, FloatVector.broadcast(S, C4));
        p = p.fma(r, FloatVector.broadcast(S, C3));
        p = p.fma(r, FloatVector.broadcast(S, C2));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        IntVector n = (IntVector) k.convert(VectorOperators.F2I, 0);
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }
}
