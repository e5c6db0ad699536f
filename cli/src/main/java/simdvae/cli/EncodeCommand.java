package simdvae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.vae.Dataset;
import simdvae.vae.Vae;

/** {@code simdvae encode}: μ, log σ² and label of every row, as CSV. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode an image split or a CSV file to CSV: mu_0..mu_K-1, logvar_0..logvar_K-1, label.")
final class EncodeCommand implements Callable<Integer> {
    @Mixin
    ModelData input;

    @Option(names = "--out", paramLabel = "FILE", description = "CSV to write (default ${DEFAULT-VALUE}).")
    Path out = Path.of("encoded.csv");

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        ModelData.Loaded in = input.load();
        Vae vae = in.vae();
        Dataset d = in.data();
        Vae.Encoding enc = vae.encode(d);
        int latent = vae.architecture().latent();
        Output.newFile(out, force);
        List<String> header = new ArrayList<>();
        for (int q = 0; q < latent; q++) {
            header.add("mu_" + q);
        }
        for (int q = 0; q < latent; q++) {
            header.add("logvar_" + q);
        }
        header.add(d.labelName() != null ? d.labelName() : "label");
        Output.writeCsv(out, header, d.size(), (i, row) -> {
            for (int q = 0; q < latent; q++) {
                row.add(enc.mu()[i][q]);
            }
            for (int q = 0; q < latent; q++) {
                row.add(enc.logVar()[i][q]);
            }
            row.add(d.labelText(i));
        });
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}
