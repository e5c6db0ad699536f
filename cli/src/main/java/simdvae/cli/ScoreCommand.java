package simdvae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Scores;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;

/** {@code simdvae score}: a per-row anomaly score (and optionally the importance-weighted NLL) as CSV. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score every row of a data set with a trained model, as CSV with one line per input row:",
            "score (the negative ELBO, nats, one seeded z per row; higher = more anomalous), reconstruction (-log",
            "p(x|z) at z = mu), kl, nll_k (with --iw-samples K: the importance-weighted negative log-likelihood,",
            "-log p(x) estimated with K samples), percentile (the share of the model's reference rows that score",
            "lower, 0-100), outlier (0/1, with a contamination or threshold), with --per-column one column",
            "nats_<column> a column (its share of the reconstruction term), and the label column under its own name",
            "('label' for images). An output name that equals an input column's gets a leading underscore. Writes",
            "--out (default scores.csv)."})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    ModelData input;

    @Option(names = "--iw-samples", paramLabel = "K", description = "Also estimate -log p(x) per row with K"
            + " importance samples (column nll_k; costs K decoder passes per row).")
    Integer iwSamples;

    @Mixin
    DecisionOptions decision;

    @Option(names = "--per-column", description = "Also write each column's share of the reconstruction term at"
            + " z = mu, in nats (columns nats_<column>; they add up to reconstruction).")
    boolean perColumn;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() throws IOException {
        if (iwSamples != null && iwSamples < 1) {
            throw new SimdvaeException("--iw-samples must be at least 1, got " + iwSamples);
        }
        Path out = output.path("scores.csv");
        ModelData.Loaded in = input.load();
        Vae vae = decision.apply(in.vae());
        Dataset d = in.data();
        Scores s = vae.score(d, perColumn);
        double[] ll = iwSamples == null ? null : vae.logLikelihood(d, iwSamples);
        String labelName = d.labelName() != null ? d.labelName() : d.label(0) >= 0 ? "label" : null;
        List<String> inputs = inputNames(vae, labelName);
        List<String> header = new ArrayList<>();
        for (String name : outputs(s, ll != null)) {
            header.add(Output.outputName(name, inputs));
        }
        List<String> columns = Output.columnNames(vae);
        if (perColumn) {
            for (String c : columns) {
                header.add(Output.outputName("nats_" + c, inputs));
            }
        }
        if (labelName != null) {
            header.add(labelName);
        }
        Output.writeCsv(out, header, d.size(), (i, row) -> {
            row.add(s.negativeElbo()[i]);
            row.add(s.reconstruction()[i]);
            row.add(s.kl()[i]);
            if (ll != null) {
                row.add(-ll[i]);
            }
            if (s.percentiles() != null) {
                row.add(s.percentile(i));
            }
            if (!Double.isNaN(s.threshold())) {
                row.add(s.outlier(i) ? 1 : 0);
            }
            if (perColumn) {
                for (float v : s.perColumn()[i]) {
                    row.add(v);
                }
            }
            if (labelName != null) {
                row.add(d.labelText(i));
            }
        });
        double mean = 0;
        for (double v : s.negativeElbo()) {
            mean += v;
        }
        System.err.printf("simdvae: scored %d rows: mean score %.3f nats%s%n", d.size(), mean / d.size(),
                ll == null ? "" : String.format(", mean nll_k %.3f (k = %d)", -java.util.Arrays.stream(ll).average()
                        .orElse(Double.NaN), iwSamples));
        if (!Double.isNaN(s.threshold())) {
            int outliers = 0;
            for (int i = 0; i < d.size(); i++) {
                outliers += s.outlier(i) ? 1 : 0;
            }
            System.err.printf("simdvae: %d outliers (%.2f %%) above %.3f nats%s%n", outliers, 100.0 * outliers
                    / d.size(), s.threshold(), DecisionOptions.describe(vae));
        }
        System.out.println(out.toAbsolutePath());
        return 0;
    }

    /** The score columns, before the per-column ones and the label, under their own names. */
    private static List<String> outputs(Scores s, boolean nll) {
        List<String> names = new ArrayList<>(List.of("score", "reconstruction", "kl"));
        if (nll) {
            names.add("nll_k");
        }
        if (s.percentiles() != null) {
            names.add("percentile");
        }
        if (!Double.isNaN(s.threshold())) {
            names.add("outlier");
        }
        return names;
    }

    /** The names an output column must not take: the model's columns and the label. */
    static List<String> inputNames(Vae vae, String labelName) {
        List<String> names = new ArrayList<>(vae.features().names() == null ? List.of() : vae.features().names());
        if (labelName != null) {
            names.add(labelName);
        }
        return names;
    }
}
