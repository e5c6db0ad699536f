package simdvae.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.vae.Vae;

/** {@code simdvae sample}: new rows from z ~ N(0, I), as a picture of digits or as CSV. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Decode z ~ N(0, I) into a PNG grid of"
    + " images (--out, default samples.png), or with --out FILE.csv into CSV rows" + " (the decoder's mean, in the"
    + " data's units).")
final class SampleCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Option(names = "--n", paramLabel = "N", description = "Number of digits (default ${DEFAULT-VALUE}).")
    int n = 100;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() {
        Output.rowCount(n);
        Vae vae = model.load();
        Path out = output.path("samples.png");
        if (Output.isCsv(out)) {
            Output.writeRows(out, vae, vae.sample(n, seed));
        } else {
            int side = Pictures.side(vae);
            Pictures.grid(out, vae.sample(n, seed), side, Math.min(n, 10));
        }
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}
