package simdvae.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import simdvae.core.RegisterFile;
import simdvae.core.Simd;
import simdvae.core.Width;

/**
 * {@code ./simdvae bench}: runs the JMH suite across widths with the baselines, and writes {@code jmh.json}, a
 * Markdown table ({@code results.md}) and a chart ({@code results.png}) into a results folder (see
 * {@link BenchReport}).
 */
@Command(name = "simdvae bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the JMH benchmarks across SIMD widths, with the baselines; write jmh.json, results.md and"
                + " results.png.")
public final class BenchRunner implements Callable<Integer> {
    @Option(names = "--kernels", split = ",", paramLabel = "K[,K...]", description = "Which: gemm, baseline,"
            + " elementwise, step, inference (default: all).")
    List<String> kernels = List.of("gemm", "baseline", "elementwise", "step", "inference");

    @Option(names = "--shapes", split = ",", paramLabel = "S[,S...]", description = "GEMM shapes, LAYOUT_m_n_k"
            + " (default: all of GemmBench's).")
    List<String> shapes;

    @Option(names = "--widths", split = ",", paramLabel = "W[,W...]",
            description = "Widths (default scalar,128,256,512,auto; those above the CPU are skipped, and said so).")
    List<String> widths = List.of("scalar", "128", "256", "512", "auto");

    @Option(names = "--quick", description = {"About five minutes: one fork, the batch-50 shapes, warm-up long"
        + " enough for C2, three measured iterations; 'auto' is left out when it is one of the widths measured",
        "anyway."})
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
        String auto = Simd.choose(Width.AUTO).width().spelling();
        for (String w : widths) {
            Width width = Width.parse(w);
            if (width != Width.AUTO && width != Width.SCALAR && width.bits > Simd.maxBits()) {
                System.err.println("simdvae bench: skipping width " + w + ": this CPU's widest native vector is "
                        + Simd.maxBits() + " bits");
            } else if (quick && width == Width.AUTO && widths.contains(auto)) {
                System.err.println("simdvae bench: --quick leaves out width auto: it is " + auto + " here");
            } else {
                runnable.add(w);
            }
        }
        Files.createDirectories(out);
        NativeBlas blas = NativeBlas.probe();
        System.err.println("simdvae bench: native BLAS for netlib-native: " + blas.description());
        List<String> kernelGroups = new ArrayList<>();
        boolean step = false;
        for (String k : kernels) {
            switch (k) {
                case "gemm" -> kernelGroups.add("GemmBench");
                case "baseline" -> kernelGroups.add("GemmBaselineBench");
                case "elementwise" -> kernelGroups.add("(Relu|Exp|Loss|ColumnSums|Adam|SquaredDistances)Bench");
                case "inference" -> {
                    kernelGroups.add("InferenceBench");
                    kernelGroups.add("ServingBench");
                }
                case "step" -> step = true;
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown kernel group '"
                        + k + "': use gemm, baseline, elementwise, step or inference");
            }
        }
        List<String> chosen = shapes != null ? shapes : quick ? List.of("NN_50_512_784", "NN_50_784_512",
                "NT_50_512_784", "TN_784_512_50", "NN_50_4_512") : null;
        List<RunResult> results = new ArrayList<>();
        String settings;
        // The register file row: on a CPU with AVX-512 (32 vector registers at every width) most users' CPUs are
        // not measured by the widths alone. A fork with -XX:UseAVX=2 gets the 16 registers of an AVX2 CPU (Zen 2
        // and 3, Intel client parts), with OpenBLAS's AVX2 (Haswell) and SSE (Nehalem) kernels beside it.
        List<String> avx2Widths = new ArrayList<>();
        for (String w : List.of("128", "256")) {
            if (runnable.contains(w) && x86() && RegisterFile.of(Integer.parseInt(w)).count() == 32) {
                avx2Widths.add(w);
            }
        }
        boolean avx2Row = kernelGroups.contains("GemmBench") && !avx2Widths.isEmpty();
        boolean sixteenBaselines = kernelGroups.contains("GemmBaselineBench") && x86() && cpuFlag("avx2")
                && blas.openBlas();
        if (avx2Row) {
            System.err.println("simdvae bench: this JVM has 32 vector registers: GEMM at " + String.join(" and ",
                    avx2Widths) + " bits also runs in a -XX:UseAVX=2 fork (16 registers, as on an AVX2 CPU)");
        }
        if (quick) {
            // Warm-up long enough for C2 (measured on 2 cores: GEMM steady after ~1.4 s, exp ~0.6 s; the train step
            // warms itself in its @Setup until its rate settles), and 0.4 s iterations: on a shared 2-core machine
            // 0.3 s ones disagreed by over 20 % from noise alone. Scalar GEMM is not run on two threads here (it
            // says nothing about widths and costs 15 s).
            List<String> vector = new ArrayList<>(runnable);
            vector.remove("scalar");
            for (String group : kernelGroups) {
                boolean gemm = group.equals("GemmBench");
                boolean elementwise = !group.startsWith("Gemm"); // and inference: both settle within ~0.6 s
                ChainedOptionsBuilder opt = options(runnable, chosen, List.of(group))
                        .warmupIterations(elementwise ? 2 : 3)
                        .warmupTime(TimeValue.milliseconds(elementwise ? 400 : 450)).measurementIterations(3)
                        .measurementTime(TimeValue.milliseconds(elementwise ? 350 : 400));
                results.addAll(run(gemm ? opt.param("threads", "1") : opt));
                if (gemm && !vector.isEmpty()) {
                    results.addAll(run(options(vector, chosen, List.of(group)).param("threads", "2")
                            .warmupIterations(3).warmupTime(TimeValue.milliseconds(500)).measurementIterations(3)
                            .measurementTime(TimeValue.milliseconds(400))));
                }
            }
            if (avx2Row) {
                results.addAll(run(avx2(options(avx2Widths, chosen, List.of("GemmBench")).param("threads", "1"))
                        .warmupIterations(3).warmupTime(TimeValue.milliseconds(450)).measurementIterations(3)
                        .measurementTime(TimeValue.milliseconds(400))));
            }
            if (sixteenBaselines) {
                results.addAll(run(sixteenRegisterBaselines(options(runnable, chosen,
                        List.of("GemmBaselineBench"))).warmupIterations(3).warmupTime(TimeValue.milliseconds(450))
                        .measurementIterations(3).measurementTime(TimeValue.milliseconds(400))));
            }
            if (step) {
                results.addAll(run(options(runnable, chosen, List.of("TrainStepBench")).warmupIterations(2)
                        .warmupTime(TimeValue.milliseconds(500)).measurementIterations(3)
                        .measurementTime(TimeValue.milliseconds(500))));
            }
            settings = "Quick mode: one fork; GEMM 3 × 0.45 s warm-up (3 × 0.5 s on two threads) and 3 × 0.4 s"
                    + " measured, elementwise and inference 2 × 0.4 s and 3 × 0.35 s;"
                    + " the train step warms in its setup until three 0.25 s windows agree within 10 % (at most 4 s),"
                    + " then 2 × 0.5 s warm-up and 3 × 0.5 s measured.";
        } else {
            List<String> all = new ArrayList<>(kernelGroups);
            if (step) {
                all.add("TrainStepBench");
            }
            results.addAll(run(options(runnable, chosen, all)));
            if (avx2Row) {
                results.addAll(run(avx2(options(avx2Widths, chosen, List.of("GemmBench")).param("threads", "1"))));
            }
            if (sixteenBaselines) {
                results.addAll(run(sixteenRegisterBaselines(options(runnable, chosen, List.of("GemmBaselineBench")))));
            }
            settings = "Full mode: 2 forks, 3 × 1 s warm-up and 5 × 1 s measured (10 iterations a cell).";
        }
        List<PyTorchAnchor.Figure> pytorch = kernels.contains("inference") ? PyTorchAnchor.measure(quick)
                : List.of();
        try (PrintStream json = new PrintStream(Files.newOutputStream(out.resolve("jmh.json")), true,
                StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
        }
        BenchReport report = new BenchReport(results, blas.openBlas() ? "netlib-native" : blas.found()
                ? "netlib-native (NOT OpenBLAS)" : "netlib-native");
        pytorch.forEach(report::add);
        report.writeMarkdown(out.resolve("results.md"), settings, blas);
        report.writeChart(out.resolve("results.png"));
        List<String> unsteady = report.unsteady();
        if (!unsteady.isEmpty()) {
            System.err.println("simdvae bench: " + unsteady.size() + " cell(s) not in a steady state (marked"
                    + " unsteady): " + String.join("; ", unsteady));
        }
        System.err.println("simdvae bench: wrote " + out.resolve("jmh.json") + ", " + out.resolve("results.md")
                + " and " + out.resolve("results.png"));
        return 0;
    }

    private ChainedOptionsBuilder options(List<String> runnable, List<String> chosen, List<String> includes) {
        ChainedOptionsBuilder opt = new OptionsBuilder().param("width", runnable.toArray(new String[0]));
        for (String include : includes) {
            opt.include(include);
        }
        if (chosen != null) {
            opt.param("shape", chosen.toArray(new String[0]));
        }
        if (quick) {
            opt.forks(1).param("batch", "50");
            if (!includes.contains("GemmBench")) {
                opt.param("threads", "1", "2");
            }
        }
        return opt;
    }

    /** GEMM in forks whose C2 has AVX2's 16 vector registers (the report labels their columns so). */
    private static ChainedOptionsBuilder avx2(ChainedOptionsBuilder opt) {
        return opt.jvmArgsAppend("-XX:UseAVX=2");
    }

    /** OpenBLAS's kernels for 16-register CPUs: AVX2's (Haswell) and SSE's (Nehalem), one thread. */
    private static ChainedOptionsBuilder sixteenRegisterBaselines(ChainedOptionsBuilder opt) {
        return opt.param("impl", "netlib-native").param("coretype", "Haswell", "Nehalem");
    }

    private static boolean x86() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /** Whether /proc/cpuinfo lists a CPU flag (false where it cannot be read). */
    private static boolean cpuFlag(String flag) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return (" " + line + " ").contains(" " + flag + " ");
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return false;
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder opt) throws RunnerException {
        return new Runner(opt.build()).run();
    }
}
