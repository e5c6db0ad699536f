package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model file, version 4. Big-endian throughout:
 * <pre>
 *   8 bytes   magic "SIMDVAE\0"
 *   int32     format version (4)
 *   int32     likelihood (0 Bernoulli, 1 Gaussian; a table model's numeric columns')
 *   int64     seed (it also seeds the z drawn by evaluate, score and logLikelihood, so a loaded model scores as
 *             the saved one did)
 *   int32     input size (the encoder's: a table's encoded columns)
 *   int32     number of hidden layers H, then H × int32 hidden sizes
 *   int32     latent size
 *   features  int32 scaling (1 none, 2 standardize, 3 min-max); a byte 1 and a table model's columns (int32 count,
 *             int32 the numeric columns' likelihood, per column a byte kind (0 numeric, 1 categorical), a byte
 *             "had gaps", and a categorical column's int32 level count and levels, each an int32 byte count and
 *             UTF-8), or a byte 0; unless no scaling, per column float64 offset and factor (x ↦ (x − offset)·factor);
 *             for a table model, per column float32 neutral value (a missing numeric cell's input); int32 number of
 *             column names (−1: none), each an int32 byte count and UTF-8; a byte 1 and the label column's name
 *             likewise, or a byte 0
 *   int32     parameter count P (must match the architecture)
 *   P × float32 parameters, in {@link Architecture} order
 *   reference a byte 1 and the {@link ScoreReference} (int32 byte count and UTF-8 name of its rows, int64 row count,
 *             int32 K and K × float32 sorted scores, int32 column count and per column float32 lower quartile,
 *             median, upper quartile, int32 mode level, float32 its share), or a byte 0
 *   decision  a byte: 0 none, 1 a contamination, 2 a threshold; then for 1 and 2 a float64 (the share, or nats)
 *   32 bytes  SHA-256 of every byte before it
 * </pre>
 * Version 3 files (no reference and no decision), version 2 files (plain models: the same layout without the columns byte) and version 1 files (Bernoulli models of
 * unscaled, unnamed inputs: without the likelihood and the features) are still read.
 * Written to a temporary file, forced to disk and renamed over the target, so a crash leaves the old file or the
 * new one, never half of one. Reading checks every field before allocating anything, so a hostile header cannot ask
 * for gigabytes.
 */
public final class ModelFile {
    static final byte[] MAGIC = {'S', 'I', 'M', 'D', 'V', 'A', 'E', 0};
    /** The format version written. */
    public static final int VERSION = 4;
    private static final int MAX_SIZE = 1 << 24;
    private static final int MAX_LAYERS = 64;

    private ModelFile() {
    }

    static void write(Path file, Vae model) {
        Storage.writeAtomically(file, bytes(model));
    }

    /** The bytes of {@code model}'s file. */
    static byte[] bytes(Vae model) {
        Architecture a = model.architecture();
        float[] params = model.parameterBuffer();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(params.length * 4 + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(model.likelihood().ordinal());
            out.writeLong(model.config().seed());
            writeArchitecture(out, a.input(), a.hidden(), a.latent());
            model.features().write(out, a.input());
            out.writeInt(params.length);
            ByteBuffer floats = ByteBuffer.allocate(params.length * 4);
            floats.asFloatBuffer().put(params);
            out.write(floats.array());
            ScoreReference reference = model.reference();
            out.writeByte(reference == null ? 0 : 1);
            if (reference != null) {
                reference.write(out);
            }
            if (!Double.isNaN(model.contamination())) {
                out.writeByte(1);
                out.writeDouble(model.contamination());
            } else if (!Double.isNaN(model.fixedThreshold())) {
                out.writeByte(2);
                out.writeDouble(model.fixedThreshold());
            } else {
                out.writeByte(0);
            }
            out.write(sha256(bytes.toByteArray(), bytes.size()));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    static Vae read(Path file) {
        byte[] data;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 64) {
                throw new SimdvaeException(file + " is not a simdvae model: " + size + " bytes is too large");
            }
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SimdvaeException("cannot read model " + file + ": " + Storage.describe(e));
        }
        return parse(data, file.toString());
    }

    /**
     * Parses the bytes of a model file; {@code name} is used in messages.
     *
     * @param data the bytes
     * @param name what to call them in messages
     * @return the model
     */
    public static Vae parse(byte[] data, String name) {
        ByteBuffer in = ByteBuffer.wrap(data);
        if (data.length < MAGIC.length + 8 || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new SimdvaeException(name + " is not a simdvae model file (bad magic number)");
        }
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version < 1 || version > VERSION) {
            throw new SimdvaeException(name + " is a model file of format version " + version
                    + "; this simdvae reads versions 1 to " + VERSION);
        }
        try {
            Likelihood likelihood = version == 1 ? Likelihood.BERNOULLI : likelihood(in.getInt(), name);
            long seed = version == 1 ? VaeConfig.defaults().seed() : in.getLong();
            Sizes sizes = readSizes(in, name);
            Features features = version == 1 ? Features.identity() : Features.read(in, sizes.input(), name, version);
            VaeConfig config;
            Architecture arch;
            try {
                config = sizes.builder().likelihood(likelihood).scaling(features.scaling()).seed(seed).build();
                arch = Architecture.of(config, features);
            } catch (SimdvaeException e) {
                // sizes that each pass but together make no model (a damaged header, say)
                throw new SimdvaeException(name + " is damaged: " + e.getMessage(), e);
            }
            int count = field(in, name, "parameter count", 0, Integer.MAX_VALUE);
            long expected = arch.parameterCount();
            if (count != expected) {
                throw new SimdvaeException(name + " is damaged: it declares " + count
                        + " parameters, its architecture has " + expected);
            }
            long total = (long) in.position() + 4L * count + 32;
            if (version < 4 ? data.length != total : data.length < total + 2) {
                throw new SimdvaeException(name + " is " + (data.length < total ? "truncated" : "damaged") + ": "
                        + data.length + " bytes, expected " + (version < 4 ? "" : "more than ") + total);
            }
            byte[] stored = Arrays.copyOfRange(data, data.length - 32, data.length);
            if (!Arrays.equals(stored, sha256(data, data.length - 32))) {
                throw new SimdvaeException(name + " is corrupted: its checksum does not match its contents");
            }
            float[] params = new float[count];
            in.asFloatBuffer().get(params);
            in.position(in.position() + 4 * count);
            Vae model = new Vae(config, params, features, true);
            if (version >= 4) {
                model = readCalibration(ByteBuffer.wrap(data, 0, data.length - 32).position(in.position()), model,
                        name);
            }
            return model;
        } catch (java.nio.BufferUnderflowException e) {
            throw new SimdvaeException(name + " is truncated: it ends inside its header");
        }
    }

    /** The reference and the decision of a version 4 file, which must end exactly where its checksum starts. */
    private static Vae readCalibration(ByteBuffer in, Vae model, String name) {
        byte has = in.get();
        if (has != 0 && has != 1) {
            throw new SimdvaeException(name + " is damaged: reference flag " + has);
        }
        if (has == 1) {
            model.setReference(ScoreReference.read(in, name));
        }
        byte decision = in.get();
        Vae decided = switch (decision) {
            case 0 -> model;
            case 1 -> model.withContamination(in.getDouble());
            case 2 -> model.withThreshold(in.getDouble());
            default -> throw new SimdvaeException(name + " is damaged: decision code " + decision);
        };
        if (in.hasRemaining()) {
            throw new SimdvaeException(name + " is damaged: " + in.remaining() + " bytes after its decision");
        }
        return decided;
    }

    static Likelihood likelihood(int code, String name) {
        if (code < 0 || code >= Likelihood.values().length) {
            throw new SimdvaeException(name + " is damaged: unknown likelihood code " + code);
        }
        return Likelihood.values()[code];
    }

    /** The architecture as model files and checkpoints store it: input, H, H hidden sizes, latent (int32 each). */
    static void writeArchitecture(DataOutputStream out, int input, List<Integer> hidden, int latent)
            throws IOException {
        out.writeInt(input);
        out.writeInt(hidden.size());
        for (int h : hidden) {
            out.writeInt(h);
        }
        out.writeInt(latent);
    }

    /** The sizes model files and checkpoints store: the encoder's input, the hidden sizes, the latent size. */
    record Sizes(int input, List<Integer> hidden, int latent) {
        VaeConfig.Builder builder() {
            return VaeConfig.builder().input(input).hidden(hidden).latent(latent);
        }
    }

    /** Reads what {@link #writeArchitecture} wrote, checking every size before anything is allocated. */
    static Sizes readSizes(ByteBuffer in, String name) {
        int input = field(in, name, "input size", 1, MAX_SIZE);
        int layers = field(in, name, "hidden layer count", 0, MAX_LAYERS);
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            hidden.add(field(in, name, "hidden size", 1, MAX_SIZE));
        }
        int latent = field(in, name, "latent size", 1, MAX_SIZE);
        return new Sizes(input, hidden, latent);
    }

    /** An int of the header in [min, max], or a one-line error naming the file and the field. */
    private static int field(ByteBuffer in, String name, String what, int min, int max) {
        if (in.remaining() < 4) {
            throw new SimdvaeException(name + " is truncated: it ends inside its header");
        }
        int v = in.getInt();
        if (v < min || v > max) {
            throw new SimdvaeException(name + " is damaged: " + what + " " + v + " is out of range");
        }
        return v;
    }

    static String sha256Hex(byte[] data) {
        return java.util.HexFormat.of().formatHex(sha256(data, data.length));
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
