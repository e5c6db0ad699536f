package simdvae.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.Simd;
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.vae.Scores;
import simdvae.vae.Vae;
import simdvae.vae.data.CsvStream;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.Storage;
import simdvae.vae.decide.Decision;

/** {@code simdvae score}: each row's anomaly score, p-value, percentile and decision as CSV, from a file or stream. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score every row of a data set with a trained model, as CSV with one line per input row:"
            + " score (the anomaly score, higher = more anomalous: the negative ELBO at z = mu in nats, or for a"
            + " model trained with --neighbours, a CSV table's default, that plus the distance to the nearest"
            + " training rows, each in robust standard deviations of the reference rows), p_value (the"
            + " conformal p-value against the model's reference rows, (1 + #reference >= score) / (n + 1)),"
            + " percentile (the share of the reference rows that score lower, 0-100), outlier (0/1, with a"
            + " contamination, threshold or --fdr), reconstruction (-log p(x|z) at z = mu), kl, negative_elbo (one"
            + " seeded z per row), nll_k (with --iw-samples K: -log p(x) estimated with K importance samples), with"
            + " --per-column one column nats_<column> a column (its share of the reconstruction term), and the"
            + " label column under its own name ('label' for images). An output name that equals an input column's"
            + " gets a leading underscore. Writes --out (default scores.csv). With --data -, reads CSV rows from"
            + " standard input and writes each scored row as it arrives (to standard output unless --out names a"
            + " file): the same lines as for the whole file.")
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
        return input.data.standardInput() ? stream() : file();
    }

    /**
     * The model at the width for scoring {@code rows} rows: a small job scores faster on the scalar kernels than
     * through the vector kernels' JIT warm-up (the same bits). A row costs an encoder pass and two decoder passes,
     * and K more decoder passes with {@code --iw-samples}: each pass half the parameters, two flops a parameter.
     */
    private Vae forWork(Vae vae, int rows) {
        double flops = (double) vae.architecture().parameterCount() * (3 + (iwSamples == null ? 0 : iwSamples)) * rows;
        Width w = Simd.chooseFor(vae.config().runtime().width(), flops).width();
        return w == Width.SCALAR ? vae.withWidth(w) : vae;
    }

    /** Every row of a file (or an image split), then a summary. */
    private int file() {
        Path out = output.path("scores.csv");
        ModelData.Loaded in = input.load();
        Dataset d = in.data();
        Vae vae = forWork(decision.apply(in.vae()), d.size());
        Scores s = vae.score(d, perColumn);
        double[] ll = iwSamples == null ? null : vae.logLikelihood(d, iwSamples);
        StringWriter text = new StringWriter();
        try (Rows rows = new Rows(text, vae, d, s)) {
            for (int i = 0; i < d.size(); i++) {
                rows.write(s, ll, d, i, i);
            }
        }
        Storage.writeAtomically(out, text.toString().getBytes(StandardCharsets.UTF_8));
        summary(vae, s, ll, d.size());
        System.out.println(out.toAbsolutePath());
        return 0;
    }

    /** Each row of standard input as it arrives, scored and written at once. */
    private int stream() throws IOException {
        Vae vae = decision.apply(input.model.load());
        if (vae.decision().kind() == Decision.Kind.FDR) {
            throw new SimdvaeException("--fdr decides over the rows scored together: a stream (--data -) has no end"
                    + " to wait for; score a file, or give a contamination or a threshold");
        }
        boolean toStdout = output.out == null || output.out.toString().equals("-");
        Path out = toStdout ? null : output.path("scores.csv");
        Writer sink = toStdout ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : java.nio.file.Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        long n = 0;
        try (CsvStream csv = input.data.streamForModel(vae); Writer w = sink) {
            Rows rows = null;
            for (Dataset row = csv.next(); row != null; row = csv.next(), n++) {
                Scores s = vae.score(row, perColumn, n);
                double[] ll = iwSamples == null ? null : vae.logLikelihood(row, iwSamples, n);
                if (rows == null) {
                    rows = new Rows(w, vae, row, s);
                }
                rows.write(s, ll, row, 0, n);
                w.flush();
            }
        }
        System.err.printf("simdvae: scored %d rows from standard input%n", n);
        if (out != null) {
            System.out.println(out.toAbsolutePath());
        }
        return 0;
    }

    /** The header once, then a line a row: what the file and the stream write alike. */
    private final class Rows implements AutoCloseable {
        private final CSVPrinter csv;
        private final boolean label;
        private final List<Object> cells = new ArrayList<>();

        Rows(Writer w, Vae vae, Dataset d, Scores s) {
            String labelName = d.labelName() != null ? d.labelName() : d.label(0) >= 0 ? "label" : null;
            this.label = labelName != null;
            List<String> inputs = inputNames(vae, labelName);
            List<String> header = new ArrayList<>();
            for (String name : outputs(s, iwSamples != null)) {
                header.add(Output.outputName(name, inputs));
            }
            if (perColumn) {
                for (String c : Output.columnNames(vae)) {
                    header.add(Output.outputName("nats_" + c, inputs));
                }
            }
            if (labelName != null) {
                header.add(labelName);
            }
            try {
                csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
                csv.printRecord(header);
            } catch (IOException e) {
                throw new SimdvaeException("cannot write the scores: " + Storage.describe(e));
            }
        }

        /** Row {@code i} of {@code s} (row {@code i} of {@code d}), the {@code index}-th row written. */
        void write(Scores s, double[] ll, Dataset d, int i, long index) {
            cells.clear();
            cells.add(s.score()[i]);
            if (s.pValues() != null) {
                cells.add(s.pValue(i));
                cells.add(s.percentile(i));
            }
            if (s.outliers() != null) {
                cells.add(s.outlier(i) ? 1 : 0);
            }
            cells.add(s.reconstruction()[i]);
            cells.add(s.kl()[i]);
            cells.add(s.negativeElbo()[i]);
            if (ll != null) {
                cells.add(-ll[i]);
            }
            if (perColumn) {
                for (float v : s.perColumn()[i]) {
                    cells.add(v);
                }
            }
            if (label) {
                cells.add(d.labelText(i));
            }
            try {
                csv.printRecord(cells);
            } catch (IOException e) {
                throw new SimdvaeException("cannot write the scores (row " + index + "): " + Storage.describe(e));
            }
        }

        @Override
        public void close() {
            try {
                csv.flush();
            } catch (IOException e) {
                throw new SimdvaeException("cannot write the scores: " + Storage.describe(e));
            }
        }
    }

    /** The mean score and, with a decision, how many rows were outliers. */
    private void summary(Vae vae, Scores s, double[] ll, int rows) {
        double mean = java.util.Arrays.stream(s.score()).average().orElse(Double.NaN);
        System.err.printf("simdvae: scored %d rows: mean score %.3f %s%s%n", rows, mean, vae.scoreUnit(),
                ll == null ? "" : String.format(", mean nll_k %.3f (k = %d)", -java.util.Arrays.stream(ll).average()
                        .orElse(Double.NaN), iwSamples));
        if (s.outliers() != null) {
            int outliers = 0;
            for (boolean o : s.outliers()) {
                outliers += o ? 1 : 0;
            }
            System.err.printf("simdvae: %d outliers (%.2f %%)%s%s%n", outliers, 100.0 * outliers / rows,
                    Double.isNaN(s.threshold()) ? "" : String.format(" above %.3f %s", s.threshold(), vae.scoreUnit()),
                    DecisionOptions.describe(vae));
        }
    }

    /** The score columns, before the per-column ones and the label, under their own names. */
    private static List<String> outputs(Scores s, boolean nll) {
        List<String> names = new ArrayList<>(List.of("score"));
        if (s.pValues() != null) {
            names.addAll(List.of("p_value", "percentile"));
        }
        if (s.outliers() != null) {
            names.add("outlier");
        }
        names.addAll(List.of("reconstruction", "kl", "negative_elbo"));
        if (nll) {
            names.add("nll_k");
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
