package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import simdvae.core.RegisterFile;
import simdvae.core.Simd;
import simdvae.core.Width;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.ImageDataset;

/**
 * Inference reads each layer's weights packed once per model and kernel width: the same bits as the weights read in
 * place, at every width and thread count, on one row, a few and many; and packed again, for every view of the model,
 * after a trainer changes the parameters in place (an optimizer step, early stopping putting the best epoch back).
 */
class PackedWeightsTest {
    private static final VaeConfig CONFIG = VaeConfig.defaults().withHidden(List.of(64, 32)).withLatent(3)
            .withBatch(32).withEpochs(3).withSeed(5);

    /** Every inference product on {@code rows}, one SHA-256 of its bits a product: encode, decode, scores, NLL. */
    static Map<String, String> outputs(Vae vae, float[][] rows) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int n : new int[] {1, 3, rows.length}) {
            float[][] x = java.util.Arrays.copyOf(rows, n);
            Encoding e = vae.encode(x);
            out.put("encode mu " + n, digest(e.mu()));
            out.put("encode logvar " + n, digest(e.logVar()));
            out.put("decode " + n, digest(vae.decode(e.mu())));
        }
        Dataset data = Dataset.of(rows);
        Scores s = vae.score(data, true);
        out.put("score", digest(s.score()));
        out.put("negative elbo", digest(s.negativeElbo()));
        out.put("per column", digest(s.perColumn()));
        out.put("evaluate", digest(new double[] {vae.evaluate(data).sampled(), vae.evaluate(data).atMean()}));
        out.put("embed", digest(vae.embed(data).score()));
        out.put("log likelihood", digest(vae.logLikelihood(data, 4)));
        out.put("sample", digest(vae.sample(5, 3)));
        return out;
    }

    /** {@code model} at the scalar width on one thread, reading its weights in place (no packing). */
    static Vae unpacked(Vae model) {
        System.setProperty("simdvae.packWeights", "false");
        try {
            return model.withWidth(Width.SCALAR).withThreads(1);
        } finally {
            System.clearProperty("simdvae.packWeights");
        }
    }

    @Test
    void packedWeightsGiveTheBitsOfTheWeightsInPlaceAtEveryWidthAndThreadCount() throws Exception {
        Vae model = Vae.create(CONFIG);
        try (Trainer t = new Trainer(model)) {
            t.train(Mnist.train().head(500));
        }
        float[][] rows = Mnist.rows(Mnist.test(), 300);
        Map<String, String> reference = outputs(unpacked(model), rows);
        for (Width w : Simd.supportedWidths()) {
            for (int threads = 1; threads <= 2; threads++) {
                assertEquals(reference, outputs(model.withWidth(w).withThreads(threads), rows), w + ", " + threads
                        + " threads");
            }
        }
        // A model's first calls, from several threads at once: one packs, the others wait for it.
        Vae fresh = Vae.of(CONFIG, model.parameters(), model.features());
        ExecutorService exec = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Width w = Simd.supportedWidths().get(i % Simd.supportedWidths().size());
                calls.add(exec.submit(() -> fresh.withWidth(w).encode(rows).mu()));
            }
            for (Future<float[][]> f : calls) {
                assertEquals(reference.get("encode mu " + rows.length), digest(f.get()));
            }
        } finally {
            exec.shutdown();
        }
    }

    /**
     * Both register files' tiles (16: AVX2's 3 × 3, 32: AVX-512's 10 × 2) at every width, forced with {@value
     * RegisterFile#PROPERTY} for the whole life of a view (its kernels are looked up when it packs): packed and in
     * place, the bits of the scalar reference in place.
     */
    @Test
    void packedWeightsGiveTheBitsOfTheWeightsInPlaceWithEitherRegisterFile() {
        Vae model = Vae.create(CONFIG);
        try (Trainer t = new Trainer(model)) {
            t.trainSteps(Mnist.train().head(500), 10);
        }
        float[][] rows = Mnist.rows(Mnist.test(), 120);
        Map<String, String> reference = outputs(unpacked(model), rows);
        for (Width w : Simd.supportedWidths()) {
            for (int registers : new int[] {16, 32}) {
                System.setProperty(RegisterFile.PROPERTY, Integer.toString(registers));
                try {
                    String where = w + ", " + registers + " registers";
                    assertEquals(reference, outputs(model.withWidth(w).withThreads(1), rows), "packed at " + where);
                    System.setProperty("simdvae.packWeights", "false");
                    Vae inPlace;
                    try {
                        inPlace = model.withWidth(w).withThreads(1);
                    } finally {
                        System.clearProperty("simdvae.packWeights");
                    }
                    assertEquals(reference, outputs(inPlace, rows), "in place at " + where);
                } finally {
                    System.clearProperty(RegisterFile.PROPERTY);
                }
            }
        }
    }

    /**
     * A stale packing would be a silent bug: views that have packed (encoded once) and then see one more training
     * step must encode as a model made fresh from the new parameters, bit for bit, at every width.
     */
    @Test
    void afterOneMoreTrainingStepEncodeEqualsAFreshModelsEncode() {
        ImageDataset data = Mnist.train().head(500);
        float[][] rows = Mnist.rows(Mnist.test(), 64);
        Vae model = Vae.create(CONFIG);
        try (Trainer t = new Trainer(model)) {
            t.trainSteps(data, 5);
            List<Vae> views = new java.util.ArrayList<>();
            List<String> before = new java.util.ArrayList<>();
            for (Width w : Simd.supportedWidths()) {
                Vae v = model.withWidth(w).withThreads(1);
                views.add(v);
                before.add(digest(v.encode(rows).mu())); // packs the weights of this view
            }
            t.trainSteps(data, 1);
            for (int i = 0; i < views.size(); i++) {
                Vae v = views.get(i);
                Vae fresh = Vae.of(CONFIG, model.parameters(), model.features()).withWidth(v.config().runtime().width())
                        .withThreads(1);
                Encoding expected = fresh.encode(rows);
                Encoding got = v.encode(rows);
                String where = v.config().runtime().toString();
                assertNotEquals(before.get(i), digest(got.mu()), "the step changed nothing at " + where);
                assertEquals(digest(expected.mu()), digest(got.mu()), "mu after one more step at " + where);
                assertEquals(digest(expected.logVar()), digest(got.logVar()), "log-variance after one more step at "
                        + where);
            }
        }
    }

    /**
     * An ensemble packs one copy per member's buffer, shared by every view of the ensemble and by its member models
     * (made anew with each view): after another epoch, every view's encode (member 0's) and score (the members' mean)
     * and every member's view equal those of an ensemble made fresh from the new parameters.
     */
    @Test
    void anEnsemblesViewsAndMembersPackAgainAfterAnotherEpoch() {
        ImageDataset data = Mnist.train().head(300);
        float[][] rows = Mnist.rows(Mnist.test(), 40);
        Dataset scored = Dataset.of(rows);
        VaeConfig config = CONFIG.withEnsemble(2);
        Vae model = Vae.create(config);
        try (Trainer t = new Trainer(model)) {
            t.trainEpoch(data);
            List<Vae> views = new java.util.ArrayList<>();
            List<Vae> members = new java.util.ArrayList<>();
            List<String> before = new java.util.ArrayList<>();
            for (Width w : Simd.supportedWidths()) {
                Vae v = model.withWidth(w).withThreads(1);
                views.add(v);
                members.add(v.member(1));
                before.add(digest(v.score(scored, false).score())); // packs every member's weights for this view
                digest(v.encode(rows).mu());
                digest(v.member(1).encode(rows).mu());
            }
            t.trainEpoch(data);
            Vae fresh = Vae.of(config, new float[][] {model.member(0).parameters().clone(),
                model.member(1).parameters().clone()}, model.features());
            for (int i = 0; i < views.size(); i++) {
                Vae v = views.get(i);
                Width w = v.config().runtime().width();
                Vae f = fresh.withWidth(w).withThreads(1);
                String score = digest(v.score(scored, false).score());
                assertNotEquals(before.get(i), score, "the epoch changed nothing at " + w);
                assertEquals(digest(f.score(scored, false).score()), score, "ensemble score at " + w);
                assertEquals(digest(f.encode(rows).mu()), digest(v.encode(rows).mu()), "ensemble encode at " + w);
                assertEquals(digest(f.member(1).encode(rows).mu()), digest(members.get(i).encode(rows).mu()),
                        "member 1's encode at " + w);
            }
        }
    }

    @Test
    void everyViewPacksAgainAfterATrainerChangesTheParametersInPlace() {
        ImageDataset data = Mnist.train().head(500);
        float[][] rows = Mnist.rows(Mnist.test(), 100);
        Vae model = Vae.create(CONFIG);
        try (Trainer t = new Trainer(model)) {
            t.validateOn(Mnist.test().head(100)).earlyStopping(100);
            t.trainEpoch(data); // the best epoch so far: restoreBest puts these parameters back
            List<Vae> views = new java.util.ArrayList<>();
            for (Width w : Simd.supportedWidths()) {
                views.add(model.withWidth(w).withThreads(1));
                views.add(model.withWidth(w).withThreads(2));
            }
            Map<String, String> best = outputs(unpacked(model), rows);
            for (Vae v : views) {
                assertEquals(best, outputs(v, rows), "packed before the steps: " + v.config().runtime());
            }

            t.trainSteps(data, 2); // Adam steps in place, within the second epoch
            Map<String, String> stepped = outputs(unpacked(model), rows);
            assertNotEquals(best.get("encode mu 1"), stepped.get("encode mu 1"));
            for (Vae v : views) {
                assertEquals(stepped, outputs(v, rows), "packed after the steps: " + v.config().runtime());
            }

            t.restoreBest(); // the first epoch's parameters back in place
            for (Vae v : views) {
                assertEquals(best, outputs(v, rows), "packed after restoreBest: " + v.config().runtime());
            }
        }
    }

    static String digest(float[][] rows) {
        ByteBuffer b = ByteBuffer.allocate(rows.length * (rows.length == 0 ? 0 : rows[0].length) * 4);
        for (float[] r : rows) {
            for (float v : r) {
                b.putInt(Float.floatToRawIntBits(v));
            }
        }
        return sha(b.array());
    }

    static String digest(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8);
        for (double v : values) {
            b.putLong(Double.doubleToRawLongBits(v));
        }
        return sha(b.array());
    }

    private static String sha(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
