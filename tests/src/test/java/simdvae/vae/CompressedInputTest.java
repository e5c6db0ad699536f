package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.data.Idx;
import simdvae.vae.data.TabularDataset;

/**
 * Gzipped data damaged anywhere after its header: the readers either refuse it with one line naming the file or,
 * when the damage changed nothing they read, return exactly the original — never other values.
 */
class CompressedInputTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gz.toByteArray();
    }

    /** {@code good} with 1 to 3 bytes after the 10-byte gzip header changed. */
    static byte[] damage(byte[] good, long seed, int flips) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] bad = good.clone();
        for (int i = 0; i < flips; i++) {
            bad[10 + r.nextInt(bad.length - 10)] ^= (byte) (1 + r.nextInt(255));
        }
        return bad;
    }

    static void write(Path f, byte[] content) {
        try {
            Files.write(f, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void damagedGzippedIdxIsRefusedOrReadExactly() {
        byte[] px = new byte[4 * 12 * 12];
        new SplittableRandom(3).nextBytes(px);
        byte[] good = gzip(IdxTest.idx(8, new int[] {4, 12, 12}, px));
        Path f = dir.resolve("images-idx3-ubyte.gz");
        qt().withExamples(400).forAll(longs().all(), integers().between(1, 3)).checkAssert((seed, flips) -> {
            write(f, damage(good, seed, flips));
            try {
                assertArrayEquals(px, Idx.read(f, 3).data(), "damage read as other pixels (seed " + seed + ")");
            } catch (SimdvaeException e) {
                assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            }
        });
    }

    @Test
    void damagedGzippedCsvIsRefusedOrReadExactly() {
        StringBuilder csv = new StringBuilder("a,b,c\n");
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 60; i++) {
            csv.append(String.format("%.5f,%.5f,%.5f%n", r.nextGaussian(), r.nextGaussian(), r.nextGaussian()));
        }
        byte[] good = gzip(csv.toString().getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("rows.csv.gz");
        write(f, good);
        Dataset original = TabularDataset.read(f, null, null);
        float[] want = new float[3];
        float[] got = new float[3];
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 3)).checkAssert((seed, flips) -> {
            write(f, damage(good, seed, flips));
            try {
                Dataset d = TabularDataset.read(f, null, null);
                assertEquals(original.size(), d.size(), "seed " + seed);
                for (int i = 0; i < d.size(); i++) {
                    original.copyRow(i, want, 0);
                    d.copyRow(i, got, 0);
                    assertArrayEquals(want, got, "damage read as other values (seed " + seed + ")");
                }
            } catch (SimdvaeException e) {
                assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            }
        });
    }
}
