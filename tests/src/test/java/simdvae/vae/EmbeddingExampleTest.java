package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.data.TabularDataset;
import simdvae.vae.model.Likelihood;
import simdvae.vae.table.Schema;
import simdvae.vae.table.UnseenLevels;

/**
 * Runs the README's embedding example, and checks that the README shows exactly this code and the gradient-check
 * example of examples/.
 */
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
        Encoding codes = vae.encode(images);                    // μ and log σ² of every row
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
    void theReadmeTabularExampleRuns() throws IOException {
        Path csv = dir.resolve("sensors.csv");
        Files.writeString(csv, Planted.make(1500, 15, 16, 0.05, 4).csv("machine"));
        // tabular:start
        Dataset rows = TabularDataset.read(csv, null, "machine");        // every column but the label
        Dataset.Split split = rows.split(0.1, 42, 0);                     // 10 % held out, seeded
        Vae vae = Vae.create(VaeConfig.defaults().withInput(rows.columns()).withHidden(List.of(64))
                .withLikelihood(Likelihood.GAUSSIAN)                       // standardizes the columns itself
                .withKl(1, 5).withEpochs(60));
        try (Trainer trainer = new Trainer(vae)) {
            trainer.validateOn(split.heldOut()).earlyStopping(5);         // ends with the best epoch's parameters
            trainer.train(split.kept());
        }
        Scores scores = vae.score(rows);        // per row, nats: negative ELBO, −log p(x|z=μ), KL
        double[] logPx = vae.logLikelihood(rows, 100);                    // importance-weighted log p(x)
        float[][] means = vae.reconstruct(rows);                          // in the CSV's units
        // tabular:end
        Path file = dir.resolve("detector.svae");
        // decisions:start
        Vae detector = vae.withDecision(Decision.contamination(0.05)); // threshold: the reference scores' 95th percentile
        Scores s = detector.score(rows, true);         // true: also each column's share, s.perColumn()
        double cut = detector.threshold();                 // nats; Decision.threshold(x) sets one instead
        boolean odd = s.outlier(0);                        // row 0's score above the threshold
        double percentile = s.percentile(0);               // 0 to 100 among the reference rows
        detector.save(file);                               // the decision becomes the saved model's default
        // decisions:end
        assertEquals(odd, s.score()[0] > cut);
        assertTrue(percentile >= 0 && percentile <= 100);
        assertEquals(Decision.contamination(0.05), Vae.load(file).decision());
        assertEquals(16, s.perColumn()[0].length);
        assertEquals(rows.size(), scores.negativeElbo().length);
        assertEquals(rows.size(), logPx.length);
        assertEquals(16, means[0].length);
        assertEquals("machine", vae.features().label());
        boolean[] anomaly = new boolean[rows.size()];
        for (int i = 0; i < anomaly.length; i++) {
            anomaly[i] = rows.labelText(i).equals("anomaly");
        }
        assertTrue(Planted.auroc(scores.negativeElbo(), anomaly) > 0.9);
    }

    @Test
    void theReadmeMixedTableExampleRuns() {
        Object[][] cells = payments(600, 11);
        // mixed:start
        Dataset table = Dataset.of(cells, List.of("method", "amount", "country")); // texts are levels, null missing
        Vae vae = Vae.create(VaeConfig.defaults().withHidden(List.of(32)).withLatent(2).withEpochs(40)
                .withLikelihood(Likelihood.GAUSSIAN), table);              // the table sizes the model
        try (Trainer trainer = new Trainer(vae)) {
            trainer.train(table);
        }
        double[] scores = vae.score(table).score();       // a missing cell counts at its expected cost
        Schema columns = vae.features().schema();        // per column: kind, levels (sorted), missing in training
        Vae lenient = vae.withUnseenLevels(UnseenLevels.OTHER);   // a new level scores as "(other)", not an error
        // mixed:end
        assertEquals(List.of("card", "cash", "transfer", Schema.OTHER), columns.levels(0));
        assertEquals(Dataset.Kind.NUMERIC, columns.kind(1));
        assertTrue(columns.hadMissing(1) && columns.hadMissing(2) && !columns.hadMissing(0));
        boolean[] planted = new boolean[cells.length];
        for (int i = 0; i < cells.length; i++) {
            planted[i] = i % 50 == 7;        // cash paid as a transfer's amount: each cell alone is normal
        }
        assertTrue(Planted.auroc(scores, planted) > 0.9, "planted rows must score high");
        Dataset unseen = Dataset.of(new Object[][] {{"crypto", 50.0, "DE"}, {"card", 50.0, "DE"}}, table.columnNames());
        SimdvaeException refused = assertThrows(SimdvaeException.class, () -> vae.score(unseen));
        assertTrue(refused.getMessage().contains("crypto"), refused.getMessage());
        double[] lenientScores = lenient.score(unseen).negativeElbo();
        assertTrue(lenientScores[0] > lenientScores[1] + 3, "an unseen level costs about log(rows) nats");
    }

    /** Payments: the amount depends on the method; a tenth of amounts and countries missing; every 50th planted. */
    private static Object[][] payments(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        String[] methods = {"card", "cash", "transfer"};
        double[] means = {50, 20, 500};
        Object[][] rows = new Object[n][];
        for (int i = 0; i < n; i++) {
            int m = random.nextInt(3);
            boolean planted = i % 50 == 7;
            if (planted) {
                m = 1;
            }
            double amount = (planted ? 500 : means[m]) * (1 + 0.1 * random.nextGaussian());
            rows[i] = new Object[] {methods[m], random.nextInt(10) == 0 && !planted ? null : amount,
                random.nextInt(10) == 0 ? null : random.nextBoolean() ? "DE" : "FR"};
        }
        return rows;
    }

    @Test
    void theReadmeShowsExactlyThisExample() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("README.md"))) {
            root = root.getParent();
        }
        String test = Files.readString(root.resolve("tests/src/test/java/simdvae/vae/EmbeddingExampleTest.java"));
        // the gradient-check example lives in examples/ alone, which ./simdvae test runs against the installed jars
        String gradcheck = Files.readString(root.resolve(
                "examples/embedding/src/main/java/example/GradientCheckExample.java"));
        String readme = Files.readString(root.resolve("README.md"));
        for (String[] source : new String[][] {{"example", test}, {"tabular", test}, {"decisions", test},
            {"mixed", test}, {"gradcheck", gradcheck}}) {
            String name = source[0];
            String start = "// " + name + ":start";
            String example = source[1].substring(source[1].indexOf(start) + start.length(),
                    source[1].indexOf("// " + name + ":end"));
            assertTrue(normalize(readme).contains(normalize(example)), "README.md must show the " + name
                    + " example of " + getClass());
        }
    }

    private static String normalize(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
