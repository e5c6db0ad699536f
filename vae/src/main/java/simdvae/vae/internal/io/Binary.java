package simdvae.vae.internal.io;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.model.ModelConfig;

/** The pieces every file format of simdvae shares: strings, checked ints, the architecture's sizes, SHA-256. */
public final class Binary {
    private static final int MAX_SIZE = 1 << 24;
    private static final int MAX_LAYERS = 64;

    private Binary() {
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(ByteBuffer in, String file) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: a name of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** An int in [min, max], or a one-line error naming the file and the field. */
    static int field(ByteBuffer in, String file, String what, int min, int max) {
        if (in.remaining() < 4) {
            throw new SimdvaeException(file + " is truncated: it ends inside its header");
        }
        int v = in.getInt();
        if (v < min || v > max) {
            throw new SimdvaeException(file + " is damaged: " + what + " " + v + " is out of range");
        }
        return v;
    }

    /** The sizes model files and checkpoints store: input, H, H hidden sizes, latent (int32 each). */
    static void writeSizes(DataOutputStream out, ModelConfig m) throws IOException {
        out.writeInt(m.input());
        out.writeInt(m.hidden().size());
        for (int h : m.hidden()) {
            out.writeInt(h);
        }
        out.writeInt(m.latent());
    }

    /** The sizes as stored: the encoder's input, the hidden sizes, the latent size. */
    record Sizes(int input, List<Integer> hidden, int latent) {
    }

    /** Reads what {@link #writeSizes} wrote, checking every size before anything is allocated. */
    static Sizes readSizes(ByteBuffer in, String file) {
        int input = field(in, file, "input size", 1, MAX_SIZE);
        int layers = field(in, file, "hidden layer count", 0, MAX_LAYERS);
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            hidden.add(field(in, file, "hidden size", 1, MAX_SIZE));
        }
        int latent = field(in, file, "latent size", 1, MAX_SIZE);
        return new Sizes(input, hidden, latent);
    }

    /**
     * SHA-256 of {@code data}, as 64 hex digits.
     *
     * @param data the bytes
     * @return the digest
     */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data, data.length));
    }

    static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
