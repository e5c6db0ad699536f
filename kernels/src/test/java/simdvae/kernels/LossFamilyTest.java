package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import simdvae.core.BitEquality;
import simdvae.core.Width;
import simdvae.core.WorkerPool;

/**
 * The contract every loss family of one output block a feature keeps, checked alike for each
 * ({@link BernoulliLossTest}, {@link GaussianLossTest}): each width's kernel, alone and split over threads, writes the
 * scalar reference's bits; per-feature terms are the reference's and add up to the reconstruction term; each row's
 * loss is its definition in double ({@link LossDefinitions}) and finite. A subclass names the family, its random
 * minibatches, a target's term by definition and the tolerance on a row's loss.
 */
abstract class LossFamilyTest {
    /** A family's minibatch, dense: every matrix from offset 0 with rows packed back to back. */
    record Case(int batch, int features, int latent, int outputsPerFeature, float scale, float beta, float[] out,
                float[] x, float[] head) {
        LossBatch arguments(float[] dOut, float[] dHead, float[] loss) {
            return LossBatch.dense(batch, features, latent, outputsPerFeature, out, x, head, dOut, dHead, loss)
                    .weights(scale, beta);
        }

        /** Output gradient, head gradient and losses of {@code k}. */
        float[][] run(LossKernel k) {
            float[][] got = outputs();
            k.lossAndGradient(arguments(got[0], got[1], got[2]), 0, batch);
            return got;
        }

        /** The same and the per-feature terms, with the terms asked for. */
        float[][] runWithTerms(LossKernel k) {
            float[][] got = outputs();
            float[] terms = new float[batch * features];
            k.lossAndGradient(arguments(got[0], got[1], got[2]).terms(terms, 0, features), 0, batch);
            return new float[][] {got[0], got[1], got[2], terms};
        }

        private float[][] outputs() {
            return new float[][] {new float[batch * outputsPerFeature * features], new float[batch * 2 * latent],
                new float[batch]};
        }
    }

    /** A family's random minibatches. */
    interface Cases {
        Case random(int batch, int features, int latent, long seed);
    }

    /** A target's reconstruction term from its definition, in double. */
    interface ExactTerm {
        double of(Case c, int row, int feature);
    }

    /** How far a row's loss may be from its definition. */
    interface Tolerance {
        double of(double exact, int features);
    }

    /**
     * A family as the contract's checks need it.
     *
     * @param reference   the family's scalar reference
     * @param kernel      its kernel in a kernel set
     * @param cases       its random minibatches
     * @param term        a target's term by definition
     * @param maxFeatures the widest row the width and definition checks draw
     * @param tolerance   how far a row's loss may be from its definition
     */
    record Family(LossKernel reference, Function<Kernels, LossKernel> kernel, Cases cases, ExactTerm term,
                  int maxFeatures, Tolerance tolerance) {
    }

    private final Family family;

    LossFamilyTest(Family family) {
        this.family = family;
    }

    /** Bounds a family puts on a row's loss beyond its definition (none unless overridden). */
    void checkRowLoss(float loss, int features, Width w) {
    }

    /** Each row's loss in double, straight from its definition. */
    private double[] exactLoss(Case c) {
        double[] loss = new double[c.batch()];
        for (int i = 0; i < c.batch(); i++) {
            double s = 0;
            for (int j = 0; j < c.features(); j++) {
                s += family.term().of(c, i, j);
            }
            loss[i] = s + LossDefinitions.kl(q -> c.head()[q], i * 2 * c.latent(), c.latent());
        }
        return loss;
    }

    @Test
    void gradientsAndLossesAreBitIdenticalAtEveryWidthAndThreadCount() {
        try (WorkerPool pool = new WorkerPool(3)) {
            qt().withExamples(40).forAll(integers().between(1, 60), TestSupport.size(family.maxFeatures()),
                    integers().between(1, 5), longs().all()).checkAssert((batch, features, latent, seed) -> {
                        Case b = family.cases().random(batch, features, latent, seed);
                        float[][] ref = b.run(family.reference());
                        for (Width w : TestSupport.allWidths()) {
                            LossKernel kernel = family.kernel().apply(Kernels.of(w));
                            ParallelKernels parallel = new ParallelKernels(Kernels.of(w), pool);
                            LossKernel threaded = (args, from, to) -> parallel.loss(kernel, args);
                            for (float[][] got : new float[][][] {b.run(kernel), b.run(threaded)}) {
                                BitEquality.require(ref[0], got[0], "d output at " + w);
                                BitEquality.require(ref[1], got[1], "d head at " + w);
                                BitEquality.require(ref[2], got[2], "loss at " + w);
                            }
                        }
                    });
        }
    }

    @Test
    void termsAreTheReferencesAtEveryWidthLeaveTheLossAloneAndAddUpToTheReconstructionTerm() {
        qt().withExamples(20).forAll(integers().between(1, 20), TestSupport.size(300), integers().between(1, 4),
                longs().all()).checkAssert((batch, features, latent, seed) -> {
                    Case b = family.cases().random(batch, features, latent, seed);
                    TestSupport.checkTerms(family.reference(), family.kernel(), b::run, b::runWithTerms, b.head(),
                            batch, features, latent);
                });
    }

    @Test
    void lossMatchesItsDefinitionAndStaysFinite() {
        qt().withExamples(40).forAll(integers().between(1, 20), TestSupport.size(family.maxFeatures()),
                integers().between(1, 4), longs().all()).checkAssert((batch, features, latent, seed) -> {
                    Case b = family.cases().random(batch, features, latent, seed);
                    double[] exact = exactLoss(b);
                    for (Width w : TestSupport.allWidths()) {
                        float[][] got = b.run(family.kernel().apply(Kernels.of(w)));
                        for (int i = 0; i < batch; i++) {
                            assertTrue(Float.isFinite(got[2][i]), "finite loss at " + w);
                            double tol = family.tolerance().of(exact[i], features);
                            assertTrue(Math.abs(got[2][i] - exact[i]) <= tol, "sample " + i + " at " + w + ": "
                                    + got[2][i] + " vs exact " + exact[i]);
                            checkRowLoss(got[2][i], features, w);
                        }
                        for (float d : got[0]) {
                            assertTrue(Float.isFinite(d), "gradient " + d + " at " + w);
                        }
                    }
                });
    }
}
