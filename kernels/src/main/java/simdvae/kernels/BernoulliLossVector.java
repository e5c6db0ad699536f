package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * The fused loss on the Vector API, a row at a time: σ(l) by the {@link ExpKernel} of the same width into the dl
 * row, then one vector pass that turns it into dl and sums the cross-entropy while the row is still in L1, into
 * the {@value LossKernel#SLOTS} partial sums of the contract (never {@code reduceLanes}, whose order is not
 * fixed), so the loss value is the scalar one bit for bit. Its log1p is our own ({@link LossKernel#log1pUnit}): SVML's has no intrinsic at every width, and the
 * Java fallback allocates. A template (see {@link Specializer}).
 */
public final class BernoulliLossVector implements LossKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    /** Vectors of partial sums: lane q of the g-th holds slot g·L + q. */
    private static final int G = LossKernel.SLOTS / L;

    private final ExpKernel exp;
    private final ThreadLocal<float[]> slots = new ThreadLocal<>(); // no withInitial: templates have no lambdas

    /**
     * A kernel at the width of this copy of the template.
     *
     * @param exp the exp kernel of the same width, which the loss runs its exps through
     */
    public BernoulliLossVector(ExpKernel exp) {
        this.exp = exp;
    }

    @Override
    public void lossAndGradient(LossBatch b, int from, int to) {
        if (b.terms != null) {
            // Per-feature terms explain a score; they are not on the training path. The reference gives the same
            // bits as this kernel (the contract every vector kernel is tested against), so it writes them.
            BernoulliLossScalar.INSTANCE.lossAndGradient(b, from, to);
            return;
        }
        b.check(this, from, to);
        float[] sums = slots.get();
        if (sums == null) {
            sums = new float[LossKernel.SLOTS];
            slots.set(sums);
        }
        for (int i = from; i < to; i++) {
            int lRow = b.oOff + i * b.ldo;
            int dRow = b.doOff + i * b.lddo;
            exp.sigmoid(b.out, lRow, b.dOut, dRow, b.features);
            row(b.features, b.scale, b.out, lRow, b.x, b.xOff + i * b.ldx, b.dOut, dRow, sums);
            b.rowLoss(i, LossKernel.sumSlots(sums));
        }
    }

    /**
     * One row, with σ(l) already in the dl row: turns it into dl and leaves the row's cross-entropy in
     * {@code sums}, one partial sum per slot. The G vectors of partials rotate by one after every step, so the
     * vector in front always holds the slots of the next L pixels (C2 folds the rotation for the one G); at the end
     * each is stored at its group's place. Kept apart
     * from the sigmoid call so that C2 inlines all of it (one method holding both hit the inlining node limit, and
     * the vectors went to the heap).
     */
    private static void row(int features, float scale, float[] logits, int lRow, float[] x, int xRow, float[] dLogits,
                            int dRow, float[] sums) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int steps = 0;
        for (int j = 0; j < features; j += L, steps++) {
            VectorMask<Float> m = S.indexInRange(j, features);
            FloatVector l = FloatVector.fromArray(S, logits, lRow + j, m);
            FloatVector t = FloatVector.fromArray(S, x, xRow + j, m);
            FloatVector s = FloatVector.fromArray(S, dLogits, dRow + j, m);
            s.sub(t).mul(scale).intoArray(dLogits, dRow + j, m);
            // softplus(l) from s, as in LossKernel.softplusFromSigmoid and LossKernel.log1pUnit
            FloatVector oneMinusS = one.sub(s);
            VectorMask<Float> positive = l.compare(VectorOperators.GE, 0f);
            FloatVector u = s.div(oneMinusS).blend(oneMinusS.div(s), positive);
            FloatVector q = u.div(u.add(2f));
            FloatVector q2 = q.mul(q);
            FloatVector p = FloatVector.broadcast(S, LossKernel.LOG1P_C13)
                    .fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C11));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C9));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C7));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C5));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C3));
            p = p.fma(q2, FloatVector.broadcast(S, 2f));
            FloatVector softplus = l.max(0f).add(p.mul(q));
            FloatVector sum = s0.add(softplus.sub(t.mul(l)), m);
            if (G == 1) {
                s0 = sum;
            } else if (G == 2) {
                s0 = s1;
                s1 = sum;
            } else if (G == 4) {
                s0 = s1;
                s1 = s2;
                s2 = s3;
                s3 = sum;
            } else {
                s0 = s1;
                s1 = s2;
                s2 = s3;
                s3 = s4;
                s4 = s5;
                s5 = s6;
                s6 = s7;
                s7 = sum;
            }
        }
        // s0 holds the slots of group (steps mod G), the others follow it round
        int front = steps % G;
        s0.intoArray(sums, front * L);
        if (G > 1) {
            s1.intoArray(sums, (front + 1) % G * L);
        }
        if (G > 2) {
            s2.intoArray(sums, (front + 2) % G * L);
            s3.intoArray(sums, (front + 3) % G * L);
        }
        if (G > 4) {
            s4.intoArray(sums, (front + 4) % G * L);
            s5.intoArray(sums, (front + 5) % G * L);
            s6.intoArray(sums, (front + 6) % G * L);
            s7.intoArray(sums, (front + 7) % G * L);
        }
    }
}
