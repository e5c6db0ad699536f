package simdvae.vae.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.SimdvaeException;
import simdvae.vae.Mnist;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;

/** Ensembles in the model file (format 6) and the checkpoint (format 5): every member, to the bit. */
class EnsembleFilesTest {
    @TempDir
    Path dir;

    static Vae ensemble(int members) {
        return Vae.create(VaeConfig.defaults().withInput(20).withHidden(List.of(8, 6)).withLatent(3).withSeed(3)
                .withEnsemble(members));
    }

    @Test
    void theModelFileKeepsEveryMember() {
        Vae v = ensemble(4);
        SavedModel saved = ModelFile.parse(v.toBytes(), "e.svae");
        assertEquals(4, saved.members().length);
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(v.member(k).parameters(), saved.members()[k]);
        }
        assertEquals(3, saved.seed(), "member 0's seed, from which the others derive");
        Vae back = Vae.fromBytes(v.toBytes(), "e.svae");
        assertEquals(v.parametersSha256(), back.parametersSha256());
        assertEquals(v.member(3).config().training().seed(), back.member(3).config().training().seed());
    }

    @Test
    void aDamagedMemberCountIsOneLine() {
        Vae v = ensemble(2);
        byte[] good = v.toBytes();
        int p = v.parameters().length;
        int at = good.length - 32 - 2 - 2 * 4 * p - 4 - 4; // sha, reference flag and decision, N × P floats, P, N
        assertEquals(2, ByteBuffer.wrap(good).getInt(at));
        for (int n : new int[] {0, 3, 1_000_000}) {
            byte[] bad = good.clone();
            ByteBuffer.wrap(bad).putInt(at, n);
            SimdvaeException e = assertThrows(SimdvaeException.class, () -> Vae.fromBytes(bad, "bad.svae"));
            assertTrue(e.getMessage().startsWith("bad.svae is "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void theCheckpointKeepsEveryMembersState() {
        Path file = dir.resolve("e.svck");
        Vae v = Vae.create(VaeConfig.defaults().withHidden(List.of(12)).withLatent(2).withBatch(40).withEpochs(2)
                .withEnsemble(3).withThreads(1));
        try (Trainer t = new Trainer(v)) {
            t.trainEpoch(Mnist.train().head(200));
            t.saveCheckpoint(file);
        }
        Checkpoint c = Checkpoint.read(file);
        assertEquals(3, c.members().size());
        assertEquals(3, c.training().ensemble());
        for (int k = 0; k < 3; k++) {
            Checkpoint.Member m = c.members().get(k);
            assertArrayEquals(v.member(k).parameters(), m.params());
            assertEquals(5, m.position().step(), "200 rows in batches of 40: 5 steps each");
            assertEquals(0, m.last().epoch());
            assertTrue(Double.isFinite(m.last().trainLoss()));
        }
    }
}
