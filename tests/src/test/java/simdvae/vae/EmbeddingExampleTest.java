package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's embedding example, and checks that the README shows exactly this code. */
class EmbeddingExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleRuns() {
        float[][] images = Mnist.rows(Mnist.train(), 2000);
        Path file = dir.resolve("my.svae");
        // example:start
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
        Vae.Encoding codes = vae.encode(images);                    // μ and log σ² of every row
        float[][] again = vae.reconstruct(images);                  // decoded μ
        float[][] fresh = vae.sample(16, 7L);                       // decoded z ~ N(0, I)
        vae.save(file);
        Vae same = Vae.load(file);
        // example:end
        assertEquals(images.length, codes.mu().length);
        assertEquals(784, again[0].length);
        assertEquals(16, fresh.length);
        assertEquals(vae.parametersSha256(), same.parametersSha256());
        assertTrue(vae.evaluate(Dataset.of(images)).atMean() < 250);
    }

    @Test
    void theReadmeShowsExactlyThisExample() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("README.md"))) {
            root = root.getParent();
        }
        String test = Files.readString(root.resolve("tests/src/test/java/simdvae/vae/EmbeddingExampleTest.java"));
        String example = test.substring(test.indexOf("// example:start") + 16, test.indexOf("// example:end"));
        String readme = Files.readString(root.resolve("README.md"));
        assertTrue(normalize(readme).contains(normalize(example)), "README.md must show the example of " + getClass());
    }

    private static String normalize(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
