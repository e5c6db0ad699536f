package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.ImageDataset;

/** What an application embedding the library relies on: isolation, thread safety, no leaked threads. */
class EmbeddingSafetyTest {
    static VaeConfig small(long seed) {
        return VaeConfig.defaults().withHidden(List.of(40)).withEpochs(2).withBatch(32).withSeed(seed).withThreads(2);
    }

    static String trainAlone(VaeConfig config, ImageDataset data) {
        Vae vae = Vae.create(config);
        Models.trained(vae, data);
        return vae.parametersSha256();
    }

    @Test
    void twoModelsTrainedConcurrentlyEachMatchTheirSoloRun() throws Exception {
        ImageDataset data = Mnist.train().head(800);
        String soloA = trainAlone(small(1), data);
        String soloB = trainAlone(small(2), data);
        ExecutorService exec = Executors.newFixedThreadPool(2);
        try {
            Future<String> a = exec.submit(() -> trainAlone(small(1), data));
            Future<String> b = exec.submit(() -> trainAlone(small(2), data));
            assertEquals(soloA, a.get());
            assertEquals(soloB, b.get());
        } finally {
            exec.shutdown();
        }
    }

    @Test
    void inferenceFromSeveralThreadsAtOnceEqualsSequential() throws Exception {
        Vae vae = Vae.create(small(3));
        Models.trained(vae, Mnist.train().head(400));
        float[][] x = Mnist.rows(Mnist.test(), 300);
        float[][] expectedMu = vae.encode(x).mu();
        float[][] expectedRecon = vae.reconstruct(x);
        ExecutorService exec = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][][]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(exec.submit(() -> new float[][][] {vae.encode(x).mu(), vae.reconstruct(x)}));
            }
            for (Future<float[][][]> f : results) {
                float[][][] r = f.get();
                for (int i = 0; i < x.length; i++) {
                    assertArrayEquals(expectedMu[i], r[0][i]);
                    assertArrayEquals(expectedRecon[i], r[1][i]);
                }
            }
        } finally {
            exec.shutdown();
        }
    }

    @Test
    void inferenceOnManyRowsIsTheSameBitsOnOneThreadAndOnSeveral() {
        Vae vae = Vae.create(small(5).withThreads(1));
        Models.trained(vae, Mnist.train().head(400));
        ImageDataset test = Mnist.test();
        // 1000 rows: batches of 250 on two threads, 167 on three, 256 (and a short one) on one
        float[][] x = Mnist.rows(test, 1000);
        Encoding one = vae.encode(x);
        float[][] decodedOne = vae.decode(one.mu());
        Scores scoresOne = vae.score(Dataset.of(x));
        double[] llOne = vae.logLikelihood(Dataset.of(x), 3);
        Embedding embeddedOne = vae.embed(Dataset.of(x));
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(one.mu()[i], embeddedOne.mu()[i], "embed's mu of row " + i);
            assertArrayEquals(one.logVar()[i], embeddedOne.logVar()[i], "embed's log variance of row " + i);
            assertEquals(scoresOne.reconstruction()[i] + scoresOne.kl()[i], embeddedOne.score()[i],
                    "embed's score of row " + i + " is the negative ELBO at z = mu");
        }
        for (int threads = 2; threads <= 3; threads++) {
            Vae many = vae.withThreads(threads);
            Encoding e = many.encode(x);
            Scores s = many.score(Dataset.of(x));
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(one.mu()[i], e.mu()[i], "mu of row " + i + " on " + threads + " threads");
                assertArrayEquals(one.logVar()[i], e.logVar()[i], "log variance of row " + i);
            }
            assertArrayEquals(decodedOne, many.decode(one.mu()), "decode on " + threads + " threads");
            assertArrayEquals(scoresOne.negativeElbo(), s.negativeElbo());
            assertArrayEquals(scoresOne.reconstruction(), s.reconstruction());
            assertArrayEquals(scoresOne.kl(), s.kl());
            assertArrayEquals(llOne, many.logLikelihood(Dataset.of(x), 3));
            assertArrayEquals(embeddedOne.score(), many.embed(Dataset.of(x)).score());
        }
    }

    @Test
    void closingATrainerStopsItsThreads() {
        long before = workers();
        Trainer t = new Trainer(Vae.create(small(4).withThreads(3)));
        assertEquals(before + 2, workers());
        t.train(Mnist.train().head(100));
        t.close();
        assertEquals(before, workers());
    }

    static long workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith("simdvae-worker") && th.isAlive()).count();
    }
}
