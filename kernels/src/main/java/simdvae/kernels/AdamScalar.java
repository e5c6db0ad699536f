package simdvae.kernels;

/** Adam, reference. */
public final class AdamScalar implements AdamKernel {
    /** The one instance (it holds nothing). */
    public static final AdamScalar INSTANCE = new AdamScalar();

    private AdamScalar() {
    }

    @Override
    public void update(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha, float beta1,
                       float beta2, float epsilon) {
        AdamKernel.check(n, p, g, m, v, off);
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        float mFloor = AdamKernel.momentFloor(alpha);
        for (int i = off; i < off + n; i++) {
            AdamKernel.updateOne(p, g, m, v, i, alpha, c1, c2, epsilon, mFloor);
        }
    }
}
