package simdvae.vae.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.vae.Mnist;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.ImageDataset;
import simdvae.vae.internal.io.Checkpoint;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.Scaling;

/**
 * Checkpoints of every format version resume: a version-1 file (written here in that format, as the simdvae of
 * that time wrote it) continues to the same parameters as the version-2 file of the same state and as a run never
 * stopped.
 */
class CheckpointVersionsTest {
    @TempDir
    Path dir;

    /** The version-1 format: no likelihood, scaling, features or early-stopping record. */
    static byte[] version1(Checkpoint c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(Checkpoint.MAGIC);
            out.writeInt(1);
            Binary.writeSizes(out, c.model());
            Checkpoint.writeRunSettings(out, c.training()); // stored alike in every version
            Checkpoint.writePosition(out, c.position()); // the position is stored alike in every version
            out.writeInt(c.params().length);
            ByteBuffer floats = ByteBuffer.allocate(12 * c.params().length);
            floats.asFloatBuffer().put(c.params()).put(c.m()).put(c.v());
            out.write(floats.array());
            out.write(Binary.sha256(bytes.toByteArray(), bytes.size()));
        }
        return bytes.toByteArray();
    }

    /**
     * A one-model checkpoint of the current format as format 4 wrote it: without the member count at {@code members}
     * (after the validation split) and the member's last epoch (36 bytes before its parameter count, which precedes
     * its {@code p} parameters, moments and the checksum).
     */
    static byte[] asVersion4(byte[] v5, int members, int p) {
        assertEquals(1, ByteBuffer.wrap(v5).getInt(members), "one member");
        int last = v5.length - 32 - 12 * p - 4 - 36;
        byte[] v4 = new byte[v5.length - 40];
        System.arraycopy(v5, 0, v4, 0, members);
        System.arraycopy(v5, members + 4, v4, members, last - members - 4);
        System.arraycopy(v5, last + 36, v4, last - 4, v5.length - last - 36);
        return ModelFileTest.stamped(v4, 4);
    }

    static String finish(Path checkpoint, ImageDataset data) {
        try (Trainer t = Trainer.resume(checkpoint, 1, Width.AUTO)) {
            t.train(data);
            return t.model().parametersSha256();
        }
    }

    @Test
    void aVersion1CheckpointResumesToTheSameParameters() throws IOException {
        ImageDataset data = Mnist.train().head(400);
        VaeConfig config = VaeConfig.defaults().withHidden(List.of(20)).withBatch(32).withEpochs(3).withSeed(4)
                .withThreads(1);
        Vae whole = Vae.create(config);
        try (Trainer t = new Trainer(whole)) {
            t.train(data);
        }
        Path v2 = dir.resolve("v2.svck");
        try (Trainer t = new Trainer(Vae.create(config))) {
            t.trainSteps(data, 17); // into the second epoch
            t.saveCheckpoint(v2);
        }
        Checkpoint c = Checkpoint.read(v2);
        Path v1 = dir.resolve("v1.svck");
        Files.write(v1, version1(c));
        Checkpoint old = Checkpoint.read(v1);
        assertEquals(c.position().step(), old.position().step());
        assertEquals(Likelihood.BERNOULLI, old.model().likelihood());
        assertEquals(Scaling.NONE, old.features().scaling());
        assertEquals(whole.parametersSha256(), finish(v2, data));
        assertEquals(whole.parametersSha256(), finish(v1, data));
        // format 3 (before the validation split): the same bytes without its float64, after the magic, version,
        // likelihood, the sizes (input, H = 1, one hidden size, latent), four float64, batch, epochs, seed, scaling,
        // β and warm-up; format 2 (before tables): format 3 without the features' table byte.
        int at = 8 + 4 + 4 + 16 + 32 + 4 + 4 + 8 + 4 + 8 + 4;
        byte[] v4 = asVersion4(Files.readAllBytes(v2), at + 8, c.params().length);
        Path four = dir.resolve("four.svck");
        Files.write(four, v4);
        assertEquals(c.position().step(), Checkpoint.read(four).position().step());
        assertEquals(whole.parametersSha256(), finish(four, data));
        byte[] v3 = new byte[v4.length - 8];
        System.arraycopy(v4, 0, v3, 0, at);
        System.arraycopy(v4, at + 8, v3, at, v4.length - at - 8);
        ModelFileTest.stamped(v3, 3);
        Path three = dir.resolve("three.svck");
        Files.write(three, v3);
        assertEquals(c.position().step(), Checkpoint.read(three).position().step());
        assertEquals(whole.parametersSha256(), finish(three, data));
        Path two = dir.resolve("two.svck");
        Files.write(two, ModelFileTest.asVersion2(v3, at));
        assertEquals(c.position().step(), Checkpoint.read(two).position().step());
        assertEquals(whole.parametersSha256(), finish(two, data));

        byte[] damaged = version1(c);
        damaged[damaged.length / 2] ^= 1;
        Files.write(v1, damaged);
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> Checkpoint.read(v1));
        assertTrue(e.getMessage().contains("checksum does not match"), e.getMessage());
    }

    @Test
    void aLaterVersionIsRefusedWithOneLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(Checkpoint.MAGIC);
            out.writeInt(Checkpoint.VERSION + 1);
            out.write(Binary.sha256(bytes.toByteArray(), bytes.size()));
        }
        Path f = dir.resolve("future.svck");
        Files.write(f, bytes.toByteArray());
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("format version " + (Checkpoint.VERSION + 1)), e.getMessage());
    }
}
