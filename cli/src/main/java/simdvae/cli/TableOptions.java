package simdvae.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code train}'s options for CSV data beyond {@link DataOption}: which columns, how read, which rows test. */
final class TableOptions {
    @Option(names = "--features", paramLabel = "A,B,...", split = ",", description = "CSV data: the feature"
            + " columns, in order (default: every column but the label).")
    List<String> featureColumns;

    @Option(names = "--test-data", paramLabel = "FILE", description = "CSV data: a file of test rows with the"
            + " same columns (default: a seeded --test-split of --data).")
    Path testData;

    @Option(names = "--test-split", paramLabel = "F", description = "CSV data without --test-data: the fraction of"
            + " rows held out for testing, chosen by --seed (default ${DEFAULT-VALUE}).")
    double testSplit = 0.1;

    @Option(names = "--categorical", paramLabel = "A,B,...", split = ",", description = "CSV data: columns read as"
            + " categorical even when every cell is a number (codes, zip codes, ordinal levels). A column with a"
            + " text cell is categorical anyway.")
    List<String> categorical;

    @Option(names = "--numeric", paramLabel = "A,B,...", split = ",", description = "CSV data: columns that must"
            + " be numeric (a text cell in one is an error naming file, line and column).")
    List<String> numeric;

    /** Whether any of them was given (they are for CSV data only). */
    boolean given() {
        return featureColumns != null || testData != null || categorical != null || numeric != null;
    }

    /** Puts them into a fresh run's settings. */
    void into(RunHistory h) {
        h.features = featureColumns;
        h.testData = testData == null ? null : testData.toString();
        h.testSplit = testSplit;
        h.categorical = categorical;
        h.numeric = numeric;
    }
}
