package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.core.BitEquality;
import simdvae.core.Width;
import simdvae.core.WorkerPool;

class MixedLossTest {
    /**
     * A minibatch over a random layout: Gaussian means near their targets or not, raw log-variances wide, Bernoulli
     * logits wide, categorical logits with ties and extremes, a share of the targets missing (NaN), a random β.
     */
    record Batch(int batch, LossLayout layout, int latent, float scale, float beta, float[] out, float[] x,
                 float[] head) {
        static Batch random(int batch, LossLayout layout, int latent, double missing, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int g = layout.gaussian();
            int bn = layout.bernoulli();
            int w = layout.outputColumns();
            int groups = layout.groups();
            float[] out = new float[batch * w];
            float[] x = new float[batch * groups];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < g; j++) {
                    x[i * groups + j] = (float) (2 * TestSupport.gauss(r));
                    out[i * w + j] = r.nextInt(8) == 0 ? x[i * groups + j] : (float) (2 * TestSupport.gauss(r));
                    out[i * w + g + j] = r.nextInt(20) == 0 ? (r.nextBoolean() ? 1000f : -1000f)
                            : (float) (6 * TestSupport.gauss(r));
                }
                for (int j = 0; j < bn; j++) {
                    x[i * groups + g + j] = r.nextInt(3) == 0 ? (float) r.nextDouble() : r.nextInt(2);
                    out[i * w + 2 * g + j] = r.nextInt(20) == 0 ? (r.nextBoolean() ? 90f : -90f)
                            : (float) (4 * TestSupport.gauss(r));
                }
                for (int c = 0; c < layout.categorical(); c++) {
                    int k = layout.levels(c);
                    x[i * groups + g + bn + c] = r.nextInt(k);
                    for (int q = 0; q < k; q++) {
                        out[i * w + layout.logitStart(c) + q] = r.nextInt(10) == 0 ? (r.nextBoolean() ? 80f : -80f)
                                : r.nextInt(6) == 0 ? 1.5f : (float) (3 * TestSupport.gauss(r));
                    }
                }
                for (int j = 0; j < groups; j++) {
                    if (r.nextDouble() < missing) {
                        x[i * groups + j] = Float.NaN;
                    }
                }
            }
            float[] head = TestSupport.gaussian(r, batch * 2 * latent, 2);
            float beta = r.nextBoolean() ? 1f : (float) (3 * r.nextDouble());
            return new Batch(batch, layout, latent, 1f / batch, beta, out, x, head);
        }

        LossBatch arguments(float[] dOut, float[] dh, float[] loss, float[] terms, boolean expected) {
            return new LossBatch().sizes(batch, 0, latent).layout(layout).output(out, 0, layout.outputColumns())
                    .targets(x, 0, layout.groups()).head(head, 0, 2 * latent)
                    .outputGradient(dOut, 0, layout.outputColumns()).headGradient(dh, 0, 2 * latent)
                    .losses(loss, 0).terms(terms, 0, layout.groups()).weights(scale, beta)
                    .missingAtExpectation(expected);
        }

        /** Output gradient, head gradient, losses and terms. */
        float[][] run(LossKernel k, boolean expected) {
            float[] dOut = new float[batch * layout.outputColumns()];
            float[] dh = new float[batch * 2 * latent];
            float[] loss = new float[batch];
            float[] terms = new float[batch * layout.groups()];
            k.lossAndGradient(arguments(dOut, dh, loss, terms, expected), 0, batch);
            return new float[][] {dOut, dh, loss, terms};
        }
    }

    static LossLayout randomLayout(SplittableRandom r, int maxGroups) {
        int g = r.nextInt(4) == 0 ? 0 : r.nextInt(maxGroups + 1);
        int bn = r.nextInt(3) == 0 ? 0 : r.nextInt(maxGroups / 2 + 1);
        int[] levels = new int[r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(6)];
        for (int c = 0; c < levels.length; c++) {
            levels[c] = 2 + r.nextInt(r.nextInt(5) == 0 ? 40 : 10);
        }
        if (g + bn + levels.length == 0) {
            g = 1;
        }
        return LossLayout.of(g, bn, levels);
    }

    /** The whole batch split over the pool's threads, as a kernel. */
    static LossKernel threaded(ParallelKernels parallel) {
        return new MixedLossKernel() {
            @Override
            public void lossAndGradient(LossBatch b, int from, int to) {
                parallel.loss(parallel.kernels().mixedLoss(), b);
            }
        };
    }

    @Test
    void gradientsLossesAndTermsAreBitIdenticalAtEveryWidthAndThreadCount() {
        try (WorkerPool pool = new WorkerPool(3)) {
            SeededCases.check(60, integers().between(1, 40), integers().between(1, 5), (batch, latent, r) -> {
                long seed = r.nextLong();
                Batch b = Batch.random(batch, randomLayout(r, 70), latent, r.nextDouble() * 0.4, seed);
                for (boolean expected : new boolean[] {false, true}) {
                    float[][] ref = b.run(MixedLossScalar.INSTANCE, expected);
                    for (Width w : TestSupport.allWidths()) {
                        for (float[][] got : new float[][][] {b.run(Kernels.of(w).mixedLoss(), expected),
                            b.run(threaded(new ParallelKernels(Kernels.of(w), pool)), expected)}) {
                            String what = " at " + w + " " + b.layout() + (expected ? " (expected)" : "");
                            BitEquality.require(ref[0], got[0], "d output" + what);
                            BitEquality.require(ref[1], got[1], "d head" + what);
                            BitEquality.require(ref[2], got[2], "loss" + what);
                            BitEquality.require(ref[3], got[3], "terms" + what);
                        }
                    }
                }
            });
        }
    }

    @Test
    void withOnlyGaussianOrOnlyBernoulliGroupsItIsThoseFamiliesBitForBit() {
        qt().withExamples(30).forAll(integers().between(1, 30), TestSupport.size(200), longs().all())
                .checkAssert((batch, features, seed) -> {
                    for (Width w : TestSupport.allWidths()) {
                        Kernels k = Kernels.of(w);
                        Batch gaussian = Batch.random(batch, LossLayout.of(features, 0), 2, 0, seed);
                        float[][] mixed = gaussian.run(k.mixedLoss(), false);
                        float[][] plain = family(k.gaussianLoss(), gaussian, 2);
                        for (int p = 0; p < 3; p++) {
                            BitEquality.require(plain[p], mixed[p], "Gaussian part " + p + " at " + w);
                        }
                        Batch bernoulli = Batch.random(batch, LossLayout.of(0, features), 2, 0, seed);
                        mixed = bernoulli.run(k.mixedLoss(), false);
                        plain = family(k.bernoulliLoss(), bernoulli, 1);
                        for (int p = 0; p < 3; p++) {
                            BitEquality.require(plain[p], mixed[p], "Bernoulli part " + p + " at " + w);
                        }
                    }
                });
    }

    private static float[][] family(LossKernel kernel, Batch b, int outputs) {
        int f = b.layout().groups();
        float[] dOut = new float[b.batch() * outputs * f];
        float[] dh = new float[b.batch() * 2 * b.latent()];
        float[] loss = new float[b.batch()];
        kernel.lossAndGradient(LossBatch.dense(b.batch(), f, b.latent(), outputs, b.out(), b.x(), b.head(), dOut, dh,
                loss).weights(b.scale(), b.beta()), 0, b.batch());
        return new float[][] {dOut, dh, loss};
    }

    /**
     * A missing cell changes nothing but its own group: the other groups' terms and gradients keep their bits, its
     * gradients are zero, and its term is 0 in training and its expected value when scoring.
     */
    @Test
    void aMissingCellChangesOnlyItsOwnTerm() {
        SeededCases.check(60, integers().between(1, 8), (batch, r) -> {
            long seed = r.nextLong();
            Batch full = Batch.random(batch, randomLayout(r, 20), 2, 0, seed);
            LossLayout layout = full.layout();
            int row = r.nextInt(batch);
            int group = r.nextInt(layout.groups());
            float[] x = full.x().clone();
            x[row * layout.groups() + group] = Float.NaN;
            Batch gap = new Batch(batch, layout, 2, full.scale(), full.beta(), full.out(), x, full.head());
            for (Width w : TestSupport.allWidths()) {
                for (boolean expected : new boolean[] {false, true}) {
                    float[][] a = full.run(Kernels.of(w).mixedLoss(), expected);
                    float[][] b = gap.run(Kernels.of(w).mixedLoss(), expected);
                    int[] own = outputsOf(layout, group);
                    for (int i = 0; i < a[0].length; i++) {
                        int col = i % layout.outputColumns();
                        boolean mine = i / layout.outputColumns() == row && Arrays.stream(own).anyMatch(c -> c == col);
                        if (mine) {
                            assertEquals(0f, b[0][i], "a missing cell's gradient at " + w);
                        } else {
                            assertEquals(Float.floatToIntBits(a[0][i]), Float.floatToIntBits(b[0][i]),
                                    "gradient " + i + " changed at " + w + " " + layout);
                        }
                    }
                    BitEquality.require(a[1], b[1], "head gradient at " + w);
                    for (int t = 0; t < a[3].length; t++) {
                        if (t != row * layout.groups() + group) {
                            assertEquals(Float.floatToIntBits(a[3][t]), Float.floatToIntBits(b[3][t]), "term " + t);
                        } else if (!expected) {
                            assertEquals(0f, b[3][t], "a missing cell adds nothing in training");
                        } else {
                            assertTrue(Float.isFinite(b[3][t]), "expected term " + b[3][t]);
                        }
                    }
                }
            }
        });
    }

    /** The output columns of group g. */
    static int[] outputsOf(LossLayout l, int g) {
        if (g < l.gaussian()) {
            return new int[] {g, l.gaussian() + g};
        }
        if (g < l.gaussian() + l.bernoulli()) {
            return new int[] {l.gaussian() + g};
        }
        int c = g - l.gaussian() - l.bernoulli();
        int[] cols = new int[l.levels(c)];
        for (int q = 0; q < cols.length; q++) {
            cols[q] = l.logitStart(c) + q;
        }
        return cols;
    }

    /** Terms and losses against their definitions in double; the terms add up to the reconstruction term. */
    @Test
    void lossAndTermsMatchTheirDefinitions() {
        SeededCases.check(40, integers().between(1, 10), integers().between(1, 4), (batch, latent, r) -> {
            long seed = r.nextLong();
            Batch b = Batch.random(batch, randomLayout(r, 40), latent, 0.2, seed);
            LossLayout l = b.layout();
            for (boolean expected : new boolean[] {false, true}) {
                float[][] got = b.run(Kernels.of(Width.AUTO).mixedLoss(), expected);
                for (int i = 0; i < batch; i++) {
                    double recon = 0;
                    double sumTerms = 0;
                    for (int g = 0; g < l.groups(); g++) {
                        double exact = exactTerm(b, i, g, expected);
                        float term = got[3][i * l.groups() + g];
                        assertTrue(Math.abs(term - exact) <= 2e-5 * Math.abs(exact) + 2e-4, "row " + i
                                + " group " + g + ": " + term + " vs exact " + exact + " " + l);
                        recon += exact;
                        sumTerms += term;
                    }
                    double kl = LossDefinitions.kl(q -> b.head()[q], i * 2 * latent, latent);
                    double tol = 3e-5 * (Math.abs(recon) + kl) + 2e-4 * l.groups() + 1e-3;
                    assertTrue(Math.abs(got[2][i] - (recon + kl)) <= tol, got[2][i] + " vs " + (recon + kl));
                    assertTrue(Math.abs(got[2][i] - kl - sumTerms) <= tol, "terms add up");
                }
            }
        });
    }

    static double exactTerm(Batch b, int i, int g, boolean expected) {
        LossLayout l = b.layout();
        return LossDefinitions.mixedTerm(q -> b.out()[q], i * l.outputColumns(), l, g, b.x()[i * l.groups() + g],
                expected);
    }

    @Test
    void aTargetThatIsNoLevelIsRefused() {
        Batch b = Batch.random(1, LossLayout.of(0, 0, 3), 1, 0, 1);
        b.x()[0] = 3f;
        for (Width w : TestSupport.allWidths()) {
            assertThrows(IllegalArgumentException.class, () -> b.run(Kernels.of(w).mixedLoss(), false), w.spelling());
        }
        assertThrows(IllegalArgumentException.class, () -> LossLayout.of(1, 0, 1));
    }
}
