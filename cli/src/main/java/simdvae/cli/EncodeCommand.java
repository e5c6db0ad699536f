package simdvae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import simdvae.vae.Encoding;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;

/** {@code simdvae encode}: μ, log σ² and label of every row, as CSV. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode an image split or a CSV file to CSV (--out, default encoded.csv): mu_0..mu_K-1,"
            + " logvar_0..logvar_K-1, label.")
final class EncodeCommand implements Callable<Integer> {
    @Mixin
    ModelData input;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() throws IOException {
        ModelData.Loaded in = input.load();
        Vae vae = in.vae();
        Dataset d = in.data();
        Encoding enc = vae.encode(d);
        int latent = vae.architecture().latent();
        Path out = output.path("encoded.csv");
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
