package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simdvae.core.Simd;
import simdvae.core.Width;
import simdvae.vae.data.ImageDataset;

/** The determinism contract for training: same seed and data, same parameter bits at every width and thread count. */
class DeterminismTest {
    /** The parameters' SHA-256 and every epoch's mean training loss, exactly. */
    static String train(Width width, int threads, ImageDataset data) {
        // 1,000 digits in batches of 16: 63 steps an epoch, the last one partial; 4 epochs = 252 steps.
        VaeConfig config = VaeConfig.defaults().withHidden(List.of(96, 40)).withLatent(3).withBatch(16).withEpochs(4)
                .withSeed(7).withThreads(threads).withWidth(width);
        Vae vae = Vae.create(config);
        StringBuilder fingerprint = new StringBuilder(vae.parametersSha256());
        try (Trainer trainer = new Trainer(vae)) {
            for (TrainingListener.EpochResult r : trainer.train(data)) {
                fingerprint.append(" loss ").append(Double.toHexString(r.trainLoss()));
            }
        }
        return fingerprint.toString();
    }

    @Test
    void sameParametersAndLossesAtEveryWidthAndThreadCount() {
        ImageDataset data = Mnist.train().head(1000);
        String reference = train(Width.SCALAR, 1, data);
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Width w : Simd.supportedWidths()) {
            for (int threads = 1; threads <= 3; threads++) {
                hashes.put(w + "/" + threads, train(w, threads, data));
            }
        }
        for (Map.Entry<String, String> e : hashes.entrySet()) {
            assertEquals(reference, e.getValue(), "width/threads " + e.getKey() + " of " + hashes);
        }
    }

    @Test
    void differentSeedsGiveDifferentModels() {
        ImageDataset data = Mnist.train().head(200);
        Vae a = Vae.create(VaeConfig.defaults().withHidden(List.of(16)).withEpochs(1).withSeed(1));
        Vae b = Vae.create(VaeConfig.defaults().withHidden(List.of(16)).withEpochs(1).withSeed(2));
        try (Trainer ta = new Trainer(a); Trainer tb = new Trainer(b)) {
            ta.train(data);
            tb.train(data);
        }
        org.junit.jupiter.api.Assertions.assertNotEquals(a.parametersSha256(), b.parametersSha256());
    }
}
