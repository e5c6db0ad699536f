package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import simdvae.core.Specializer;

/**
 * The mixed table's loss on the Vector API: {@link MixedLossScalar}'s operations lane by lane. The Gaussian block goes
 * as in {@link GaussianLossVector} (its exps by that kernel's {@link GaussianLossKernel#varianceRow}, in short passes), the
 * Bernoulli block as in {@link BernoulliLossVector}; a missing target's lanes are masked by a NaN test and blended.
 * Each group's term lands in a row of terms, which is then added into the {@value LossKernel#SLOTS} partial sums in
 * group order (never {@code reduceLanes}), so the value is the scalar one bit for bit. A categorical group is a few
 * logits: its exps run through the vector exp, the rest as in the reference ({@link MixedLossKernel#categorical}).
 * A template (see {@link Specializer}).
 */
public final class MixedLossVector implements MixedLossKernel {
    private static final VectorSpecies<Float> S = Specializer.species(MethodHandles.lookup());
    private static final int L = S.length();
    private static final float B = GaussianLossKernel.LOGVAR_BOUND;
    private static final float K = GaussianLossKernel.K;
    private static final float LOG_2PI = GaussianLossKernel.LOG_2PI;

    private final ExpKernel exp;
    private final GaussianLossKernel gaussianLoss;
    /** Per thread: the partial sums, then a row of terms (grown to the widest layout seen). */
    private final ThreadLocal<float[][]> scratch = new ThreadLocal<>(); // no withInitial: templates have no lambdas

    /**
     * A kernel at the width of this copy of the template.
     *
     * @param exp          the exp kernel of the same width, which the loss runs its exps through
     * @param gaussianLoss the Gaussian loss of the same width, whose {@link GaussianLossKernel#varianceRow} the
     *                     Gaussian block starts with
     */
    public MixedLossVector(ExpKernel exp, GaussianLossKernel gaussianLoss) {
        this.exp = exp;
        this.gaussianLoss = gaussianLoss;
    }

    @Override
    public void lossAndGradient(LossBatch b, int from, int to) {
        b.check(this, from, to);
        LossLayout layout = b.layout;
        float[][] own = scratch.get();
        if (own == null || own[1].length < layout.groups) {
            own = new float[][] {new float[SLOTS], new float[Math.max(layout.groups, 16)]};
            scratch.set(own);
        }
        float[] slots = own[0];
        float[] terms = own[1];
        int gaussian = layout.gaussian;
        int bernoulli = layout.bernoulli;
        boolean expected = b.missingAtExpectation;
        float[] out = b.out;
        float[] dOut = b.dOut;
        for (int i = from; i < to; i++) {
            int o = b.oOff + i * b.ldo;
            int d = b.doOff + i * b.lddo;
            int x0 = b.xOff + i * b.ldx;
            if (gaussian > 0) {
                gaussianLoss.varianceRow(out, o + gaussian, dOut, d, gaussian);
                gaussianRow(gaussian, b.scale, expected, out, o, b.x, x0, dOut, d, terms);
            }
            if (bernoulli > 0) {
                int lo = o + 2 * gaussian;
                int ld = d + 2 * gaussian;
                exp.sigmoid(out, lo, dOut, ld, bernoulli);
                softplusRow(bernoulli, out, lo, dOut, ld, terms, gaussian);
                bernoulliRow(bernoulli, b.scale, expected, out, lo, b.x, x0 + gaussian, dOut, ld, terms, gaussian);
            }
            for (int c = 0; c < layout.levels.length; c++) {
                int start = layout.logitStart[c];
                terms[gaussian + bernoulli + c] = MixedLossKernel.categorical(exp, out, o + start, layout.levels[c],
                        b.x[x0 + gaussian + bernoulli + c], expected, dOut, d + start, b.scale);
            }
            java.util.Arrays.fill(slots, 0f);
            MixedLossKernel.addTerms(b, i, terms, slots);
            b.rowLoss(i, LossKernel.sumSlots(slots));
        }
    }

    /**
     * The Gaussian groups, with s = σ(r·K) in the gradient row's log-variance half and 1/σ² in its mean half: terms
     * into {@code terms[0 .. n)} and both gradients over them; NaN targets masked.
     */
    private static void gaussianRow(int n, float scale, boolean expected, float[] out, int o, float[] x, int xr,
                                    float[] dOut, int d, float[] terms) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        float scale2 = 2f * scale;
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector mean = FloatVector.fromArray(S, out, o + j, m);
            FloatVector t = FloatVector.fromArray(S, x, xr + j, m);
            FloatVector s = FloatVector.fromArray(S, dOut, d + n + j, m);
            FloatVector w = FloatVector.fromArray(S, dOut, d + j, m);
            VectorMask<Float> missing = t.test(VectorOperators.IS_NAN);
            FloatVector lv = s.mul(2f).sub(1f).mul(B);
            FloatVector diff = t.sub(mean);
            FloatVector dw = diff.mul(w);
            FloatVector q = diff.mul(dw);
            dw.mul(scale).neg().blend(zero, missing).intoArray(dOut, d + j, m);
            one.sub(q).mul(s.mul(one.sub(s))).mul(scale2).blend(zero, missing).intoArray(dOut, d + n + j, m);
            FloatVector absent = expected ? lv.add(LOG_2PI).add(1f).mul(0.5f) : zero;
            lv.add(LOG_2PI).add(q).mul(0.5f).blend(absent, missing).intoArray(terms, j, m);
        }
    }

    /** softplus(l) of the Bernoulli groups into {@code terms[at ..]}, from σ(l) in their gradient row. */
    private static void softplusRow(int n, float[] out, int o, float[] dOut, int d, float[] terms, int at) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector l = FloatVector.fromArray(S, out, o + j, m);
            FloatVector s = FloatVector.fromArray(S, dOut, d + j, m);
            // as LossKernel.softplusFromSigmoid and log1pUnit compute it, lane by lane
            FloatVector oneMinusS = FloatVector.broadcast(S, 1f).sub(s);
            FloatVector u = s.div(oneMinusS).blend(oneMinusS.div(s), l.compare(VectorOperators.GE, 0f));
            FloatVector q = u.div(u.add(2f));
            FloatVector q2 = q.mul(q);
            FloatVector p = FloatVector.broadcast(S, LossKernel.LOG1P_C13)
                    .fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C11));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C9));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C7));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C5));
            p = p.fma(q2, FloatVector.broadcast(S, LossKernel.LOG1P_C3));
            p = p.fma(q2, FloatVector.broadcast(S, 2f));
            l.max(0f).add(p.mul(q)).intoArray(terms, at + j, m);
        }
    }

    /**
     * The Bernoulli groups, with σ(l) in their gradient row and softplus(l) in {@code terms[at ..]}: their terms and
     * the gradients over σ(l); NaN targets masked (their expected term takes σ(l) for the target). Apart from
     * {@link #softplusRow}: one method holding both went past C2's inlining limits and boxed its vectors.
     */
    private static void bernoulliRow(int n, float scale, boolean expected, float[] out, int o, float[] x, int xr,
                                     float[] dOut, int d, float[] terms, int at) {
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector l = FloatVector.fromArray(S, out, o + j, m);
            FloatVector t = FloatVector.fromArray(S, x, xr + j, m);
            FloatVector s = FloatVector.fromArray(S, dOut, d + j, m);
            FloatVector softplus = FloatVector.fromArray(S, terms, at + j, m);
            VectorMask<Float> missing = t.test(VectorOperators.IS_NAN);
            s.sub(t).mul(scale).blend(zero, missing).intoArray(dOut, d + j, m);
            FloatVector absent = expected ? softplus.sub(s.mul(l)) : zero;
            softplus.sub(t.mul(l)).blend(absent, missing).intoArray(terms, at + j, m);
        }
    }
}
