package simdvae.kernels;

/**
 * The Bernoulli family's reference: the fused binary cross-entropy + KL loss and gradient (see {@link LossKernel}
 * for the KL term and the summation order). For a row with decoder logits l ({@code features} columns) and targets x
 * in [0, 1]:
 * <pre>
 *   loss = Σ_j [softplus(l_j) − x_j·l_j] + KL,   dl_j = (σ(l_j) − x_j)·scale
 * </pre>
 * {@code softplus(l) − x·l} is the binary cross-entropy of σ(l) against x, written so that it is finite for every
 * finite l. With {@link LossBatch#terms} set, each feature's term is written too. Its partial sums live on the stack of each call: a reference favours plainness over the no-allocation
 * rule of the vector kernels (escape analysis usually removes the array).
 */
public final class BernoulliLossScalar implements LossKernel {
    /** The one instance (it holds nothing). */
    public static final BernoulliLossScalar INSTANCE = new BernoulliLossScalar();

    private BernoulliLossScalar() {
    }

    @Override
    public void lossAndGradient(LossBatch b, int from, int to) {
        b.check(this, from, to);
        float[] slots = new float[SLOTS];
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(slots, 0f);
            int l0 = b.oOff + i * b.ldo;
            int x0 = b.xOff + i * b.ldx;
            int d0 = b.doOff + i * b.lddo;
            for (int j = 0; j < b.features; j++) {
                float l = b.out[l0 + j];
                float t = b.x[x0 + j];
                float s = ExpScalar.sigmoid(l);
                b.dOut[d0 + j] = (s - t) * b.scale;
                float term = LossKernel.softplusFromSigmoid(l, s) - t * l;
                slots[j % SLOTS] += term;
                if (b.terms != null) {
                    b.terms[b.tOff + i * b.ldt + j] = term;
                }
            }
            b.rowLoss(i, LossKernel.sumSlots(slots));
        }
    }
}
