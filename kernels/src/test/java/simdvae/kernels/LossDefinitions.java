package simdvae.kernels;

import java.util.function.IntToDoubleFunction;

/**
 * The loss terms from their definitions, in double: what the kernel tests and the model's gradient checks hold the
 * fused loss kernels against, written once. Rows are read through an index function ({@code i -> a[i]}), so a float
 * batch and a double gradient-check input use the same definitions.
 */
public final class LossDefinitions {
    private LossDefinitions() {
    }

    /**
     * softplus(l) = log(1 + e^l), without overflow.
     *
     * @param logit l
     * @return softplus(l)
     */
    public static double softplus(double logit) {
        return Math.max(logit, 0) + Math.log1p(Math.exp(-Math.abs(logit)));
    }

    /**
     * A Bernoulli target's cross-entropy: softplus(l) − x·l.
     *
     * @param logit  l
     * @param target x in [0, 1]
     * @return the term
     */
    public static double bernoulli(double logit, double target) {
        return softplus(logit) - target * logit;
    }

    /**
     * The Gaussian family's log-variance from the decoder's raw output: 7·tanh(r/7).
     *
     * @param raw r
     * @return log σ²
     */
    public static double logVar(double raw) {
        return 7 * Math.tanh(raw / 7.0);
    }

    /**
     * A Gaussian target's negative log-likelihood: ½(log 2π + log σ² + (x − m)²/σ²).
     *
     * @param mean   m
     * @param raw    the raw log-variance r ({@link #logVar})
     * @param target x
     * @return the term
     */
    public static double gaussian(double mean, double raw, double target) {
        double lv = logVar(raw);
        double d = target - mean;
        return 0.5 * (Math.log(2 * Math.PI) + lv + d * d * Math.exp(-lv));
    }

    /**
     * A row's KL term from its head, μ in [h, h + latent) and log σ² in [h + latent, h + 2·latent).
     *
     * @param head   the head's values by index
     * @param h      where the row's μ starts
     * @param latent the latent size
     * @return ½ Σ (σ² + μ² − 1 − log σ²)
     */
    public static double kl(IntToDoubleFunction head, int h, int latent) {
        double kl = 0;
        for (int q = 0; q < latent; q++) {
            double mu = head.applyAsDouble(h + q);
            double lv = head.applyAsDouble(h + latent + q);
            kl += 0.5 * (Math.exp(lv) + mu * mu - 1 - lv);
        }
        return kl;
    }

    /**
     * log Σ_q e^{l_q} over {@code k} logits from {@code start}, shifted by the largest.
     *
     * @param logits the logits by index
     * @param start  the first
     * @param k      how many
     * @return the log-sum-exp
     */
    public static double logSumExp(IntToDoubleFunction logits, int start, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < k; q++) {
            max = Math.max(max, logits.applyAsDouble(start + q));
        }
        double sum = 0;
        for (int q = 0; q < k; q++) {
            sum += Math.exp(logits.applyAsDouble(start + q) - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Group {@code g}'s term of a mixed table's row: Gaussian, Bernoulli or softmax cross-entropy by the layout. A
     * missing target (NaN) adds nothing, or with {@code expected} its expected value under the model.
     *
     * @param out      the decoder output by index
     * @param o        where the row's output starts
     * @param l        the layout
     * @param g        the group
     * @param target   its target, NaN when missing
     * @param expected whether a missing target counts at its expectation
     * @return the term
     */
    public static double mixedTerm(IntToDoubleFunction out, int o, LossLayout l, int g, double target,
                                   boolean expected) {
        boolean missing = Double.isNaN(target);
        if (missing && !expected) {
            return 0;
        }
        if (g < l.gaussian()) {
            double mean = out.applyAsDouble(o + g);
            double raw = out.applyAsDouble(o + l.gaussian() + g);
            return missing ? 0.5 * (Math.log(2 * Math.PI) + logVar(raw) + 1) : gaussian(mean, raw, target);
        }
        if (g < l.gaussian() + l.bernoulli()) {
            double logit = out.applyAsDouble(o + l.gaussian() + g);
            return bernoulli(logit, missing ? 1 / (1 + Math.exp(-logit)) : target);
        }
        int c = g - l.gaussian() - l.bernoulli();
        int s = o + l.logitStart(c);
        int k = l.levels(c);
        double lse = logSumExp(out, s, k);
        if (!missing) {
            return lse - out.applyAsDouble(s + (int) target);
        }
        double mean = 0;
        for (int q = 0; q < k; q++) {
            mean += Math.exp(out.applyAsDouble(s + q) - lse) * out.applyAsDouble(s + q);
        }
        return lse - mean;
    }
}
