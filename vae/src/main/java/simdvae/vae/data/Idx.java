package simdvae.vae.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import simdvae.core.SimdvaeException;

/**
 * The IDX format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes, a type byte, a dimension count,
 * then one int32 size per dimension) followed by the data. Only unsigned-byte data (type 0x08) is used: images are
 * 3-dimensional (count × rows × cols), labels 1-dimensional. Files may be gzipped (recognised by content, not by
 * name).
 */
public final class Idx {
    static final int UNSIGNED_BYTE = 0x08;
    /** No real IDX file of this project comes near it; a header that claims more is refused before allocating. */
    static final long MAX_BYTES = 1L << 30;

    private Idx() {
    }

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dims its dimensions, outermost first
     * @param data its bytes, row-major
     */
    public record Array(int[] dims, byte[] data) {
    }

    /**
     * Reads and validates an unsigned-byte IDX file with {@code expectedDims} dimensions.
     *
     * @param file         the file (gzipped or not)
     * @param expectedDims 3 for images, 1 for labels
     * @return its dimensions and bytes
     */
    public static Array read(Path file, int expectedDims) {
        if (!Files.isRegularFile(file)) {
            throw new SimdvaeException("missing data file " + file);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? new GZIPInputStream(raw) : raw;
            Array a = parse(in, file.toString(), expectedDims, gzip ? gzipSize(file) : Files.size(file));
            if (gzip) {
                // gzip checks its CRC only at the end of the stream: read on to it, or a body damaged in the
                // middle (with deflate still decoding) would give wrong pixels and no error.
                try {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new SimdvaeException(file + " is damaged: " + e.getMessage() + " (its gzip checksum or"
                            + " trailer does not match; 'gzip -t' tells the same)");
                }
            }
            return a;
        } catch (IOException e) {
            throw new SimdvaeException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Parses an IDX stream.
     *
     * @param in           the stream, positioned at the magic number
     * @param name         what to call it in messages
     * @param expectedDims 3 for images, 1 for labels
     * @return its dimensions and bytes
     * @throws IOException when the stream fails
     */
    public static Array parse(InputStream in, String name, int expectedDims) throws IOException {
        return parse(in, name, expectedDims, -1);
    }

    /**
     * The size a gzip file says it holds uncompressed: its trailer's ISIZE (the size modulo 2³², of the last member
     * only, so a hint to check against, never a promise).
     */
    private static long gzipSize(Path file) throws IOException {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
            if (ch.size() < 18) {
                return -1;
            }
            ByteBuffer tail = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.position(ch.size() - 4);
            while (tail.hasRemaining() && ch.read(tail) >= 0) {
                // read the 4 bytes
            }
            return tail.hasRemaining() ? -1 : Integer.toUnsignedLong(tail.getInt(0));
        }
    }

    /**
     * {@link #parse(InputStream, String, int)} with the stream's total size in bytes when known ({@code size}, or
     * −1): when the header agrees with it, the data go straight into an array of their size.
     */
    static Array parse(InputStream in, String name, int expectedDims, long size) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new SimdvaeException(name + " is not an IDX file: it is shorter than its header");
        }
        if (header[0] != 0 || header[1] != 0 || (header[2] & 0xFF) != UNSIGNED_BYTE) {
            throw new SimdvaeException(name + " is not an unsigned-byte IDX file (bad magic number 0x"
                    + String.format("%02x%02x%02x%02x", header[0], header[1], header[2], header[3]) + ")");
        }
        int dimCount = header[3] & 0xFF;
        if (dimCount != expectedDims) {
            throw new SimdvaeException(name + " has " + dimCount + " dimensions, expected " + expectedDims
                    + (expectedDims == 3 ? " (images: count × rows × cols)" : " (labels: count)"));
        }
        byte[] sizes = in.readNBytes(4 * dimCount);
        if (sizes.length < 4 * dimCount) {
            throw new SimdvaeException(name + " is truncated: it ends inside its header");
        }
        ByteBuffer bb = ByteBuffer.wrap(sizes);
        int[] dims = new int[dimCount];
        long total = 1;
        for (int i = 0; i < dimCount; i++) {
            dims[i] = bb.getInt();
            if (dims[i] < 0) {
                throw new SimdvaeException(name + " is damaged: dimension " + i + " is negative (" + dims[i] + ")");
            }
            total *= dims[i];
            if (total > MAX_BYTES) {
                throw new SimdvaeException(name + " claims more than " + MAX_BYTES + " bytes of data: refusing it");
            }
        }
        // When the file's own size (or a gzip trailer's) agrees with the header, read into one array of that size:
        // growing by doubling left 63 MB of dead arrays for a 47 MB image file, promoted to the old generation of the
        // launcher's serial collector and never collected (its heap then stayed 70 MB larger for the whole run).
        // Otherwise grow towards the declared size, so a header that lies about it costs only what the file really
        // holds, and the last growth lands on the exact size (no trailing copy).
        boolean agrees = size == 4 + 4L * dimCount + total;
        byte[] data = new byte[(int) (agrees ? total : Math.min(total, 1 << 20))];
        int filled = 0;
        while (filled < total) {
            if (filled == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
            }
            int got = in.read(data, filled, data.length - filled);
            if (got < 0) {
                throw new SimdvaeException(name + " is truncated: its header declares " + total + " bytes of data, it"
                        + " holds " + filled);
            }
            filled += got;
        }
        return new Array(dims, data);
    }

    /**
     * Writes an unsigned-byte IDX file (not gzipped), atomically.
     *
     * @param file the file
     * @param dims the dimensions
     * @param data the bytes, row-major
     */
    public static void write(Path file, int[] dims, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length + 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, UNSIGNED_BYTE, (byte) dims.length});
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        Storage.writeAtomically(file, bytes.toByteArray());
    }
}
