package simdvae.vae.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.vae.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.data.ImageDataset;

/** {@code simdvae encode}: μ, log σ² and label of every image, as CSV. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode a data split to CSV: mu_0..mu_K-1, logvar_0..logvar_K-1, label.")
final class EncodeCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Mixin
    DataOption data;

    @Option(names = "--split", paramLabel = "NAME", description = "train or t10k (default ${DEFAULT-VALUE}).")
    String split = "t10k";

    @Option(names = "--out", paramLabel = "FILE", description = "CSV to write (default ${DEFAULT-VALUE}).")
    Path out = Path.of("encoded.csv");

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (!split.equals("train") && !split.equals("t10k")) {
            throw new SimdvaeException("--split must be train or t10k, got " + split);
        }
        Vae vae = model.load();
        ImageDataset d = data.load(split);
        Vae.Encoding enc = vae.encode(d);
        int k = vae.architecture().latent();
        Output.newFile(out, force);
        StringBuilder csv = new StringBuilder();
        for (int q = 0; q < k; q++) {
            csv.append("mu_").append(q).append(',');
        }
        for (int q = 0; q < k; q++) {
            csv.append("logvar_").append(q).append(',');
        }
        csv.append("label\n");
        for (int i = 0; i < d.size(); i++) {
            for (int q = 0; q < k; q++) {
                csv.append(enc.mu()[i][q]).append(',');
            }
            for (int q = 0; q < k; q++) {
                csv.append(enc.logVar()[i][q]).append(',');
            }
            csv.append(d.label(i)).append('\n');
        }
        simdvae.vae.ModelFile.writeAtomically(out, csv.toString().getBytes(StandardCharsets.UTF_8));
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}
