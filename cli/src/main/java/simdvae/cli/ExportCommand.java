package simdvae.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.onnx.OnnxExport;

/** {@code simdvae export}: a model as ONNX files. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a trained model as ONNX (opset " + OnnxExport.OPSET + ", float32, standard operators):"
            + " encoder.onnx (x [N, features], raw values -> mu, logvar [N, latent]; the model's scaling included) and"
            + " decoder.onnx (z [N, latent] -> x_mean [N, features] in the data's units, and x_logvar for a Gaussian"
            + " model). They run in ONNX Runtime and agree with simdvae to float rounding. An ensemble exports its"
            + " member 0.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Option(names = "--onnx", paramLabel = "DIR", required = true, description = "Directory for encoder.onnx and"
            + " decoder.onnx.")
    Path dir;

    @Option(names = "--force", description = "Replace encoder.onnx and decoder.onnx if DIR has them.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (!force && (Files.exists(dir.resolve("encoder.onnx")) || Files.exists(dir.resolve("decoder.onnx")))) {
            throw new SimdvaeException(dir + " already holds an export (add --force to replace it)");
        }
        Vae vae = model.load();
        for (Path p : OnnxExport.write(vae, dir)) {
            System.err.printf("simdvae: wrote %s (%,d bytes)%n", p, Files.size(p));
        }
        System.out.println(dir.toAbsolutePath());
        return 0;
    }
}
