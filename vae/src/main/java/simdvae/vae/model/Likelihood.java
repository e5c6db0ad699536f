package simdvae.vae.model;

import simdvae.kernels.BernoulliLossScalar;
import simdvae.kernels.GaussianLossScalar;
import simdvae.kernels.Kernels;
import simdvae.kernels.LossKernel;

/** The decoder's distribution p(x|z), and so the reconstruction term of the loss. */
public enum Likelihood implements Spelled {
    /**
     * Independent Bernoulli per feature, for values in [0, 1] (pixels): the decoder outputs one logit per feature;
     * the loss is the binary cross-entropy. The default for images.
     */
    BERNOULLI(BernoulliLossScalar.INSTANCE),
    /**
     * Independent Gaussian per feature, for real values: the decoder outputs a mean and a log-variance per feature
     * (the log-variance soft-clamped to (−7, 7), see {@link simdvae.kernels.GaussianLossKernel}); the loss is the
     * negative log-density in nats. The default for tabular data, which it standardizes.
     */
    GAUSSIAN(GaussianLossScalar.INSTANCE);

    /** The family's scalar reference, which says how many outputs a feature the decoder has. */
    private final LossKernel reference;

    Likelihood(LossKernel reference) {
        this.reference = reference;
    }

    /**
     * The fused loss-and-gradient kernel of this likelihood at the kernels' width.
     *
     * @param kernels the kernels of one width
     * @return {@link Kernels#bernoulliLoss()} or {@link Kernels#gaussianLoss()}
     */
    public LossKernel kernel(Kernels kernels) {
        return switch (this) {
            case BERNOULLI -> kernels.bernoulliLoss();
            case GAUSSIAN -> kernels.gaussianLoss();
        };
    }

    /**
     * Decoder outputs per input feature.
     *
     * @return 1 (logits) or 2 (mean and log-variance)
     */
    public int outputsPerFeature() {
        return reference.outputsPerFeature();
    }

    /**
     * Whether the model's values, after scaling, must lie in [0, 1] (Bernoulli's probabilities): the one place that
     * says which likelihood restricts its data.
     *
     * @return true for Bernoulli
     */
    public boolean needsUnitRange() {
        return this == BERNOULLI;
    }

    /**
     * Whether the decoder also outputs a log-variance per feature.
     *
     * @return true for Gaussian
     */
    public boolean hasVariance() {
        return this == GAUSSIAN;
    }

    /**
     * Parses a {@link #spelling()}.
     *
     * @param text the label (case and spaces ignored)
     * @return the likelihood
     */
    public static Likelihood parse(String text) {
        return Spelling.parse(values(), text, "likelihood");
    }
}
