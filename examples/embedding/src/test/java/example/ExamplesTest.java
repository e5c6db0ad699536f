package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.gradcheck.GradientChecker;
import simdvae.vae.Vae;

/** The examples run against the installed artifacts, and do what they say. */
class ExamplesTest {
    @Test
    void theEmbeddingExampleTrainsSavesAndLoadsTheSameModel(@TempDir Path dir) {
        float[][] images = EmbeddingExample.bars(600, 3);
        Vae loaded = EmbeddingExample.run(images, dir.resolve("model.svae"));
        assertEquals(2, loaded.architecture().latent());
        // it learned: its loss on the images is far below that of the untrained model it started from
        simdvae.vae.data.Dataset data = simdvae.vae.data.Dataset.of(images);
        double before = Vae.create(simdvae.vae.VaeConfig.defaults()).evaluate(data).atMean();
        double after = loaded.evaluate(data).atMean();
        assertTrue(after < 0.7 * before, "loss " + after + " after training, " + before + " before");
    }

    @Test
    void theGradientCheckExamplePassesAndAWrongBackwardFails() {
        GradientCheckExample.main(new String[0]);
        double[] x = {0.3, -1.7, 2.5, -0.01};
        GradientChecker.Result wrong = GradientChecker.check(x,
                in -> Arrays.stream(in).map(v -> v / (1 + Math.abs(v))).toArray(),
                (in, dy) -> {
                    float[] dx = new float[in.length];
                    for (int i = 0; i < in.length; i++) {
                        dx[i] = dy[i] / (1 + Math.abs(in[i]));   // the derivative's square forgotten
                    }
                    return dx;
                }, 42, GradientChecker.DEFAULT_TOLERANCE);
        assertThrows(AssertionError.class, wrong::assertPassed);
    }
}
