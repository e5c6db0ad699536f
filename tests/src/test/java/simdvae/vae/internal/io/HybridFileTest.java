package simdvae.vae.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Likelihood;

/**
 * Model file version 7 keeps a hybrid score's neighbour term in the reference; a version 6 file (a reference without
 * the term's byte) still loads, its score the negative ELBO.
 */
class HybridFileTest {
    static Dataset rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][3];
        for (float[] row : x) {
            double u = r.nextGaussian();
            row[0] = (float) (10 * u + r.nextGaussian());
            row[1] = (float) (u * u + 0.1 * r.nextGaussian());
            row[2] = (float) r.nextGaussian();
        }
        return Dataset.of(x);
    }

    static Vae trained(int neighbours) {
        Dataset data = rows(300, 1);
        Vae v = Vae.create(VaeConfig.defaults().withInput(3).withHidden(List.of(8)).withLatent(2).withEpochs(2)
                .withBatch(30).withLikelihood(Likelihood.GAUSSIAN).withValidation(0.2, 0));
        try (Trainer t = new Trainer(v).scoreNeighbours(neighbours)) {
            t.train(data);
        }
        return v;
    }

    @Test
    void aHybridModelComesBackFromItsFileWithItsTerm() {
        Vae v = trained(5);
        Vae back = Vae.fromBytes(v.toBytes(), "m.svae");
        assertEquals(ModelFile.VERSION, ByteBuffer.wrap(v.toBytes()).getInt(8));
        assertEquals(v.neighbours(), back.neighbours());
        Dataset probe = rows(40, 2);
        assertArrayEquals(v.score(probe).score(), back.score(probe).score());
        assertArrayEquals(v.score(probe).percentiles(), back.score(probe).percentiles());
    }

    /** {@code v7} (a reference without a neighbour term and no decision) as format version 6 wrote it. */
    static byte[] asVersion6(byte[] v7) {
        // ... reference, its neighbour flag 0, the decision code 0, 32 bytes of SHA-256
        assertEquals(0, v7[v7.length - 34], "no neighbour term");
        assertEquals(0, v7[v7.length - 33], "no decision");
        byte[] v6 = new byte[v7.length - 1];
        System.arraycopy(v7, 0, v6, 0, v7.length - 34);
        v6[v6.length - 33] = 0;
        ByteBuffer.wrap(v6).putInt(8, 6);
        System.arraycopy(Binary.sha256(v6, v6.length - 32), 0, v6, v6.length - 32, 32);
        return v6;
    }

    @Test
    void aVersionSixFileLoadsWithTheElboScore() {
        Vae v = trained(0);
        assertNull(v.neighbours());
        Vae back = Vae.fromBytes(asVersion6(v.toBytes()), "v6.svae");
        assertNull(back.neighbours());
        assertNotNull(back.reference());
        Dataset probe = rows(40, 3);
        assertArrayEquals(v.score(probe).score(), back.score(probe).score());
        assertArrayEquals(v.score(probe).percentiles(), back.score(probe).percentiles());
    }
}
