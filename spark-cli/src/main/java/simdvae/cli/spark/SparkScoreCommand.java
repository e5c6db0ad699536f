package simdvae.cli.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.cli.DecisionOptions;
import simdvae.cli.Output;
import simdvae.cli.OutputFile;
import simdvae.spark.VaeModel;
import simdvae.vae.Vae;
import simdvae.vae.decide.Decision;

/** {@code simdvae spark score}: every row's encoding and score, written by the executors. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a data set with a trained model on Spark: columns mu_0..., logvar_0..., score (the"
            + " negative ELBO at z = mu, nats; higher = more anomalous), p_value and percentile (against the model's"
            + " reference rows), outlier (with a decision: the model's, --contamination, --threshold, or --fdr over"
            + " all the rows, which runs one more job to find the cut) and the label column when the data has one."
            + " Writes --out (required): Parquet, or CSV (with a header) when it ends in .csv, a directory of part"
            + " files either way. IDX data: its test split.")
final class SparkScoreCommand implements Callable<Integer> {
    @Mixin
    MasterOption master;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A model file (model.svae).")
    Path model;

    @Mixin
    SparkData data;

    @Mixin
    OutputFile output;

    @Mixin
    DecisionOptions decision;

    @Option(names = "--per-column", description = "Also write each column's share of the reconstruction term at"
            + " z = mu, in nats (columns nats_<column>).")
    boolean perColumn;

    @Override
    public Integer call() {
        Path out = output.required();
        boolean force = output.force();
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(out + " exists (use --force to replace it)");
        }
        Vae vae = decision.apply(Vae.load(model));
        // tabular data: the model's own columns and label unless told otherwise
        if (!data.images() && data.features == null && vae.features().names() != null) {
            data.features = vae.features().names();
        }
        if (data.csv() && data.labelColumn == null) {
            data.labelColumn = vae.features().label();
        }
        SparkSession spark = master.start();
        try {
            if (data.parquet() && data.labelColumn == null && vae.features().label() != null
                    && List.of(spark.read().parquet(data.data.toString()).schema().fieldNames())
                    .contains(vae.features().label())) {
                data.labelColumn = vae.features().label();
            }
            SparkData.Frame f = data.load(spark, "t10k");
            VaeModel scorer = new VaeModel(vae).setOutputPrefix("svae_").setHandleInvalid(data.handleInvalid)
                    .setPerColumn(perColumn);
            if (vae.decision().kind() == Decision.Kind.FDR) {
                scorer.setFdr(vae.decision().value()); // the cut over every row of the data, partitions alike
            }
            String[] cols = f.featureCols();
            if (cols.length == 0 && data.parquet() && vae.features().names() != null
                    && !List.of(f.rows().schema().fieldNames()).contains(f.inputCol())) {
                cols = vae.features().names().toArray(new String[0]);
            }
            if (cols.length > 0) {
                scorer.setFeatureCols(cols);
            } else {
                scorer.setInputCol(f.inputCol());
            }
            Dataset<Row> scored = scorer.transform(f.rows());
            List<Column> select = new ArrayList<>();
            int latent = vae.architecture().latent();
            for (int i = 0; i < latent; i++) {
                select.add(functions.col("svae_mu").getItem(i).alias("mu_" + i));
            }
            for (int i = 0; i < latent; i++) {
                select.add(functions.col("svae_logvar").getItem(i).alias("logvar_" + i));
            }
            List<String> inputs = new ArrayList<>(Output.columnNames(vae));
            if (f.labelCol() != null) {
                inputs.add(f.labelCol());
            }
            select.add(functions.col("svae_score").alias(Output.outputName("score", inputs)));
            if (vae.reference() != null) {
                select.add(functions.col("svae_p_value").alias(Output.outputName("p_value", inputs)));
                select.add(functions.col("svae_percentile").alias(Output.outputName("percentile", inputs)));
            }
            if (vae.decision().kind() != Decision.Kind.NONE) {
                select.add(functions.col("svae_outlier").cast("int").alias(Output.outputName("outlier", inputs)));
            }
            if (perColumn) {
                List<String> names = Output.columnNames(vae);
                for (int j = 0; j < names.size(); j++) {
                    select.add(functions.col("svae_nats").getItem(j).alias(Output.outputName("nats_" + names.get(j),
                            inputs)));
                }
            }
            if (f.labelCol() != null) {
                select.add(functions.col(f.labelCol()));
            }
            Dataset<Row> result = scored.select(select.toArray(new Column[0]));
            boolean csv = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
            var writer = result.write().mode(force ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
            if (csv) {
                writer.option("header", "true").csv(out.toString());
            } else {
                writer.parquet(out.toString());
            }
            Row summary = spark.read().format(csv ? "csv" : "parquet").option("header", "true")
                    .option("inferSchema", "true").load(out.toString())
                    .agg(functions.count(functions.lit(1)), functions.avg(Output.outputName("score", inputs))).first();
            System.err.printf("simdvae spark: scored %d rows: mean score %.3f nats%n", summary.getLong(0),
                    summary.getDouble(1));
            System.out.println(out.toAbsolutePath());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
