package simdvae.kernels;

/** Adam, reference. */
public final class AdamScalar implements AdamKernel {
    public static final AdamScalar INSTANCE = new AdamScalar();

    @Override
    public void update(int n, float[] p, float[] g, float[] m, float[] v, int off, float alpha, float beta1,
                       float beta2, float epsilon) {
        AdamKernel.check(n, p, g, m, v, off);
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        for (int i = off; i < off + n; i++) {
            float gi = g[i];
            float mi = AdamKernel.flush(Math.fma(gi - m[i], c1, m[i]));
            float vi = AdamKernel.flush(Math.fma(gi * gi - v[i], c2, v[i]));
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] - (mi * alpha) / ((float) Math.sqrt(vi) + epsilon);
        }
    }
}
