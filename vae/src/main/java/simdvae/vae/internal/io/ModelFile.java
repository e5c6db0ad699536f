package simdvae.vae.internal.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Storage;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.Init;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.model.TrainingConfig;
import simdvae.vae.table.Features;

/**
 * The model file, version 7. Big-endian throughout:
 * <pre>
 *   8 bytes   magic "SIMDVAE\0"
 *   int32     format version (7)
 *   int32     likelihood code (a table model's numeric columns'; see {@link Codes})
 *   int64     seed (it also seeds the z drawn by evaluate, score and logLikelihood, so a loaded model scores as
 *             the saved one did)
 *   sizes     int32 input size (the encoder's: a table's encoded columns), int32 H, H × int32 hidden sizes, int32
 *             latent size
 *   features  see {@link FeaturesSection}
 *   int32     members N of the ensemble (1: one model; member i &gt; 0 scores with the seed
 *             {@link simdvae.vae.model.RngStreams#memberSeed} derives from the seed above)
 *   int32     parameter count P of a member (must match the architecture)
 *   N × P float32 parameters, member 0's first, each in {@link Architecture} order
 *   reference a byte 1 and the reference (see {@link ReferenceSection}), or a byte 0
 *   decision  a byte code (0 none, 1 a contamination, 2 a threshold, 3 a false-discovery rate); then for 1 to 3 a
 *             float64 (the share, the threshold or the rate)
 *   32 bytes  SHA-256 of every byte before it
 * </pre>
 * Version 6 files (a reference without a neighbour term: the score is the negative ELBO alone), version 5 files
 * (one model: no member count), version 4 files (a reference of two score lists and no drift summaries), version 3
 * files (no reference and no decision), version 2 files (plain models: features without the columns byte)
 * and version 1 files (Bernoulli models of unscaled, unnamed inputs: without the likelihood, the seed and the
 * features) are still read. Written to a temporary file, forced to disk and renamed over the target, so a crash
 * leaves the old file or the new one, never half of one. Reading checks every field before allocating anything, so a
 * hostile header cannot ask for gigabytes.
 */
public final class ModelFile {
    static final byte[] MAGIC = {'S', 'I', 'M', 'D', 'V', 'A', 'E', 0};
    /** The format version written. */
    public static final int VERSION = 7;

    private ModelFile() {
    }

    /**
     * Writes the model file, atomically.
     *
     * @param file  where
     * @param model what
     */
    public static void write(Path file, SavedModel model) {
        Storage.writeAtomically(file, bytes(model));
    }

    /**
     * The bytes of a model file.
     *
     * @param model what it holds
     * @return the bytes
     */
    public static byte[] bytes(SavedModel model) {
        float[][] members = model.members();
        int p = members[0].length;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(members.length * p * 4 + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(Codes.of(model.model().likelihood()));
            out.writeLong(model.seed());
            Binary.writeSizes(out, model.model());
            FeaturesSection.write(out, model.features(), model.model().input());
            out.writeInt(members.length);
            out.writeInt(p);
            ByteBuffer floats = ByteBuffer.allocate(members.length * p * 4);
            FloatBuffer each = floats.asFloatBuffer();
            for (float[] params : members) {
                each.put(params);
            }
            out.write(floats.array());
            ScoreReference reference = model.reference();
            out.writeByte(reference == null ? 0 : 1);
            if (reference != null) {
                ReferenceSection.write(out, reference);
            }
            out.writeByte(Codes.of(model.decision().kind()));
            if (model.decision().kind() != Decision.Kind.NONE) {
                out.writeDouble(model.decision().value());
            }
            out.write(Binary.sha256(bytes.toByteArray(), bytes.size()));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a model file.
     *
     * @param file the file
     * @return what it holds
     */
    public static SavedModel read(Path file) {
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
     * Parses the bytes of a model file of any version; {@code name} is used in messages.
     *
     * @param data the bytes
     * @param name what to call them in messages
     * @return what they hold
     */
    public static SavedModel parse(byte[] data, String name) {
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
            Likelihood likelihood = version == 1 ? Likelihood.BERNOULLI : Codes.likelihood(in.getInt(), name);
            long seed = version == 1 ? TrainingConfig.defaults().seed() : in.getLong();
            Binary.Sizes sizes = Binary.readSizes(in, name);
            Features features = version == 1 ? Features.identity()
                    : FeaturesSection.read(in, sizes.input(), name, version);
            ModelConfig model;
            Architecture arch;
            try {
                model = new ModelConfig(sizes.input(), sizes.hidden(), sizes.latent(), likelihood, features.scaling(),
                        Init.KERAS);
                arch = Architecture.of(model, features.layout());
            } catch (SimdvaeException e) {
                // sizes that each pass but together make no model (a damaged header, say)
                throw new SimdvaeException(name + " is damaged: " + e.getMessage(), e);
            }
            int n = version < 6 ? 1 : Binary.field(in, name, "member count", 1, TrainingConfig.MAX_ENSEMBLE);
            int count = Binary.field(in, name, "parameter count", 0, Integer.MAX_VALUE);
            long expected = arch.parameterCount();
            if (count != expected) {
                throw new SimdvaeException(name + " is damaged: it declares " + count
                        + " parameters, its architecture has " + expected);
            }
            long total = (long) in.position() + 4L * count * n + 32;
            if (version < 4 ? data.length != total : data.length < total + 2) {
                throw new SimdvaeException(name + " is " + (data.length < total ? "truncated" : "damaged") + ": "
                        + data.length + " bytes, expected " + (version < 4 ? "" : "more than ") + total);
            }
            byte[] stored = Arrays.copyOfRange(data, data.length - 32, data.length);
            if (!Arrays.equals(stored, Binary.sha256(data, data.length - 32))) {
                throw new SimdvaeException(name + " is corrupted: its checksum does not match its contents");
            }
            float[][] members = new float[n][count];
            FloatBuffer floats = in.asFloatBuffer();
            for (float[] params : members) {
                floats.get(params);
            }
            in.position(in.position() + 4 * count * n);
            ScoreReference reference = null;
            Decision decision = Decision.NONE;
            if (version >= 4) {
                ByteBuffer tail = ByteBuffer.wrap(data, 0, data.length - 32).position(in.position());
                byte has = tail.get();
                if (has != 0 && has != 1) {
                    throw new SimdvaeException(name + " is damaged: reference flag " + has);
                }
                reference = has == 1 ? ReferenceSection.read(tail, name, version) : null;
                Decision.Kind kind = Codes.decision(tail.get(), name);
                decision = kind == Decision.Kind.NONE ? Decision.NONE : new Decision(kind, tail.getDouble());
                if (tail.hasRemaining()) {
                    throw new SimdvaeException(name + " is damaged: " + tail.remaining() + " bytes after its decision");
                }
            }
            return new SavedModel(model, seed, features, members, reference, decision);
        } catch (BufferUnderflowException e) {
            throw new SimdvaeException(name + " is truncated: it ends inside its header");
        }
    }
}
