package simdvae.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;

/** {@code --model FILE}, {@code --data DIR|FILE} and {@code --split}: a trained model and the data it reads. */
final class ModelData {
    @Mixin
    ModelOption model;

    @Mixin
    DataOption data;

    @Option(names = "--split", paramLabel = "NAME", description = "Image data: train or t10k (default"
            + " ${DEFAULT-VALUE}).")
    String split = "t10k";

    /** The model, and its data: an image split, or a CSV file's columns picked by the model's names. */
    record Loaded(Vae vae, Dataset data) {
    }

    Loaded load() {
        if (!split.equals("train") && !split.equals("t10k")) {
            throw new SimdvaeException("--split must be train or t10k, got " + split);
        }
        Vae vae = model.load();
        return new Loaded(vae, data.forModel(vae, split));
    }
}
