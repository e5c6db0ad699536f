package simdvae.vae;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import simdvae.core.Width;

/**
 * The full training state, enough to continue a run and end with the same parameter bits as if it had never
 * stopped: the configuration, parameters, Adam moments and step count, and where in which epoch training stands.
 * The random numbers need no state of their own: the shuffle of epoch e and the ε of step t are functions of (seed,
 * e) and (seed, t).
 *
 * <p>File format, version 1, big-endian: magic {@code "SIMDVAEC"}; int32 version; the configuration (int32 input,
 * int32 H and H hidden sizes, int32 latent, float64 learning rate, β1, β2, ε, int32 batch, int32 epochs, int64 seed);
 * the position (int64 step, int64 skipped steps, int32 epoch, int32 next batch in it, float64 loss sum and int64
 * samples counted so far in it, int32 data set size, int32 features); int32 parameter count P; P float32 parameters,
 * P m, P v; a SHA-256 of everything before it. Written atomically (temporary file, fsync, rename, fsync of the
 * directory), so a crash at any moment leaves the previous checkpoint or the new one.
 */
public record Checkpoint(VaeConfig config, long step, long skipped, int epoch, int batchInEpoch, double lossSum,
                         long counted, int dataSize, int features, float[] params, float[] m, float[] v) {
    static final byte[] MAGIC = {'S', 'I', 'M', 'D', 'V', 'A', 'E', 'C'};
    public static final int VERSION = 1;

    /** Writes this checkpoint to {@code file}, atomically. */
    public void write(Path file) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(params.length * 12 + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            ModelFile.writeArchitecture(out, config.input(), config.hidden(), config.latent());
            out.writeDouble(config.learningRate());
            out.writeDouble(config.beta1());
            out.writeDouble(config.beta2());
            out.writeDouble(config.epsilon());
            out.writeInt(config.batch());
            out.writeInt(config.epochs());
            out.writeLong(config.seed());
            out.writeLong(step);
            out.writeLong(skipped);
            out.writeInt(epoch);
            out.writeInt(batchInEpoch);
            out.writeDouble(lossSum);
            out.writeLong(counted);
            out.writeInt(dataSize);
            out.writeInt(features);
            out.writeInt(params.length);
            ByteBuffer floats = ByteBuffer.allocate(params.length * 12);
            floats.asFloatBuffer().put(params).put(m).put(v);
            out.write(floats.array());
            out.write(ModelFile.sha256(bytes.toByteArray(), bytes.size()));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        ModelFile.writeAtomically(file, bytes.toByteArray());
    }

    /** Reads a checkpoint; every problem is a {@link SimdvaeException} naming the file. */
    public static Checkpoint read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SimdvaeException("cannot read checkpoint " + file + ": " + ModelFile.describe(e));
        }
        return parse(data, file.toString());
    }

    public static Checkpoint parse(byte[] data, String name) {
        if (data.length < MAGIC.length + 4 || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new SimdvaeException(name + " is not a simdvae checkpoint (bad magic number)");
        }
        if (data.length < 32 || !Arrays.equals(Arrays.copyOfRange(data, data.length - 32, data.length),
                ModelFile.sha256(data, data.length - 32))) {
            throw new SimdvaeException(name + " is damaged or truncated: its checksum does not match its contents");
        }
        ByteBuffer in = ByteBuffer.wrap(data, 0, data.length - 32);
        in.position(MAGIC.length);
        try {
            int version = in.getInt();
            if (version != VERSION) {
                throw new SimdvaeException(name + " is a checkpoint of format version " + version
                        + "; this simdvae reads version " + VERSION);
            }
            Architecture arch = ModelFile.readArchitecture(in, name);
            VaeConfig config;
            try {
                config = new VaeConfig(arch.input(), arch.hidden(), arch.latent(), in.getDouble(), in.getDouble(), in.getDouble(),
                        in.getDouble(), in.getInt(), in.getInt(), in.getLong(), 0, Width.AUTO, VaeConfig.Init.KERAS);
            } catch (SimdvaeException e) {
                throw new SimdvaeException(name + " is damaged: " + e.getMessage());
            }
            long step = in.getLong();
            long skipped = in.getLong();
            int epoch = in.getInt();
            int batchInEpoch = in.getInt();
            double lossSum = in.getDouble();
            long counted = in.getLong();
            int dataSize = in.getInt();
            int features = in.getInt();
            int count = in.getInt();
            if (count != Architecture.of(config).parameterCount() || in.remaining() != 12L * count) {
                throw new SimdvaeException(name + " is damaged: its parameter count does not match its architecture");
            }
            float[] params = new float[count];
            float[] m = new float[count];
            float[] v = new float[count];
            in.asFloatBuffer().get(params).get(m).get(v);
            return new Checkpoint(config, step, skipped, epoch, batchInEpoch, lossSum, counted, dataSize, features,
                    params, m, v);
        } catch (java.nio.BufferUnderflowException e) {
            throw new SimdvaeException(name + " is damaged: it ends too early");
        }
    }
}
