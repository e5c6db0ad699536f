package simdvae.kernels;

/**
 * The mixed table's loss and gradient (see {@link MixedLossKernel}), reference: group by group, the Gaussian and
 * Bernoulli terms written as {@link GaussianLossScalar} and {@link BernoulliLossScalar} write them. Its scratch lives
 * on the stack of each call, as in the other references.
 */
public final class MixedLossScalar implements MixedLossKernel {
    /** The one instance (it holds nothing). */
    public static final MixedLossScalar INSTANCE = new MixedLossScalar();

    private static final float B = GaussianLossKernel.LOGVAR_BOUND;
    private static final float K = GaussianLossKernel.K;
    private static final float LOG_2PI = GaussianLossKernel.LOG_2PI;

    private MixedLossScalar() {
    }

    @Override
    public void lossAndGradient(LossBatch b, int from, int to) {
        b.check(this, from, to);
        LossLayout layout = b.layout;
        int gaussian = layout.gaussian;
        int bernoulli = layout.bernoulli;
        float scale = b.scale;
        boolean expected = b.missingAtExpectation;
        float[] slots = new float[SLOTS];
        float[] terms = new float[layout.groups];
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(slots, 0f);
            int o = b.oOff + i * b.ldo;
            int d = b.doOff + i * b.lddo;
            int x0 = b.xOff + i * b.ldx;
            for (int j = 0; j < gaussian; j++) {
                float m = b.out[o + j];
                float s = ExpScalar.sigmoid(b.out[o + gaussian + j] * K);
                float lv = (2f * s - 1f) * B;
                float t = b.x[x0 + j];
                if (Float.isNaN(t)) {
                    terms[j] = expected ? ((lv + LOG_2PI) + 1f) * 0.5f : 0f;
                    b.dOut[d + j] = 0f;
                    b.dOut[d + gaussian + j] = 0f;
                    continue;
                }
                terms[j] = GaussianLossKernel.term(m, s, lv, t, scale, b.dOut, d + j, d + gaussian + j);
            }
            int lo = o + 2 * gaussian;
            int ld = d + 2 * gaussian;
            for (int j = 0; j < bernoulli; j++) {
                float l = b.out[lo + j];
                float s = ExpScalar.sigmoid(l);
                float t = b.x[x0 + gaussian + j];
                boolean missing = Float.isNaN(t);
                terms[gaussian + j] = missing && !expected ? 0f
                        : LossKernel.softplusFromSigmoid(l, s) - (missing ? s : t) * l;
                b.dOut[ld + j] = missing ? 0f : (s - t) * scale;
            }
            for (int c = 0; c < layout.levels.length; c++) {
                int start = layout.logitStart[c];
                terms[gaussian + bernoulli + c] = MixedLossKernel.categorical(ExpScalar.INSTANCE, b.out, o + start,
                        layout.levels[c], b.x[x0 + gaussian + bernoulli + c], expected, b.dOut, d + start, scale);
            }
            MixedLossKernel.addTerms(b, i, terms, slots);
            b.rowLoss(i, LossKernel.sumSlots(slots));
        }
    }
}
