package simdvae.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.decide.ColumnDrift;
import simdvae.vae.decide.DriftReport;
import simdvae.vae.decide.TestResult;

/**
 * {@code simdvae drift}: whether a batch of rows has drifted from the model's reference rows, with the reason (which
 * column, and in what: its values, its missing rate or its nats), in one verdict line, {@code drift.json} and
 * {@code drift.png}.
 */
@Command(name = "drift", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Test a batch of rows (--data) for drift against the model's reference rows: the distribution"
            + " of their scores (a two-sample Kolmogorov-Smirnov test) and per column its values (numbers binned at"
            + " the reference's deciles, levels by frequency), its missing rate and its nats, with Holm's"
            + " correction over every test. Prints one verdict line and writes drift.json (p_value, drifted, the"
            + " score test, and columns, most shifted first, each with its p_value) and drift.png (the batch's"
            + " scores over the reference's, and the most shifted columns) into --out. The same numbers for any"
            + " order of the rows.")
final class DriftCommand implements Callable<Integer> {
    @Mixin
    ModelData input;

    @Option(names = "--alpha", paramLabel = "A", description = "The verdict's level: the batch has drifted when a"
            + " test's adjusted p-value is at most A (default ${DEFAULT-VALUE}).")
    double alpha = 0.01;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for drift.json and drift.png (default"
            + " ${DEFAULT-VALUE}).")
    Path out = Path.of("drift");

    @Option(names = "--force", description = "Replace drift.json and drift.png if --out has them.")
    boolean force;

    @Override
    public Integer call() {
        if (!(alpha > 0 && alpha < 1)) {
            throw new SimdvaeException("--alpha must be in (0, 1), got " + alpha);
        }
        if (!force && (Files.exists(out.resolve("drift.json")) || Files.exists(out.resolve("drift.png")))) {
            throw new SimdvaeException(out + " already holds a drift report (add --force to replace it)");
        }
        ModelData.Loaded in = input.load();
        Vae vae = in.vae();
        DriftReport report = vae.drift(in.data());
        List<String> names = Output.columnNames(vae);
        Output.freshDirectory(out, true);
        MetricsFile.writeJson(out.resolve("drift.json"), json(report, names, vae));
        DriftPicture.write(out.resolve("drift.png"), report, names);
        System.err.println("simdvae: " + verdict(report, names, vae));
        System.out.println(out.toAbsolutePath());
        return 0;
    }

    /** One line: drifted or not, the batch's p-value against the level, and the most shifted columns. */
    private String verdict(DriftReport r, List<String> names, Vae vae) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: the batch of %d rows against the"
                + " model's %d %s rows, p = %.3g %s %s", r.drifted(alpha) ? "DRIFT" : "no drift", r.rows(),
                vae.reference().rows(), vae.reference().source(), r.p(), r.drifted(alpha) ? "<=" : ">", alpha));
        List<String> shifted = new ArrayList<>();
        for (ColumnDrift c : r.columns()) {
            if (c.drifted(alpha) && shifted.size() < 3) {
                shifted.add(String.format(Locale.ROOT, "'%s' (%s, p = %.3g)", names.get(c.column()), what(c),
                        c.adjustedP()));
            }
        }
        if (!shifted.isEmpty()) {
            s.append("; most shifted: ").append(String.join(", ", shifted));
        } else if (r.drifted(alpha)) {
            s.append("; in the scores (p = ").append(String.format(Locale.ROOT, "%.3g",
                    Math.exp(r.scoresAdjustedLogP()))).append("), no single column");
        }
        return s.toString();
    }

    /** Which of a column's tests moved most: its values, its missing rate, or its nats. */
    private static String what(ColumnDrift c) {
        double values = c.values().logP();
        double missing = c.missing().logP();
        double nats = c.nats().logP();
        if (values <= missing && values <= nats) {
            return "values";
        }
        return missing <= nats ? "missing rate" : "nats";
    }

    private Map<String, Object> json(DriftReport r, List<String> names, Vae vae) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p_value", r.p());
        m.put("log_p_value", r.logP());
        m.put("alpha", alpha);
        m.put("drifted", r.drifted(alpha));
        m.put("rows", r.rows());
        m.put("reference", Map.of("rows", vae.reference().source(), "count", vae.reference().rows()));
        Map<String, Object> scores = test(r.scores());
        scores.put("adjusted_p_value", Math.exp(r.scoresAdjustedLogP()));
        m.put("scores", scores);
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnDrift c : r.columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("column", names.get(c.column()));
            col.put("p_value", c.p());
            col.put("adjusted_p_value", c.adjustedP());
            col.put("drifted", c.drifted(alpha));
            col.put("shifted_in", what(c));
            col.put("values", test(c.values()));
            col.put("missing", test(c.missing()));
            col.put("nats", test(c.nats()));
            col.put("nats_adjusted_p_value", Math.exp(c.natsAdjustedLogP()));
            columns.add(col);
        }
        m.put("columns", columns);
        return m;
    }

    private static Map<String, Object> test(TestResult t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test", t.test());
        m.put("statistic", t.statistic());
        if (t.degreesOfFreedom() > 0) {
            m.put("degrees_of_freedom", t.degreesOfFreedom());
        }
        m.put("p_value", t.p());
        return m;
    }
}
