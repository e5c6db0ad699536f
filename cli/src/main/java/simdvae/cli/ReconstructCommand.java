package simdvae.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.vae.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.Dataset;

/** {@code simdvae reconstruct}: test images above their reconstructions, or reconstructed rows as CSV. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = {"Write test images and their reconstructions (decoded μ) as a PNG grid, or with --out FILE.csv"
            + " the", "first N rows' reconstructions as CSV, in the data's units."})
final class ReconstructCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Mixin
    DataOption data;

    @Option(names = "--n", paramLabel = "N", description = "Number of images (default ${DEFAULT-VALUE}).")
    int n = 30;

    @Option(names = "--out", paramLabel = "FILE", description = "PNG, or .csv, to write (default ${DEFAULT-VALUE}).")
    Path out = Path.of("reconstructions.png");

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() {
        if (n < 1 || n > 10_000) {
            throw new SimdvaeException("--n must be between 1 and 10000, got " + n);
        }
        Vae vae = model.load();
        Dataset all = data.forModel(vae, "t10k");
        Dataset test = all.rows(java.util.stream.IntStream.range(0, Math.min(n, all.size())).toArray());
        if (Output.isCsv(out)) {
            Output.newFile(out, force);
            Output.writeRows(out, vae, vae.reconstruct(test));
        } else {
            int side = Pictures.side(vae);
            Output.newFile(out, force);
            float[][] x = Rows.of(test, test.size());
            Pictures.reconstructions(out, x, vae.reconstruct(x), side, 10);
        }
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}
