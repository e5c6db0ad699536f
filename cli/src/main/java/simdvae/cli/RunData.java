package simdvae.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.ImageDataset;
import simdvae.vae.data.TableFormat;
import simdvae.vae.data.TabularDataset;
import simdvae.vae.model.RngStreams;

/**
 * A run's rows: training, test and (with a validation split) validation rows, from IDX splits or from a CSV file
 * and its test file or seeded test split; the validation rows are a seeded split of the training rows.
 *
 * @param train      the rows trained on
 * @param test       the test rows
 * @param validation the validation rows, or null
 * @param images     whether the data are IDX images
 * @param source     where they came from, for messages and metrics
 * @param table      the CSV file's rows before any split (null for images)
 */
record RunData(Dataset train, Dataset test, Dataset validation, boolean images, String source,
               TabularDataset table) {
    /**
     * These rows with a validation split of share {@code split} held out of the training rows, as {@link #load} holds
     * it out for that share and {@code seed}.
     */
    RunData withValidation(double split, long seed) {
        Dataset.Split s = train.split(split, seed, RngStreams.VALIDATION_SPLIT);
        return new RunData(s.kept(), test, s.heldOut(), images, source, table);
    }

    /** The data {@code settings} name, read as they say, split with {@code seed}. */
    static RunData load(RunHistory settings, long seed) {
        Path path = Path.of(settings.data);
        Dataset train;
        Dataset test;
        TabularDataset table = null;
        boolean images = !DataOption.isCsv(path);
        if (images) {
            train = ImageDataset.load(path, "train");
            test = ImageDataset.load(path, "t10k");
            if (train.columns() != test.columns()) {
                throw new SimdvaeException("the images in " + path + " have " + train.columns() + " and "
                        + test.columns() + " pixels");
            }
        } else {
            TableFormat format = DataOption.format(settings.missingValues, settings.missing,
                    settings.forcedKinds());
            table = TabularDataset.read(path, settings.features, settings.labelColumn, false, format);
            if (settings.testData != null) {
                train = table;
                // the test file's columns are read as the training file's were
                Map<String, Dataset.Kind> kinds = new HashMap<>();
                for (int j = 0; j < table.columns(); j++) {
                    kinds.put(table.columnNames().get(j), table.kind(j));
                }
                test = TabularDataset.read(Path.of(settings.testData), table.columnNames(), settings.labelColumn,
                        false, format.withKinds(kinds));
            } else {
                Dataset.Split split = table.split(settings.testSplit, seed, RngStreams.TEST_SPLIT);
                train = split.kept();
                test = split.heldOut();
            }
        }
        Dataset validation = null;
        if (settings.validationSplit != null) {
            Dataset.Split split = train.split(settings.validationSplit, seed, RngStreams.VALIDATION_SPLIT);
            train = split.kept();
            validation = split.heldOut();
        }
        return new RunData(train, test, validation, images, path.toString(), table);
    }
}
