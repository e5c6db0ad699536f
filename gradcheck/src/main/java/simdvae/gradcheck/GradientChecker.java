package simdvae.gradcheck;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Checks an analytic backward pass against central finite differences computed in double precision.
 *
 * <p>You give the operation twice: its <em>definition</em> in double ({@link Forward}), used only for the finite
 * differences, and the <em>kernel under test</em> as a backward pass in float ({@link Backward}). The checker draws
 * a random upstream gradient w, forms the scalar {@code L(x) = Σ_i w_i·f(x)_i}, and compares the backward's
 * {@code dL/dx} with {@code (L(x + h·e_j) − L(x − h·e_j)) / 2h} for every input j.
 *
 * <h2>Why this tolerance</h2>
 * The numeric side is computed in double with {@code h = 1e-5·max(1, |x_j|)} (near the cube root of double's
 * epsilon, the best step for a central difference): its truncation error is O(h²·f''') and its rounding error
 * O(2⁻⁵³·|L|/h), together about 1e-9 relative for smooth functions of moderate size — far below float. The analytic
 * side runs in float: each gradient element is a sum of up to K products, each rounded to 24 bits, so its error is
 * bounded by about {@code K·2⁻²⁴} times the sum of the magnitudes of its terms (γ_K in Higham's notation); for the
 * sizes of a layer (K ≤ 1000) that is at most 6e-5 of the largest terms and in practice, with errors of random
 * sign, about {@code √K·2⁻²⁴} ≈ 2e-6. Elementwise relative error is the wrong yardstick (a gradient element that
 * cancels to near zero has a huge relative error and no real one), so the check is mixed absolute/relative:
 * {@code |a_j − n_j| ≤ tol·(|n_j| + max_k |n_k|)}. The default {@link #DEFAULT_TOLERANCE} of 2e-4 sits above
 * the worst case float rounding can produce at K ≤ 1000 (6e-5) and well below what a real bug gives: a wrong sign, a
 * missing term or factor is an error of order 1 in the affected elements, and even a 1% error in an element a fifth
 * the size of the largest one fails (the tests check that the checker rejects such a gradient).
 *
 * <p>Functions with kinks (ReLU) must be checked at inputs farther than h from the kink.
 *
 * <pre>{@code
 *   GradientChecker.Result r = GradientChecker.check(input,
 *       x -> myOpInDouble(x),                  // definition
 *       (x, dy) -> myKernelBackward(x, dy),    // float kernel under test
 *       seed, GradientChecker.DEFAULT_TOLERANCE);
 *   r.assertPassed();                          // AssertionError naming the worst element and the seed
 * }</pre>
 */
public final class GradientChecker {
    /** See the class documentation for why. */
    public static final double DEFAULT_TOLERANCE = 2e-4;

    private GradientChecker() {
    }

    /** The operation's definition in double: inputs to outputs. */
    @FunctionalInterface
    public interface Forward {
        /**
         * The operation.
         *
         * @param input the inputs
         * @return the outputs, as many for every call
         */
        double[] apply(double[] input);
    }

    /** The kernel's backward pass in float: inputs and upstream gradient (one per output) to input gradient. */
    @FunctionalInterface
    public interface Backward {
        /**
         * The backward pass under test.
         *
         * @param input   the inputs, as the forward saw them (rounded to float)
         * @param dOutput the gradient of the loss with respect to each output
         * @return the gradient of the loss with respect to each input
         */
        float[] apply(float[] input, float[] dOutput);
    }

    /**
     * The outcome: the worst element and everything needed to replay it.
     *
     * @param seed       the seed of the random upstream gradient
     * @param tolerance  the scaled error allowed
     * @param worstIndex the input element with the largest scaled error (-1 for no inputs)
     * @param worstError its scaled error
     * @param analytic   the backward pass's gradient, per input
     * @param numeric    the central differences' gradient, per input
     */
    public record Result(long seed, double tolerance, int worstIndex, double worstError, double[] analytic,
                         double[] numeric) {
        /**
         * Whether every element is within the tolerance.
         *
         * @return true when the check passed
         */
        public boolean passed() {
            return worstError <= tolerance;
        }

        /**
         * Fails a test when the check failed.
         *
         * @return this result, when it passed
         * @throws AssertionError naming the seed and the worst element, if the check failed
         */
        public Result assertPassed() {
            if (!passed()) {
                throw new AssertionError(toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.format("gradient check %s (seed %d): worst element %d: analytic %.9g, numeric %.9g,"
                            + " error %.3g (tolerance %.3g)", passed() ? "passed" : "FAILED", seed, worstIndex,
                    worstIndex < 0 ? 0 : analytic[worstIndex], worstIndex < 0 ? 0 : numeric[worstIndex],
                    worstError, tolerance);
        }
    }

    /**
     * Runs the check.
     *
     * @param input     where to differentiate; it is rounded to float for the kernel, and the double forward sees
     *                  the same rounded values
     * @param forward   the operation's definition, in double
     * @param backward  the backward pass under test, in float
     * @param seed      seeds the random upstream gradient
     * @param tolerance the scaled error allowed (see the class documentation); {@link #DEFAULT_TOLERANCE}
     * @return the worst element's error and the two gradients
     */
    public static Result check(double[] input, Forward forward, Backward backward, long seed, double tolerance) {
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
        float[] xf = new float[input.length];
        double[] x = new double[input.length];
        for (int i = 0; i < input.length; i++) {
            xf[i] = (float) input[i];
            x[i] = xf[i];
        }
        int outputs = forward.apply(x).length;
        SplittableRandom random = new SplittableRandom(seed);
        float[] wf = new float[outputs];
        double[] w = new double[outputs];
        for (int i = 0; i < outputs; i++) {
            wf[i] = (float) gaussian(random);
            w[i] = wf[i];
        }
        double[] numeric = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double h = 1e-5 * Math.max(1.0, Math.abs(x[j]));
            double saved = x[j];
            x[j] = saved + h;
            double plus = dot(w, forward.apply(x));
            x[j] = saved - h;
            double minus = dot(w, forward.apply(x));
            x[j] = saved;
            numeric[j] = (plus - minus) / (2 * h);
        }
        float[] af = backward.apply(xf.clone(), wf.clone());
        if (af.length != x.length) {
            throw new IllegalArgumentException("backward returned " + af.length + " gradients for " + x.length
                    + " inputs");
        }
        double[] analytic = new double[af.length];
        double scale = 0;
        for (int j = 0; j < af.length; j++) {
            analytic[j] = af[j];
            scale = Math.max(scale, Math.abs(numeric[j]));
        }
        int worst = -1;
        double worstError = 0;
        for (int j = 0; j < x.length; j++) {
            double err = Math.abs(analytic[j] - numeric[j]) / (Math.abs(numeric[j]) + scale + Double.MIN_NORMAL);
            if (Double.isNaN(err)) {
                err = Double.POSITIVE_INFINITY;
            }
            if (err > worstError || worst < 0) {
                worstError = err;
                worst = j;
            }
        }
        return new Result(seed, tolerance, worst, worstError, analytic, numeric);
    }

    private static double dot(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("forward changed its output size: " + a.length + " vs " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
