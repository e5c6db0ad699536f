package simdvae.vae.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.SimdvaeException;
import simdvae.kernels.SeededCases;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.Dataset;
import simdvae.vae.internal.io.ModelFile;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.Scaling;

class ModelFileTest {
    @TempDir
    Path dir;

    static Vae small() {
        return Vae.create(VaeConfig.defaults().withInput(20).withHidden(List.of(8, 6)).withLatent(3).withSeed(3));
    }

    static byte[] bytes(Vae v, Path dir) throws IOException {
        Path f = dir.resolve("m.svae");
        v.save(f);
        return Files.readAllBytes(f);
    }

    @Test
    void roundTripKeepsEveryBitAndTheArchitecture() {
        Vae v = small();
        Path f = dir.resolve("model.svae");
        v.save(f);
        Vae back = Vae.load(f);
        assertEquals(v.parametersSha256(), back.parametersSha256());
        assertEquals(v.architecture(), back.architecture());
        assertArrayEquals(v.parameters(), back.parameters());
        assertTrue(Files.notExists(dir.resolve("model.svae.tmp")), "no temporary file left behind");
    }

    /**
     * A Gaussian model of named, standardized columns: the likelihood, the scaling, the names and the label survive
     * the file, and the loaded model scores the raw rows exactly as the saved one.
     */
    @Test
    void gaussianModelKeepsItsLikelihoodScalingAndColumnNames() {
        SplittableRandom r = new SplittableRandom(5);
        double[][] rows = new double[120][4];
        for (double[] row : rows) {
            row[0] = 1000 + 50 * r.nextGaussian();
            row[1] = -3 + 0.01 * r.nextGaussian();
            row[2] = 7; // constant
            row[3] = row[0] / 100 + r.nextGaussian();
        }
        Dataset data = Dataset.of(rows, null, List.of("a", "b", "c", "d"));
        Vae v = Vae.create(VaeConfig.defaults().withInput(4).withHidden(List.of(8)).withLatent(2)
                .withLikelihood(Likelihood.GAUSSIAN).withEpochs(2).withBatch(20));
        try (Trainer t = new Trainer(v)) {
            t.train(data);
        }
        assertEquals(Scaling.STANDARDIZE, v.features().scaling());
        assertEquals(1, v.features().constantColumns().size());
        assertTrue(v.features().constantColumns().get(0).contains("'c'"), v.features().constantColumns().toString());
        Path f = dir.resolve("g.svae");
        v.save(f);
        Vae back = Vae.load(f);
        assertEquals(Likelihood.GAUSSIAN, back.likelihood());
        assertEquals(List.of("a", "b", "c", "d"), back.features().names());
        assertEquals(Scaling.STANDARDIZE, back.features().scaling());
        assertArrayEquals(v.score(data).negativeElbo(), back.score(data).negativeElbo());
        // log-variances come back in the data's units too: column a's sd is ~50 (log σ² ~ 7.8 ± the clamp's 7),
        // the constant column c was only centred (its log σ² stays within the clamp)
        float[][] logVar = back.decodeLogVar(back.encode(data).mu());
        for (float[] row : logVar) {
            assertTrue(row[0] > 2 * Math.log(50) - 7.5 && row[0] < 2 * Math.log(50) + 7.5, "a: " + row[0]);
            assertTrue(row[2] > -7 && row[2] < 7, "c: " + row[2]);
        }
        assertThrows(SimdvaeException.class, () -> small().decodeLogVar(new float[][] {{0f, 0f, 0f}}));
        float[][] recon = back.reconstruct(data);
        for (float[] row : recon) {
            // decoded means come back in the data's units: column a near 1000, the constant column near 7
            assertTrue(Math.abs(row[0] - 1000) < 300, "a: " + row[0]);
            assertTrue(Math.abs(row[2] - 7) < 1, "c: " + row[2]);
        }
    }

    /**
     * The bytes of a one-model file of the current format, {@code p} parameters, no reference and no decision, as
     * format version 5 wrote them: without the member count that precedes the parameter count.
     */
    static byte[] asVersion5(byte[] v6, int p) {
        int n = v6.length - 32 - 2 - 4 * p - 4 - 4; // sha, reference flag and decision, parameters, P, N
        assertEquals(1, ByteBuffer.wrap(v6).getInt(n), "one member");
        byte[] v5 = new byte[v6.length - 4];
        System.arraycopy(v6, 0, v5, 0, n);
        System.arraycopy(v6, n + 4, v5, n, v6.length - n - 4);
        return stamped(v5, 5);
    }

    /**
     * {@code file} (a model or checkpoint file) as format {@code version} wrote it: that version in its header, its
     * SHA-256 at its end.
     */
    static byte[] stamped(byte[] file, int version) {
        ByteBuffer.wrap(file).putInt(8, version);
        System.arraycopy(Binary.sha256(file, file.length - 32), 0, file, file.length - 32, 32);
        return file;
    }

    /** A file of format version 5 (one model, no member count) still loads, to the same bits. */
    @Test
    void versionFiveFilesStillLoad() {
        Vae v = small();
        Vae back = Vae.fromBytes(asVersion5(v.toBytes(), v.parameters().length), "v5.svae");
        assertEquals(1, back.members());
        assertEquals(v.parametersSha256(), back.parametersSha256());
    }

    /** {@code v} as format version 3 wrote it: the same bytes without the reference scores and the decision. */
    static byte[] asVersion3(Vae v) {
        // no reference, no decision
        byte[] v4 = asVersion5(Vae.of(v.config(), v.parameters(), v.features()).toBytes(), v.parameters().length);
        assertEquals(0, v4[v4.length - 33] | v4[v4.length - 34], "an empty reference and decision");
        byte[] v3 = new byte[v4.length - 2];
        System.arraycopy(v4, 0, v3, 0, v3.length - 32);
        return stamped(v3, 3);
    }

    /** A file of format version 3 (before reference scores) still loads and scores, without percentiles. */
    @Test
    void versionThreeFilesStillLoad() {
        Vae v = small();
        Vae back = Vae.fromBytes(asVersion3(v), "v3.svae");
        assertEquals(v.parametersSha256(), back.parametersSha256());
        assertEquals(null, back.reference());
        float[][] rows = new float[5][v.columnCount()];
        assertArrayEquals(v.score(Dataset.of(rows)).negativeElbo(), back.score(Dataset.of(rows)).negativeElbo());
        assertEquals(null, back.score(Dataset.of(rows)).percentiles());
    }

    /**
     * A format-3 file of a plain model as format 2 wrote it: the same bytes without the features' "table" byte
     * (which follows the scaling code at {@code featuresAt}), the version 2, its checksum again.
     */
    static byte[] asVersion2(byte[] v3, int featuresAt) {
        assertEquals(0, v3[featuresAt + 4], "a plain model's table byte");
        byte[] v2 = new byte[v3.length - 1];
        System.arraycopy(v3, 0, v2, 0, featuresAt + 4);
        System.arraycopy(v3, featuresAt + 5, v2, featuresAt + 4, v3.length - featuresAt - 5);
        return stamped(v2, 2);
    }

    /** A file of format version 2 (before tables) still loads, and scores as it did. */
    @Test
    void versionTwoFilesStillLoad() {
        float[][] rows = new float[60][3];
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        for (float[] row : rows) {
            row[0] = (float) r.nextGaussian();
            row[1] = 10 + 3 * row[0];
            row[2] = (float) r.nextGaussian() * 100;
        }
        Dataset data = Dataset.of(rows, null, List.of("a", "b", "c"));
        Vae v = Vae.create(VaeConfig.defaults().withInput(3).withHidden(List.of(8)).withLatent(2)
                .withLikelihood(Likelihood.GAUSSIAN).withEpochs(2).withBatch(20));
        try (Trainer t = new Trainer(v)) {
            t.train(data);
        }
        // magic, version, likelihood, seed, then the sizes: input, H = 1, one hidden size, latent
        int featuresAt = 8 + 4 + 4 + 8 + 4 * 4;
        Vae back = Vae.fromBytes(asVersion2(asVersion3(v), featuresAt), "v2.svae");
        assertEquals(v.parametersSha256(), back.parametersSha256());
        assertEquals(List.of("a", "b", "c"), back.features().names());
        assertArrayEquals(v.score(data).negativeElbo(), back.score(data).negativeElbo());
    }

    /** A file of format version 1 (before likelihoods and scaling) still loads, as the Bernoulli model it was. */
    @Test
    void versionOneFilesStillLoad() throws IOException {
        Vae v = small();
        float[] p = v.parameters();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.write(new byte[] {'S', 'I', 'M', 'D', 'V', 'A', 'E', 0});
            out.writeInt(1);
            out.writeInt(20);
            out.writeInt(2);
            out.writeInt(8);
            out.writeInt(6);
            out.writeInt(3);
            out.writeInt(p.length);
            for (float x : p) {
                out.writeFloat(x);
            }
            out.write(Binary.sha256(bytes.toByteArray(), bytes.size()));
        }
        Vae back = Vae.fromBytes(bytes.toByteArray(), "old.svae");
        assertEquals(Likelihood.BERNOULLI, back.likelihood());
        assertEquals(Scaling.NONE, back.features().scaling());
        assertEquals(v.architecture(), back.architecture());
        assertEquals(v.parametersSha256(), back.parametersSha256());
    }

    @Test
    void damagedFilesAreRefusedWithAClearMessage() throws IOException {
        byte[] good = bytes(small(), dir);
        assertMessage(java.util.Arrays.copyOf(good, good.length - 7), "truncated");
        assertMessage(java.util.Arrays.copyOf(good, 20), "truncated");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        assertMessage(flipped, "corrupted: its checksum");
        byte[] version = good.clone();
        ByteBuffer.wrap(version).putInt(8, ModelFile.VERSION + 1);
        assertMessage(version, "format version " + (ModelFile.VERSION + 1) + "; this simdvae reads versions 1 to "
                + ModelFile.VERSION);
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertMessage(magic, "not a simdvae model file");
        byte[] arch = good.clone();
        ByteBuffer.wrap(arch).putInt(24, 21); // input size 21: the parameter count no longer matches
        assertMessage(arch, "damaged");
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putInt(24, Integer.MAX_VALUE);
        assertMessage(huge, "out of range");
        byte[] likelihood = good.clone();
        ByteBuffer.wrap(likelihood).putInt(12, 7);
        assertMessage(likelihood, "unknown likelihood");
        assertMessage(huge, "out of range");
        assertMessage(new byte[0], "not a simdvae model file");
    }

    private void assertMessage(byte[] data, String part) {
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> Vae.fromBytes(data, "m.svae"));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith("m.svae"), e.getMessage());
    }

    /** Random and mutated bytes: always the documented exception, never a hang, an OOM or another exception. */
    @Test
    void randomAndMutatedBytesOnlyEverRaiseTheDocumentedError() throws IOException {
        byte[] good = bytes(small(), dir);
        SeededCases.check(2000, integers().between(0, 3), (kind, r) -> {
            byte[] data = switch (kind) {
                case 0 -> {
                    byte[] b = new byte[r.nextInt(200)];
                    r.nextBytes(b);
                    yield b;
                }
                case 1 -> {
                    byte[] b = good.clone();
                    for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt();
                    }
                    yield b;
                }
                case 2 -> java.util.Arrays.copyOf(good, r.nextInt(good.length));
                default -> {
                    byte[] b = good.clone();
                    ByteBuffer.wrap(b).putInt(4 * (2 + r.nextInt(6)), r.nextInt());
                    yield b;
                }
            };
            try {
                Vae v = Vae.fromBytes(data, "fuzz");
                assertEquals(Vae.load(dir.resolve("m.svae")).parametersSha256(), v.parametersSha256(),
                        "only an intact file may load");
            } catch (SimdvaeException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz"));
            }
        });
    }

    @Test
    void missingFileIsNamed() {
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> Vae.load(dir.resolve("nope.svae")));
        assertTrue(e.getMessage().contains("nope.svae") && e.getMessage().contains("no such file"), e.getMessage());
    }
}
