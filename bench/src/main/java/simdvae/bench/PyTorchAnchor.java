package simdvae.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyTorch's figures beside {@link ServingBench}'s, measured in the same run: {@code bench/pytorch/vae_encode.py}
 * under Debian's python3-torch, one torch thread and 1 or every core's OpenBLAS threads (PyTorch's best setting on
 * these machines). Skipped, with the reason printed, when the script, Python or torch is not there.
 */
final class PyTorchAnchor {
    /** One figure: rows per second for an op at a row count and thread count. */
    record Figure(String op, int rows, int threads, double rowsPerSecond) {
    }

    private static final Path SCRIPT = Path.of("bench", "pytorch", "vae_encode.py");
    private static final Pattern LINE = Pattern.compile("\"op\": \"(\\w+)\", \"rows\": (\\d+), \"threads\": (\\d+),"
            + " \"rows_per_second\": ([0-9.eE+-]+)");

    private PyTorchAnchor() {
    }

    /** Runs the script for both ops, at 1, 256 and 4,096 rows, on one thread and on every core. */
    static List<Figure> measure(boolean quick) {
        List<Figure> figures = new ArrayList<>();
        if (!Files.isRegularFile(SCRIPT)) {
            System.err.println("simdvae bench: no PyTorch figures: " + SCRIPT + " is not here (run from the"
                    + " repository's root)");
            return figures;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            for (String op : List.of("encode", "score")) {
                List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--json", "--op",
                        op));
                cmd.addAll(threads == 1 ? List.of("1", "256", "4096") : List.of("4096"));
                try {
                    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
                    pb.environment().put("OPENBLAS_NUM_THREADS", String.valueOf(threads));
                    pb.environment().put("OMP_NUM_THREADS", "1");
                    Process p = pb.start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (p.waitFor() != 0) {
                        System.err.println("simdvae bench: no PyTorch figures: " + String.join(" ", cmd)
                                + " failed (is Debian's python3-torch installed?)");
                        return figures;
                    }
                    Matcher m = LINE.matcher(out);
                    while (m.find()) {
                        figures.add(new Figure(m.group(1), Integer.parseInt(m.group(2)), threads,
                                Double.parseDouble(m.group(4))));
                    }
                } catch (IOException e) {
                    System.err.println("simdvae bench: no PyTorch figures: cannot run /usr/bin/python3 ("
                            + e.getMessage() + ")");
                    return figures;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return figures;
                }
            }
        }
        return figures;
    }
}
