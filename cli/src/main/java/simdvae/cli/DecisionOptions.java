package simdvae.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.decide.Decision;

/**
 * {@code --contamination F}, {@code --threshold X} or {@code --fdr Q}: when a row is an outlier, over the model's
 * default.
 */
public final class DecisionOptions {
    @Mixin
    ContaminationOption contamination;

    @Option(names = "--threshold", paramLabel = "NATS", description = "Flag the rows whose score is above NATS"
            + " instead (column outlier).")
    Double threshold;

    @Option(names = "--fdr", paramLabel = "Q", description = "Flag the rows that Benjamini-Hochberg finds at a"
            + " false-discovery rate Q over all the rows scored, from their p-values (for when no contamination can"
            + " be named): at most a share Q of the flagged rows are expected to be normal ones.")
    Double fdr;

    /** Options are filled in by picocli. */
    public DecisionOptions() {
    }

    /**
     * {@code vae} deciding as asked: by these options, else by its own default (which may be none).
     *
     * @param vae the model
     * @return the model deciding so
     */
    public Vae apply(Vae vae) {
        Double share = contamination.value();
        if ((share != null ? 1 : 0) + (threshold != null ? 1 : 0) + (fdr != null ? 1 : 0) > 1) {
            throw new SimdvaeException("give one of --contamination, --threshold and --fdr");
        }
        if (fdr != null) {
            if (vae.reference() == null) {
                throw Decision.noReference();
            }
            return vae.withDecision(Decision.fdr(fdr));
        }
        if (share != null) {
            if (vae.reference() == null) {
                throw Decision.noReference();
            }
            return vae.withDecision(Decision.contamination(share));
        }
        return threshold != null ? vae.withDecision(Decision.threshold(threshold)) : vae;
    }

    /**
     * How a model decided, for a message: ", contamination 0.05 of its 900 validation rows", or nothing for a
     * threshold given in nats.
     *
     * @param vae the model
     * @return the text
     */
    static String describe(Vae vae) {
        Decision d = vae.decision();
        return switch (d.kind()) {
            case CONTAMINATION -> ", contamination " + d.value() + " of the model's " + vae.reference().rows() + " "
                    + vae.reference().source() + " rows";
            case FDR -> ", false-discovery rate " + d.value() + " (Benjamini-Hochberg on the p-values)";
            default -> "";
        };
    }
}
