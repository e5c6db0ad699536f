package simdvae.bench;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
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
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import simdvae.core.Simd;
import simdvae.vae.Vae;
import simdvae.vae.internal.network.Inference;
import simdvae.core.Width;
import simdvae.kernels.Kernels;

/**
 * The report of a {@code bench} run: a Markdown table ({@code results.md}) with the machine, the settings and each
 * cell's range over its measured iterations, and a chart ({@code results.png}) with one panel per unit, error bars
 * from the same ranges. A cell whose iterations disagree by more than {@value #UNSTEADY} of their median is not a
 * steady state (the JIT was still compiling, or the machine was busy): it is marked, never shown as a plain number.
 */
final class BenchReport {
    /** Largest (max − min) / median of a cell's iterations that still counts as a steady state. */
    static final double UNSTEADY = 0.20;

    /** One cell: the mean over measured iterations, their range, and whether they agree. */
    record Cell(double mean, double min, double max) {
        boolean steady() {
            return (max - min) <= UNSTEADY * median();
        }

        double median() {
            return (min + max) / 2;
        }

        String text(String unit) {
            String f = unit.endsWith("s/s") ? "%,.0f" : "%.2f"; // samples/s, rows/s
            String range = String.format(f + "–" + f, min, max);
            return steady() ? String.format(f, mean) + " (" + range + ")"
                    : "**unsteady** " + String.format(f, mean) + " (" + range + ")";
        }
    }

    private final Map<String, Map<String, Cell>> table = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final Set<String> columns = new LinkedHashSet<>();

    BenchReport(Collection<RunResult> results, String nativeColumn) {
        for (RunResult r : results) {
            String klass = r.getParams().getBenchmark().replaceFirst("^simdvae\\.bench\\.", "").replaceFirst("\\..*",
                    "");
            String bench = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            String row;
            String column = r.getParams().getParam("width");
            String unit;
            String counter;
            double scale;
            if (klass.startsWith("Gemm")) {
                row = "GEMM " + r.getParams().getParam("shape") + threadsNote(r);
                if (klass.equals("GemmBaselineBench")) {
                    String coretype = r.getParams().getParam("coretype");
                    column = !r.getParams().getParam("impl").equals("netlib-native") ? r.getParams().getParam("impl")
                            : coretype == null || coretype.equals("env") ? nativeColumn : "OpenBLAS " + coretype;
                } else {
                    column = gemmColumn(r);
                }
                unit = "GFLOP/s";
                counter = "flop";
                scale = 1e-9;
            } else if (klass.equals("InferenceBench")) {
                row = "encode, " + r.getParams().getParam("rows") + " row(s) a call" + threadsNote(r);
                unit = "rows/s";
                counter = "rows";
                scale = 1;
            } else if (klass.equals("ServingBench")) {
                row = serving(r.getParams().getParam("op"), Integer.parseInt(r.getParams().getParam("rows")),
                        Integer.parseInt(r.getParams().getParam("threads")));
                column = r.getParams().getParam("engine");
                unit = "rows/s";
                counter = "rows";
                scale = 1;
            } else if (klass.equals("TrainStepBench")) {
                row = "train step, batch " + r.getParams().getParam("batch") + ", " + r.getParams().getParam("threads")
                        + " thread(s)";
                unit = "samples/s";
                counter = "samples";
                scale = 1;
            } else {
                row = bench;
                unit = "Gelem/s";
                counter = "elements";
                scale = 1e-9;
            }
            Cell cell = cell(r, counter, scale);
            if (cell == null) {
                continue;
            }
            table.computeIfAbsent(row, x -> new LinkedHashMap<>()).put(column, cell);
            units.put(row, unit);
            columns.add(column);
        }
    }

    /**
     * A GemmBench column: its width, and the register file when it is not this JVM's own: a fork with
     * {@code -XX:UseAVX=2} (AVX2's 16 registers), or a tile forced with {@code registers}.
     */
    private static String gemmColumn(RunResult r) {
        String width = r.getParams().getParam("width");
        boolean avx2 = r.getParams().getJvmArgs().contains("-XX:UseAVX=2");
        String registers = r.getParams().getParam("registers");
        String packed = "true".equals(r.getParams().getParam("packed")) ? ", B packed" : "";
        if (avx2) {
            return width + " AVX2 (16 regs)" + packed;
        }
        return registers == null || registers.equals("auto") ? width + packed
                : width + " (" + registers + "-register tile)" + packed;
    }

    /** A serving row's name, shared by ServingBench's results and PyTorch's. */
    private static String serving(String op, int rows, int threads) {
        return "serve: " + op + ", " + rows + " row(s) a call" + (threads == 1 ? "" : ", " + threads + " threads");
    }

    /** Adds a PyTorch figure beside ServingBench's (one measurement: no range). */
    void add(PyTorchAnchor.Figure f) {
        String row = serving(f.op(), f.rows(), f.threads());
        table.computeIfAbsent(row, x -> new LinkedHashMap<>()).put("pytorch", new Cell(f.rowsPerSecond(),
                f.rowsPerSecond(), f.rowsPerSecond()));
        units.put(row, "rows/s");
        columns.add("pytorch");
    }

    /** ", N threads" for a run on more than one thread, else nothing. */
    private static String threadsNote(RunResult r) {
        String threads = r.getParams().getParam("threads");
        return threads == null || threads.equals("1") ? "" : ", " + threads + " threads";
    }

    /** The counter's mean and range over every measured iteration of every fork, or null when it is missing. */
    @SuppressWarnings("rawtypes") // JMH's getSecondaryResults() returns a map of raw Result
    private static Cell cell(RunResult r, String counter, double scale) {
        Result aggregate = r.getSecondaryResults().get(counter);
        if (aggregate == null) {
            return null;
        }
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult fork : r.getBenchmarkResults()) {
            for (IterationResult it : fork.getIterationResults()) {
                Result s = it.getSecondaryResults().get(counter);
                if (s != null) {
                    scores.add(s.getScore() * scale);
                }
            }
        }
        double mean = aggregate.getScore() * scale;
        if (scores.isEmpty()) {
            return new Cell(mean, mean, mean);
        }
        double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Cell(mean, sorted[0], sorted[sorted.length - 1]);
    }

    /** Rows that were not a steady state. */
    List<String> unsteady() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Cell>> e : table.entrySet()) {
            for (Map.Entry<String, Cell> c : e.getValue().entrySet()) {
                if (!c.getValue().steady()) {
                    out.add(e.getKey() + " at " + c.getKey());
                }
            }
        }
        return out;
    }

    /** results.md: the settings, then one table per unit. */
    void writeMarkdown(Path file, String settings, NativeBlas blas) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" on ").append(cpuModel()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, widest native vector ")
                .append(Simd.maxBits()).append(" bits (auto = ").append(Simd.choose(simdvae.core.Width.AUTO).width()
                        .spelling()).append("), ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(".\n");
        md.append(settings).append(" Each cell: the mean over measured iterations, their min–max in brackets;")
                .append(" **unsteady** marks a cell whose iterations differ by more than ")
                .append(Math.round(UNSTEADY * 100)).append(" % of their median (not a steady state: rerun it with")
                .append(" more warm-up). Single-threaded unless said.\n");
        md.append("Native BLAS (netlib-native): ").append(blas.description()).append(".\n");
        md.append(registerTiles()).append('\n');
        for (String unit : List.of("GFLOP/s", "Gelem/s", "samples/s", "rows/s")) {
            // one table per set of columns: widths, or the serving engines
            Map<Boolean, List<String>> groups = new LinkedHashMap<>();
            for (String row : rowsOf(unit)) {
                groups.computeIfAbsent(row.startsWith("serve: "), k -> new ArrayList<>()).add(row);
            }
            for (List<String> rows : groups.values()) {
                table(md, unit, rows);
            }
        }
        Files.writeString(file, md.toString());
    }

    /** One Markdown table: {@code rows} of one unit, a column for every column they have. */
    private void table(StringBuilder md, String unit, List<String> rows) {
        List<String> cols = columnsOf(rows);
        md.append("\n| ").append(switch (unit) {
            case "GFLOP/s" -> "GEMM";
            case "Gelem/s" -> "elementwise";
            case "samples/s" -> "training";
            default -> rows.get(0).startsWith("serve: ") ? "serving" : "inference";
        }).append(" (").append(unit).append(") |");
        for (String c : cols) {
            md.append(' ').append(c).append(" |");
        }
        md.append("\n|---|");
        md.append("---:|".repeat(cols.size()));
        md.append('\n');
        for (String row : rows) {
            md.append("| ").append(row).append(" |");
            for (String c : cols) {
                Cell cell = table.get(row).get(c);
                md.append(' ').append(cell == null ? "" : cell.text(unit)).append(" |");
            }
            md.append('\n');
        }
    }

    /**
     * results.png: one panel per unit (and per set of columns: the one-thread GEMM rows have baselines, the two-thread
     * ones not), stacked; widths side by side in each group, min–max error bars.
     */
    void writeChart(Path file) throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        for (String unit : List.of("GFLOP/s", "Gelem/s", "samples/s", "rows/s")) {
            Map<List<String>, List<String>> byColumns = new LinkedHashMap<>();
            for (String row : rowsOf(unit)) {
                byColumns.computeIfAbsent(columnsOf(List.of(row)), k -> new ArrayList<>()).add(row);
            }
            for (Map.Entry<List<String>, List<String>> panel : byColumns.entrySet()) {
                panels.add(panel(unit, panel.getValue(), panel.getKey()));
            }
        }
        if (panels.isEmpty()) {
            return;
        }
        int width = panels.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
        int height = panels.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        int y = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        ImageIO.write(all, "png", file.toFile());
    }

    /**
     * One panel: {@code rows} of one unit, each with a cell in every one of {@code cols}. Elementwise kernels run
     * from 0.03 to 16 × 10⁹ floats/s, so on one axis most bars would vanish: that panel shows each width's speed-up
     * over the scalar reference instead (when scalar was measured), which is the width comparison itself.
     */
    private BufferedImage panel(String unit, List<String> rows, List<String> cols) {
        boolean speedUp = unit.equals("Gelem/s") && cols.contains("scalar");
        String title = switch (unit) {
            case "GFLOP/s" -> cols.stream().anyMatch(c -> c.startsWith("netlib"))
                    ? "GEMM by SIMD width, baselines beside (GFLOP/s)" : "GEMM by SIMD width (GFLOP/s)";
            case "Gelem/s" -> speedUp ? "Elementwise kernels: speed-up of each width over the scalar reference"
                    : "Elementwise kernels by SIMD width (10⁹ floats/s)";
            case "samples/s" -> "Training step by SIMD width (samples/s)";
            default -> cols.contains("onnxruntime") || cols.contains("pytorch")
                    ? "Serving: simdvae beside ONNX Runtime and PyTorch (rows/s; one thread unless the row says)"
                    : "Inference, Vae.encode by SIMD width (rows/s; one thread unless the row says)";
        };
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(1000, 120 * rows.size())).height(480)
                .title(title + " — * marks rows with an unsteady cell").yAxisTitle(speedUp ? "× scalar" : unit)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
        List<String> labels = new ArrayList<>();
        for (String row : rows) {
            boolean steady = table.get(row).values().stream().allMatch(Cell::steady);
            labels.add(row.replaceFirst("^GEMM ", "") + (steady ? "" : " *"));
        }
        for (String c : cols) {
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String row : rows) {
                Cell cell = table.get(row).get(c);
                double base = speedUp ? table.get(row).get("scalar").mean() : 1;
                ys.add(cell.mean() / base);
                errors.add(Math.max(cell.max() - cell.mean(), cell.mean() - cell.min()) / base);
            }
            chart.addSeries(c, labels, ys, errors).setFillColor(color(c));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** One colour per column in every panel: widths from light to dark blue, baselines orange and red. */
    private static java.awt.Color color(String column) {
        return switch (column) {
            case "scalar" -> new java.awt.Color(0x9e9e9e);
            case "64" -> new java.awt.Color(0xc6dbef);
            case "128" -> new java.awt.Color(0x9ecae1);
            case "256" -> new java.awt.Color(0x4292c6);
            case "512" -> new java.awt.Color(0x08519c);
            case "auto" -> new java.awt.Color(0x2ca25f);
            case "netlib-java" -> new java.awt.Color(0xfdae6b);
            case "128 AVX2 (16 regs)" -> new java.awt.Color(0xc7e9c0);
            case "256 AVX2 (16 regs)" -> new java.awt.Color(0x74c476);
            case "OpenBLAS Haswell" -> new java.awt.Color(0xfc9272);
            case "OpenBLAS Nehalem" -> new java.awt.Color(0xfee0d2);
            case "simdvae" -> new java.awt.Color(0x2ca25f);
            case "onnxruntime" -> new java.awt.Color(0x756bb1);
            case "pytorch" -> new java.awt.Color(0xee4c2c);
            default -> new java.awt.Color(0xd7301f); // netlib-native
        };
    }

    private List<String> rowsOf(String unit) {
        List<String> rows = new ArrayList<>();
        for (String row : table.keySet()) {
            if (units.get(row).equals(unit)) {
                rows.add(row);
            }
        }
        return rows;
    }

    private List<String> columnsOf(List<String> rows) {
        List<String> cols = new ArrayList<>();
        for (String c : columns) {
            if (rows.stream().anyMatch(r -> table.get(r).containsKey(c))) {
                cols.add(c);
            }
        }
        return cols;
    }

    /**
     * What each width's GEMM runs on: the register file this JVM has there (and why) and the tile it picks; and, for
     * the columns marked AVX2, the tile of a 16-register file.
     */
    static String registerTiles() {
        StringBuilder sb = new StringBuilder("GEMM register tiles (rows x columns):");
        for (Width w : Simd.supportedWidths()) {
            if (w == Width.SCALAR) {
                continue;
            }
            Kernels k = Kernels.of(w);
            sb.append(' ').append(w.spelling()).append(" bits: ").append(k.gemmTile().spelling()).append(" — ")
                    .append(k.registers().reason()).append(';');
        }
        for (Width w : Simd.supportedWidths()) {
            if (w == Width.W128 || w == Width.W256) {
                sb.append(' ').append(w.spelling()).append(" AVX2: ").append(Kernels.of(w, 16).gemmTile().spelling())
                        .append(';');
            }
        }
        sb.setLength(sb.length() - 1);
        return sb.append('.').toString();
    }

    /** The CPU's model name (Linux's /proc/cpuinfo), or the architecture where there is none. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch") + " (CPU model unknown)";
    }
}
