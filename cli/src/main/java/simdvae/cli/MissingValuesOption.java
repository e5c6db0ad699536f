package simdvae.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** {@code --missing-values}, declared once for the CSV data of {@code simdvae} and {@code simdvae spark}. */
public final class MissingValuesOption {
    @Option(names = "--missing-values", paramLabel = "TOKEN[,TOKEN...]", split = ",", description = "CSV data:"
            + " texts that mark a missing cell besides the empty one, e.g. NA,?,NaN.")
    List<String> tokens;

    /** Options are filled in by picocli. */
    public MissingValuesOption() {
    }

    /**
     * The tokens given.
     *
     * @return them, or an empty list when the option was not given
     */
    public List<String> tokens() {
        return tokens == null ? List.of() : tokens;
    }
}
