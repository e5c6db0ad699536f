package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.SimdvaeException;
import simdvae.kernels.SeededCases;
import simdvae.vae.data.Idx;
import simdvae.vae.data.ImageDataset;

class IdxTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    void writeSplit(String split, int n, int side, byte[] labels) throws IOException {
        byte[] px = new byte[n * side * side];
        new SplittableRandom(n).nextBytes(px);
        Files.write(dir.resolve(split + "-images-idx3-ubyte"), idx(8, new int[] {n, side, side}, px));
        Files.write(dir.resolve(split + "-labels-idx1-ubyte"), idx(8, new int[] {labels.length}, labels));
    }

    @Test
    void readsPlainAndGzippedFilesScaledToUnitRange() throws IOException {
        byte[] px = {0, (byte) 255, (byte) 128, 1};
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(8, new int[] {1, 2, 2}, px));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(idx(8, new int[] {1}, new byte[] {7}));
        }
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gz.toByteArray());
        ImageDataset d = ImageDataset.load(dir, "train");
        float[] row = new float[4];
        d.copyRow(0, row, 0);
        assertEquals(0f, row[0]);
        assertEquals(1f, row[1]);
        assertEquals(128f / 255f, row[2]);
        assertEquals(7, d.label(0));
    }

    @Test
    void badFilesGetOneMessageNamingFileAndProblem() throws IOException {
        assertFails(idx(9, new int[] {1, 2, 2}, new byte[16]), 3, "bad magic number");
        assertFails(idx(8, new int[] {4, 4}, new byte[16]), 3, "has 2 dimensions, expected 3");
        assertFails(idx(8, new int[] {10, 28, 28}, new byte[100]), 3, "truncated");
        assertFails(idx(8, new int[] {1_000_000, 28_000, 28}, new byte[100]), 3, "refusing");
        assertFails(new byte[] {0, 0}, 3, "shorter than its header");
        assertFails(idx(8, new int[] {2, 28}, new byte[0]), 3, "dimensions");

        writeSplit("t10k", 5, 4, new byte[] {1, 2, 3});
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> ImageDataset.load(dir, "t10k"));
        assertTrue(e.getMessage().contains("holds 5 images but") && e.getMessage().contains("3 labels"), e.getMessage());
        writeSplit("t10k", 3, 4, new byte[] {1, 12, 3});
        e = assertThrows(SimdvaeException.class, () -> ImageDataset.load(dir, "t10k"));
        assertTrue(e.getMessage().contains("label outside 0-9: 12"), e.getMessage());
        writeSplit("t10k", 0, 4, new byte[0]);
        e = assertThrows(SimdvaeException.class, () -> ImageDataset.load(dir, "t10k"));
        assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
        e = assertThrows(SimdvaeException.class, () -> ImageDataset.load(dir, "train"));
        assertTrue(e.getMessage().startsWith("missing data file"), e.getMessage());
        e = assertThrows(SimdvaeException.class, () -> ImageDataset.load(dir.resolve("nowhere"), "train"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    private void assertFails(byte[] content, int dims, String part) throws IOException {
        Path f = dir.resolve("x-idx");
        Files.write(f, content);
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> Idx.read(f, dims));
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(f.toString()), e.getMessage());
    }

    /** gzip with stored (uncompressed) blocks: a damaged body byte still inflates, only the CRC can catch it. */
    static byte[] gzipStored(byte[] content) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz) {
            {
                def.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            }
        }) {
            out.write(content);
        }
        return gz.toByteArray();
    }

    @Test
    void aGzippedFileDamagedAnywhereInItsBodyIsRefused() throws IOException {
        byte[] px = new byte[3 * 28 * 28];
        new SplittableRandom(1).nextBytes(px);
        byte[] good = gzipStored(idx(8, new int[] {3, 28, 28}, px));
        Path f = dir.resolve("images-idx3-ubyte.gz");
        Files.write(f, good);
        assertEquals(px.length, Idx.read(f, 3).data().length);
        // every byte of the deflate body (between the 10-byte header and the 8-byte trailer), flipped in turn:
        // wrong pixels or an inflate error, never a silent success
        for (int at = 10; at < good.length - 8; at += 7) {
            byte[] bad = good.clone();
            bad[at] ^= 0x5a;
            Files.write(f, bad);
            SimdvaeException e = assertThrows(SimdvaeException.class, () -> Idx.read(f, 3), "damage at " + at);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void randomAndMutatedHeadersOnlyEverRaiseTheDocumentedError() {
        byte[] good = idx(8, new int[] {3, 5, 5}, new byte[75]);
        SeededCases.check(3000, integers().between(0, 2), (kind, r) -> {
            byte[] data;
            if (kind == 0) {
                data = new byte[r.nextInt(64)];
                r.nextBytes(data);
            } else if (kind == 1) {
                data = good.clone();
                data[r.nextInt(16)] = (byte) r.nextInt();
            } else {
                data = good.clone();
                ByteBuffer.wrap(data).putInt(4 + 4 * r.nextInt(3), r.nextInt());
            }
            try {
                Idx.Array a = Idx.parse(new ByteArrayInputStream(data), "fuzz", 3);
                long n = 1;
                for (int d : a.dims()) {
                    n *= d;
                }
                assertEquals(n, a.data().length);
            } catch (SimdvaeException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }
}
