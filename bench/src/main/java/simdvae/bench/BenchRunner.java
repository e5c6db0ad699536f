package simdvae.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import simdvae.core.Simd;
import simdvae.core.Width;

/**
 * {@code ./simdvae bench}: runs the JMH suite across widths with the baselines, and writes {@code jmh.json}, a
 * Markdown table ({@code results.md}) and a chart ({@code results.png}) into a results folder.
 */
@Command(name = "simdvae bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the JMH benchmarks across SIMD widths, with the baselines; write jmh.json, results.md and"
                + " results.png.")
public final class BenchRunner implements Callable<Integer> {
    @Option(names = "--kernels", split = ",", paramLabel = "K[,K...]", description = "Which: gemm, baseline,"
            + " elementwise, step (default: all).")
    List<String> kernels = List.of("gemm", "baseline", "elementwise", "step");

    @Option(names = "--shapes", split = ",", paramLabel = "S[,S...]", description = "GEMM shapes, LAYOUT_m_n_k"
            + " (default: all of GemmBench's).")
    List<String> shapes;

    @Option(names = "--widths", split = ",", paramLabel = "W[,W...]",
            description = "Widths (default scalar,128,256,512,auto; those above the CPU are skipped, and said so).")
    List<String> widths = List.of("scalar", "128", "256", "512", "auto");

    @Option(names = "--quick", description = "One fork, short iterations, the batch-50 shapes: a few minutes.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results");

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new BenchRunner()).execute(args));
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        List<String> runnable = new ArrayList<>();
        for (String w : widths) {
            Width width = Width.parse(w);
            if (width != Width.AUTO && width != Width.SCALAR && width.bits > Simd.maxBits()) {
                System.err.println("simdvae bench: skipping width " + w + ": this CPU's widest native vector is "
                        + Simd.maxBits() + " bits");
            } else {
                runnable.add(w);
            }
        }
        Files.createDirectories(out);
        ChainedOptionsBuilder opt = new OptionsBuilder().resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh.json").toString()).param("width", runnable.toArray(new String[0]));
        for (String k : kernels) {
            opt.include(switch (k) {
                case "gemm" -> "GemmBench";
                case "baseline" -> "GemmBaselineBench";
                case "elementwise" -> "(Relu|Exp|Loss|ColumnSums|Adam)Bench";
                case "step" -> "TrainStepBench";
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown kernel group '"
                        + k + "': use gemm, baseline, elementwise or step");
            });
        }
        List<String> chosen = shapes != null ? shapes : quick ? List.of("NN_50_512_784", "NN_50_784_512",
                "NT_50_512_784", "TN_784_512_50", "NN_50_4_512") : null;
        if (chosen != null) {
            opt.param("shape", chosen.toArray(new String[0]));
        }
        if (quick) {
            opt.forks(1).warmupIterations(2).warmupTime(TimeValue.milliseconds(300)).measurementIterations(2)
                    .measurementTime(TimeValue.milliseconds(500)).param("threads", "1", "2").param("batch", "50");
        }
        Collection<RunResult> results = new Runner(opt.build()).run();
        writeReport(results);
        System.err.println("simdvae bench: wrote " + out.resolve("jmh.json") + ", " + out.resolve("results.md")
                + " and " + out.resolve("results.png"));
        return 0;
    }

    /** One row per benchmark and shape, one column per width or baseline; GFLOP/s, Gelem/s or samples/s. */
    @SuppressWarnings("rawtypes") // JMH's getSecondaryResults() returns a map of raw Result
    private void writeReport(Collection<RunResult> results) throws IOException {
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Set<String> columns = new LinkedHashSet<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            String klass = r.getParams().getBenchmark().replaceFirst("^simdvae\\.bench\\.", "").replaceFirst("\\..*",
                    "");
            Map<String, Result> secondary = r.getSecondaryResults();
            String row;
            String column;
            String unit;
            double value;
            if (klass.startsWith("Gemm")) {
                String threads = r.getParams().getParam("threads");
                row = "GEMM " + r.getParams().getParam("shape") + (threads == null || threads.equals("1") ? ""
                        : ", " + threads + " threads");
                column = klass.equals("GemmBaselineBench") ? r.getParams().getParam("impl") : r.getParams()
                        .getParam("width");
                unit = "GFLOP/s";
                value = secondary.get("flop").getScore() / 1e9;
            } else if (!klass.equals("TrainStepBench")) {
                row = bench;
                column = r.getParams().getParam("width");
                unit = "Gelem/s";
                value = secondary.get("elements").getScore() / 1e9;
            } else if (secondary.containsKey("samples")) { // TrainStepBench
                row = "train step, batch " + r.getParams().getParam("batch") + ", " + r.getParams().getParam("threads")
                        + " thread(s)";
                column = r.getParams().getParam("width");
                unit = "samples/s";
                value = secondary.get("samples").getScore();
            } else {
                continue;
            }
            table.computeIfAbsent(row, x -> new LinkedHashMap<>()).put(column, value);
            units.put(row, unit);
            columns.add(column);
        }
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, widest native vector ").append(Simd.maxBits()).append(" bits, Java ")
                .append(System.getProperty("java.version")).append(", single-threaded unless said.\n\n");
        md.append("| benchmark | unit |");
        for (String c : columns) {
            md.append(' ').append(c).append(" |");
        }
        md.append("\n|---|---|");
        for (int i = 0; i < columns.size(); i++) {
            md.append("---:|");
        }
        md.append('\n');
        for (Map.Entry<String, Map<String, Double>> e : table.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(units.get(e.getKey())).append(" |");
            for (String c : columns) {
                Double v = e.getValue().get(c);
                md.append(' ').append(v == null ? "" : units.get(e.getKey()).equals("samples/s")
                        ? String.format("%,.0f", v) : String.format("%.2f", v)).append(" |");
            }
            md.append('\n');
        }
        Files.writeString(out.resolve("results.md"), md.toString());
        chart(table, units, columns);
    }

    private void chart(Map<String, Map<String, Double>> table, Map<String, String> units, Set<String> columns)
            throws IOException {
        List<String> rows = new ArrayList<>();
        for (String row : table.keySet()) {
            if (!units.get(row).equals("samples/s")) {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 110 * rows.size())).height(600)
                .title("simdvae kernels by SIMD width, baselines beside (GEMM: GFLOP/s; others: Gelem/s)")
                .yAxisTitle("GFLOP/s or Gelem/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        for (String c : columns) {
            List<Double> ys = new ArrayList<>();
            for (String row : rows) {
                ys.add(table.get(row).getOrDefault(c, 0.0));
            }
            chart.addSeries(c, rows, ys);
        }
        BitmapEncoder.saveBitmap(chart, out.resolve("results.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
