package simdvae.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Scores;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.decide.TypicalValues;
import simdvae.vae.table.Schema;

/** {@code simdvae explain}: why one row scores as it does, column by column. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Explain one row's score: its score, percentile and outlier decision, then its columns ranked"
            + " by their share of the reconstruction term (nats), each beside its value, the model's reconstruction"
            + " and its typical value in the model's reference rows (median [quartiles], or most frequent level).")
final class ExplainCommand implements Callable<Integer> {
    @Mixin
    ModelData input;

    @Mixin
    DecisionOptions decision;

    @Option(names = "--row", paramLabel = "N", required = true, description = "The row to explain: the N-th row of"
            + " the data, from 1 (line N + 1 of a CSV file with its header; line N of score's output, after its"
            + " header).")
    int row;

    @Option(names = "--top", paramLabel = "K", description = "Show the K columns that cost most (default"
            + " ${DEFAULT-VALUE}; 0: all).")
    int top = 10;

    @Override
    public Integer call() {
        if (top < 0) {
            throw new SimdvaeException("--top must be at least 0, got " + top);
        }
        ModelData.Loaded in = input.load();
        Vae vae = decision.apply(in.vae());
        Dataset all = in.data();
        if (row < 1 || row > all.size()) {
            throw new SimdvaeException("--row must be between 1 and " + all.size() + " (the rows of the data), got "
                    + row);
        }
        Dataset one = all.rows(new int[] {row - 1});
        Scores s = vae.score(one, true);
        float[] given = new float[one.columns()];
        one.copyRow(0, given, 0);
        float[] rebuilt = vae.reconstruct(one)[0];
        System.out.println(headline(vae, one, s));
        System.out.println();
        System.out.println(table(vae, one, given, rebuilt, s.perColumn()[0], s.reconstruction()[0]));
        return 0;
    }

    /** Where the row is, its score, percentile and decision. */
    private String headline(Vae vae, Dataset one, Scores s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "row %d (%s): score %.3f %s", row,
                one.where(0), vae.neighbours() != null ? s.score()[0] : s.negativeElbo()[0], vae.scoreUnit()));
        if (s.percentiles() != null) {
            ScoreReference r = vae.reference();
            b.append(String.format(Locale.ROOT, ", percentile %.2f of the model's %d %s rows", s.percentile(0),
                    r.rows(), r.source()));
        }
        if (!Double.isNaN(s.threshold())) {
            b.append(String.format(Locale.ROOT, "; %s (threshold %.3f %s%s)", s.outlier(0) ? "OUTLIER"
                    : "not an outlier", s.threshold(), vae.scoreUnit(), DecisionOptions.describe(vae)));
        }
        if (one.labelName() != null) {
            b.append("; ").append(one.labelName()).append(" = ").append(one.labelText(0));
        }
        return b.append(String.format(Locale.ROOT, "%nreconstruction %.3f nats + KL %.3f nats", s.reconstruction()[0],
                s.kl()[0])).toString();
    }

    /** The columns by cost, most first. */
    private String table(Vae vae, Dataset one, float[] given, float[] rebuilt, float[] nats, double total) {
        List<String> names = Output.columnNames(vae);
        Schema columns = vae.features().schema();
        ScoreReference r = vae.reference();
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < nats.length; j++) {
            order.add(j);
        }
        order.sort(Comparator.comparingDouble((Integer j) -> -nats[j]).thenComparingInt(j -> j));
        int shown = top == 0 ? order.size() : Math.min(top, order.size());
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"column", "value", "reconstruction", "typical", "nats", "share"});
        for (int k = 0; k < shown; k++) {
            int j = order.get(k);
            boolean categorical = columns != null && columns.kind(j) == Dataset.Kind.CATEGORICAL;
            String value = Float.isNaN(given[j]) ? "(missing)"
                    : categorical ? one.levels(j).get((int) given[j]) : number(given[j]);
            String again = categorical ? columns.levels(j).get((int) rebuilt[j]) : number(rebuilt[j]);
            lines.add(new String[] {names.get(j), value, again, typical(r, columns, j, categorical),
                String.format(Locale.ROOT, "%.3f", nats[j]),
                String.format(Locale.ROOT, "%.0f %%", 100 * nats[j] / Math.max(Math.abs(total), 1e-12))});
        }
        StringBuilder b = new StringBuilder();
        int[] widths = new int[6];
        for (String[] l : lines) {
            for (int c = 0; c < l.length; c++) {
                widths[c] = Math.max(widths[c], l[c].length());
            }
        }
        for (String[] l : lines) {
            for (int c = 0; c < l.length; c++) {
                String cell = c >= 4 ? " ".repeat(widths[c] - l[c].length()) + l[c]
                        : l[c] + " ".repeat(widths[c] - l[c].length());
                b.append(cell).append(c < l.length - 1 ? "  " : "");
            }
            b.append('\n');
        }
        if (shown < order.size()) {
            b.append("(").append(order.size() - shown).append(" more columns; --top 0 shows all)\n");
        }
        return b.toString().stripTrailing();
    }

    /** A column's typical value in the reference rows. */
    private static String typical(ScoreReference r, Schema columns, int j, boolean categorical) {
        if (r == null) {
            return "?";
        }
        TypicalValues t = r.typical();
        if (categorical) {
            return t.mode(j) < 0 ? "(none)" : String.format(Locale.ROOT, "%s (%.0f %%)",
                    columns.levels(j).get(t.mode(j)), 100 * t.modeShare(j));
        }
        return Float.isNaN(t.median(j)) ? "(none)" : number(t.median(j)) + " [" + number(t.lowerQuartile(j)) + ", "
                + number(t.upperQuartile(j)) + "]";
    }

    /** A value as people write it: 1 rather than 1.000, four significant digits otherwise. */
    private static String number(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.valueOf((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains("e") || !s.contains(".") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
