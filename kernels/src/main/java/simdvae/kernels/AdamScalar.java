package simdvae.kernels;

/** Adam, reference. */
public final class AdamScalar implements AdamKernel {
    /** The one instance (it holds nothing). */
    public static final AdamScalar INSTANCE = new AdamScalar();

    private AdamScalar() {
    }

    @Override
    public void step(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha, float c1, float c2,
                     float epsilon, float mFloor) {
        for (int i = off; i < off + n; i++) {
            AdamKernel.updateOne(p, g, m, v, i, alpha, c1, c2, epsilon, mFloor);
        }
    }
}
