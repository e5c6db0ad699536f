package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import simdvae.core.Simd;
import simdvae.core.Width;
import simdvae.core.WorkerPool;
import simdvae.gradcheck.GradientChecker;
import simdvae.kernels.ExpScalar;
import simdvae.kernels.Kernels;
import simdvae.kernels.LossBatch;
import simdvae.kernels.LossDefinitions;
import simdvae.kernels.LossKernel;
import simdvae.kernels.LossLayout;
import simdvae.kernels.ParallelKernels;
import simdvae.kernels.SeededCases;
import simdvae.kernels.TestSupport;
import simdvae.vae.internal.network.Reparameterization;
import simdvae.vae.model.Dense;

/** Every backward pass against central finite differences in double, through {@link GradientChecker}. */
class GradientTest {
    static final double TOL = GradientChecker.DEFAULT_TOLERANCE;

    static double[] gaussian(SplittableRandom r, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * TestSupport.gauss(r);
        }
        return a;
    }

    /** Values at least {@code gap} away from 0, so that ReLU's kink is farther than the difference step. */
    static double[] awayFromZero(SplittableRandom r, int n, double gap) {
        double[] a = gaussian(r, n, 1);
        for (int i = 0; i < n; i++) {
            a[i] = Math.copySign(Math.abs(a[i]) + gap, a[i]);
        }
        return a;
    }

    @Test
    void reluBackward() {
        qt().withExamples(30).forAll(integers().between(1, 300), longs().all()).checkAssert((n, seed) -> {
            double[] x = awayFromZero(new SplittableRandom(seed), n, 1e-3);
            for (Width w : Kernels.of(Width.AUTO).width() == Width.SCALAR ? new Width[] {Width.SCALAR}
                    : new Width[] {Width.SCALAR, Width.AUTO}) {
                GradientChecker.check(x, in -> Arrays.stream(in).map(v -> Math.max(v, 0)).toArray(), (in, dy) -> {
                    float[] y = new float[n];
                    float[] dx = new float[n];
                    Kernels.of(w).relu().forward(in, 0, y, 0, n);
                    Kernels.of(w).relu().backward(y, 0, dy, 0, dx, 0, n);
                    return dx;
                }, seed, TOL).assertPassed();
            }
        });
    }

    @Test
    void sigmoidBackward() {
        qt().withExamples(30).forAll(integers().between(1, 300), longs().all()).checkAssert((n, seed) -> {
            double[] x = gaussian(new SplittableRandom(seed), n, 4);
            GradientChecker.check(x, in -> Arrays.stream(in).map(v -> 1 / (1 + Math.exp(-v))).toArray(), (in, dy) -> {
                float[] y = new float[n];
                float[] dx = new float[n];
                Kernels k = Kernels.of(Width.AUTO);
                k.exp().sigmoid(in, 0, y, 0, n);
                k.exp().sigmoidBackward(y, 0, dy, 0, dx, 0, n);
                return dx;
            }, seed, TOL).assertPassed();
        });
    }

    /**
     * A Dense + ReLU layer: the inputs are [x (b×in) | W (in×out) | bias (out)], the outputs y (b×out). The backward
     * goes through the NT (dX), TN (dW) products and the column sums (db).
     */
    @Test
    void denseLayerBackwardThroughEveryGemmLayout() {
        try (WorkerPool pool = new WorkerPool(2)) {
            SeededCases.check(25, integers().between(1, 9), integers().between(1, 40), integers().between(1, 40),
                    (b, in, out, r) -> {
                long seed = r.nextLong();
                int nx = b * in;
                int nw = in * out;
                double[] input = gaussian(r, nx + nw + out, 1);
                placeBiasAwayFromKinks(input, b, in, out);
                double[] pre = dense(input, b, in, out, false);
                assertTrue(Arrays.stream(pre).allMatch(v -> Math.abs(v) >= 0.25), "a pre-activation near 0");
                Dense layer = new Dense(in, out, nx, true);
                for (Width w : new Width[] {Width.SCALAR, Width.AUTO}) {
                    ParallelKernels k = new ParallelKernels(Kernels.of(w), pool);
                    GradientChecker.check(input, v -> dense(v, b, in, out, true), (v, dy) -> {
                        float[] params = v; // x, W, bias sit where Dense(offset = nx) expects W and bias
                        float[] x = Arrays.copyOf(v, nx);
                        float[] y = new float[b * out];
                        layer.forward(k, b, x, params, y);
                        float[] grads = new float[v.length];
                        float[] dx = new float[nx];
                        layer.backward(k, b, x, y, dy, params, grads, dx);
                        System.arraycopy(dx, 0, grads, 0, nx);
                        return grads;
                    }, seed, TOL).assertPassed();
                }
            });
        }
    }

    /**
     * Sets the bias of [x | W | bias] so that every pre-activation is at least 0.25 from ReLU's kink, by
     * construction: for each column, the middle of the widest gap between the points −(x·W)[i, j] of its b rows and
     * the ends of [−3, 3]. b ≤ 9 points cut that interval into at most 10 pieces, one of them at least 0.6 wide.
     * The finite differences move a pre-activation by about 1e-6, far less.
     */
    static void placeBiasAwayFromKinks(double[] v, int b, int in, int out) {
        int bias = b * in + in * out;
        Arrays.fill(v, bias, bias + out, 0);
        double[] pre = dense(v, b, in, out, false);
        for (int j = 0; j < out; j++) {
            double[] points = new double[b + 2];
            points[0] = -3;
            points[1] = 3;
            for (int i = 0; i < b; i++) {
                points[i + 2] = Math.max(-3, Math.min(3, -pre[i * out + j]));
            }
            Arrays.sort(points);
            int widest = 0;
            for (int q = 1; q + 1 < points.length; q++) {
                if (points[q + 1] - points[q] > points[widest + 1] - points[widest]) {
                    widest = q;
                }
            }
            v[bias + j] = (points[widest] + points[widest + 1]) / 2;
        }
    }

    static double[] dense(double[] v, int b, int in, int out, boolean relu) {
        int nx = b * in;
        double[] y = new double[b * out];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < out; j++) {
                double s = v[nx + in * out + j];
                for (int p = 0; p < in; p++) {
                    s += v[i * in + p] * v[nx + p * out + j];
                }
                y[i * out + j] = relu ? Math.max(s, 0) : s;
            }
        }
        return y;
    }

    /**
     * The fused BCE loss at every width: inputs [logits (b×pixels) | head (b×2K)], outputs the per-sample
     * objective reconstruction + β·KL (the kernel's gradients weigh the KL by β).
     */
    @Test
    void fusedBceKlGradient() {
        SeededCases.check(20, integers().between(1, 6), integers().between(1, 50), integers().between(1, 4),
                (b, pixels, latent, r) -> {
            long seed = r.nextLong();
            int nl = b * pixels;
            double[] input = gaussian(r, nl + b * 2 * latent, 3);
            float[] x = new float[nl];
            for (int i = 0; i < nl; i++) {
                x[i] = r.nextInt(3) == 0 ? (float) r.nextDouble() : r.nextInt(2);
            }
            float beta = r.nextBoolean() ? 1f : (float) (2 * r.nextDouble());
            checkLossAtEveryWidth(input, b, pixels, latent, Kernels::bernoulliLoss,
                    v -> objective(v, b, pixels, pixels, latent, beta,
                            (i, j) -> LossDefinitions.bernoulli(v[i * pixels + j], x[i * pixels + j])),
                    (v, head, dOut, dh, loss) -> LossBatch.dense(b, pixels, latent, 1, v, x, head, dOut, dh, loss)
                            .weights(1f, beta), seed);
        });
    }

    /** Input gradient [d output | d head] from the kernel's per-sample gradients and the upstream dLoss. */
    private static float[] chain(int b, int outCols, int latent, float[] dOut, float[] dHead, float[] dLoss) {
        int no = b * outCols;
        float[] g = new float[no + b * 2 * latent];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < outCols; j++) {
                g[i * outCols + j] = dOut[i * outCols + j] * dLoss[i];
            }
            for (int q = 0; q < 2 * latent; q++) {
                g[no + i * 2 * latent + q] = dHead[i * 2 * latent + q] * dLoss[i];
            }
        }
        return g;
    }

    /** A target's term of a row by its definition, in double. */
    interface TargetTerm {
        double of(int row, int target);
    }

    /**
     * The per-sample objective from its definition: each row's terms over its {@code targets} targets, + β·KL of its
     * head (the head rows follow the b × cols output in {@code v}).
     */
    static double[] objective(double[] v, int b, int cols, int targets, int latent, double beta, TargetTerm term) {
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            double s = 0;
            for (int j = 0; j < targets; j++) {
                s += term.of(i, j);
            }
            out[i] = s + beta * LossDefinitions.kl(q -> v[q], b * cols + i * 2 * latent, latent);
        }
        return out;
    }

    /** A loss kernel's arguments over a gradient check's input (output rows, then the head rows copied out). */
    interface LossArguments {
        LossBatch of(float[] output, float[] head, float[] dOut, float[] dHead, float[] loss);
    }

    /**
     * The family's kernel at every width against {@code definition}: inputs [output (b × cols) | head (b × 2K)], the
     * kernel's per-sample gradients chained with the upstream gradient of each sample's objective.
     */
    private static void checkLossAtEveryWidth(double[] input, int b, int cols, int latent,
                                              Function<Kernels, LossKernel> family, GradientChecker.Forward definition,
                                              LossArguments arguments, long seed) {
        int no = b * cols;
        for (Width w : Simd.supportedWidths()) {
            LossKernel kernel = family.apply(Kernels.of(w));
            GradientChecker.check(input, definition, (v, dLoss) -> {
                float[] dOut = new float[no];
                float[] dh = new float[b * 2 * latent];
                float[] loss = new float[b];
                kernel.lossAndGradient(arguments.of(v, Arrays.copyOfRange(v, no, v.length), dOut, dh, loss), 0, b);
                return chain(b, cols, latent, dOut, dh, dLoss);
            }, seed, TOL).assertPassed();
        }
    }

    /**
     * The fused Gaussian loss at every width: inputs [output (b × 2F: mean | raw log σ²) | head (b×2K)], outputs the
     * per-sample objective from the definition in double, log σ² = 7·tanh(r/7), + β·KL. Raw log-variances reach
     * ±12, into the soft clamp's bend.
     */
    @Test
    void fusedGaussianKlGradient() {
        SeededCases.check(20, integers().between(1, 6), integers().between(1, 40), integers().between(1, 4),
                (b, features, latent, r) -> {
            long seed = r.nextLong();
            int no = b * 2 * features;
            double[] input = gaussian(r, no + b * 2 * latent, 1.5);
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < features; j++) {
                    input[i * 2 * features + features + j] = (r.nextDouble() * 2 - 1) * 12;
                }
            }
            float[] x = new float[b * features];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (2 * gaussian(r, 1, 1)[0]);
            }
            float beta = r.nextBoolean() ? 1f : (float) (2 * r.nextDouble());
            checkLossAtEveryWidth(input, b, 2 * features, latent, Kernels::gaussianLoss,
                    v -> objective(v, b, 2 * features, features, latent, beta, (i, j) -> LossDefinitions.gaussian(
                            v[i * 2 * features + j], v[i * 2 * features + features + j], x[i * features + j])),
                    (v, head, dOut, dh, loss) -> LossBatch.dense(b, features, latent, 2, v, x, head, dOut, dh, loss)
                            .weights(1f, beta), seed);
        });
    }

    /**
     * The mixed table's loss at every width: inputs [output (b × the layout's columns) | head (b×2K)], outputs the
     * per-sample objective from its definition in double (Gaussian, Bernoulli and softmax groups; missing targets
     * add nothing) + β·KL. β takes KL warm-up's values too (0 at its start, fractions during it, 1 and beyond after).
     */
    @Test
    void fusedMixedKlGradient() {
        SeededCases.check(25, integers().between(1, 5), integers().between(1, 4), (b, latent, r) -> {
            long seed = r.nextLong();
            int[] levels = new int[r.nextInt(4)];
            for (int c = 0; c < levels.length; c++) {
                levels[c] = 2 + r.nextInt(7);
            }
            LossLayout layout = LossLayout.of(r.nextInt(6), r.nextInt(5), levels);
            if (layout.groups() == 0) {
                layout = LossLayout.of(1, 1, 3);
            }
            LossLayout l = layout;
            int cols = l.outputColumns();
            int no = b * cols;
            double[] input = gaussian(r, no + b * 2 * latent, 1.5);
            float[] x = new float[b * l.groups()];
            for (int i = 0; i < b; i++) {
                for (int g = 0; g < l.groups(); g++) {
                    x[i * l.groups() + g] = r.nextInt(5) == 0 ? Float.NaN
                            : g < l.gaussian() ? (float) (2 * TestSupport.gauss(r))
                            : g < l.gaussian() + l.bernoulli() ? r.nextInt(2)
                            : r.nextInt(l.levels(g - l.gaussian() - l.bernoulli()));
                }
            }
            float beta = new float[] {0f, 0.25f, 1f, (float) (2 * r.nextDouble())}[r.nextInt(4)];
            checkLossAtEveryWidth(input, b, cols, latent, Kernels::mixedLoss,
                    v -> objective(v, b, cols, l.groups(), latent, beta, (i, g) -> LossDefinitions.mixedTerm(
                            q -> v[q], i * cols, l, g, x[i * l.groups() + g], false)),
                    (v, head, dOut, dh, loss) -> new LossBatch().sizes(b, 0, latent).layout(l).output(v, 0, cols)
                            .targets(x, 0, l.groups()).head(head, 0, 2 * latent).outputGradient(dOut, 0, cols)
                            .headGradient(dh, 0, 2 * latent).losses(loss, 0).weights(1f, beta), seed);
        });
    }

    /** z = μ + exp(log σ²/2)·ε with ε fixed: inputs the head [μ | log σ²], outputs z. */
    @Test
    void reparameterizationGradient() {
        SeededCases.check(30, integers().between(1, 10), integers().between(1, 5), (b, latent, r) -> {
            long seed = r.nextLong();
            double[] head = gaussian(r, b * 2 * latent, 1.5);
            float[] eps = new float[b * latent];
            for (int i = 0; i < eps.length; i++) {
                eps[i] = (float) gaussian(r, 1, 1)[0];
            }
            GradientChecker.check(head, v -> {
                double[] z = new double[b * latent];
                for (int i = 0; i < b; i++) {
                    for (int q = 0; q < latent; q++) {
                        z[i * latent + q] = v[i * 2 * latent + q]
                                + Math.exp(0.5 * v[i * 2 * latent + latent + q]) * eps[i * latent + q];
                    }
                }
                return z;
            }, (v, dz) -> {
                float[] dHead = new float[v.length];
                Reparameterization.backward(b, latent, v, eps, dz, dHead);
                return dHead;
            }, seed, TOL).assertPassed();
        });
    }

    /** The checker must catch a wrong gradient, or it proves nothing. */
    @Test
    void checkerRejectsAWrongGradient() {
        double[] x = {0.3, -1.2, 2.0, 0.7};
        GradientChecker.Result r = GradientChecker.check(x, in -> Arrays.stream(in).map(v -> 1 / (1 + Math.exp(-v)))
                .toArray(), (in, dy) -> {
                    float[] dx = new float[in.length];
                    for (int i = 0; i < in.length; i++) {
                        float s = ExpScalar.sigmoid(in[i]);
                        dx[i] = dy[i] * s * (1 - s) * (i == 2 ? 1.01f : 1f); // 1% off in one element
                    }
                    return dx;
                }, 5, TOL);
        if (r.passed()) {
            throw new AssertionError("a 1% gradient error passed the checker: " + r);
        }
    }
}
