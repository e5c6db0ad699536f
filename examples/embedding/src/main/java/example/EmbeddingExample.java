package example;

import java.nio.file.Path;
import java.util.SplittableRandom;
import simdvae.vae.Encoding;
import simdvae.vae.Trainer;
import simdvae.vae.TrainingListener;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.Dataset;

/** The README's embedding example, as an application that depends on simdvae-vae writes it. */
public final class EmbeddingExample {
    private EmbeddingExample() {
    }

    /** Trains on {@code images}, then encodes, reconstructs, samples, saves to {@code file} and loads back. */
    public static Vae run(float[][] images, Path file) {
        Vae vae = Vae.create(VaeConfig.defaults().withEpochs(2));   // the tutorial's model, 2 epochs
        try (Trainer trainer = new Trainer(vae)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onEpoch(EpochResult r) {
                    System.out.printf("epoch %d: loss %.1f, %.0f samples/s%n",
                            r.epoch() + 1, r.trainLoss(), r.samplesPerSecond());
                }
            });
            trainer.train(Dataset.of(images));                      // rows of 784 floats in [0, 1]
        }
        Encoding codes = vae.encode(images);                    // μ and log σ² of every row
        float[][] again = vae.reconstruct(images);                  // decoded μ
        float[][] fresh = vae.sample(16, 7L);                       // decoded z ~ N(0, I)
        vae.save(file);
        Vae same = Vae.load(file);
        System.out.printf("%d codes of %d, %d reconstructions, %d samples; reloaded: %s%n", codes.mu().length,
                codes.mu()[0].length, again.length, fresh.length,
                same.parametersSha256().equals(vae.parametersSha256()));
        return same;
    }

    /** Images of bright bars on a dark 28 × 28 field, one per row: something with structure to learn. */
    public static float[][] bars(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][784];
        for (float[] img : x) {
            int at = 4 + r.nextInt(20);
            boolean vertical = r.nextBoolean();
            for (int i = 0; i < 28; i++) {
                for (int w = 0; w < 3; w++) {
                    img[vertical ? i * 28 + at + w : (at + w) * 28 + i] = 0.9f;
                }
            }
        }
        return x;
    }

    public static void main(String[] args) throws Exception {
        run(bars(1000, 1), java.nio.file.Files.createTempFile("example", ".svae"));
    }
}
