package simdvae.vae;

import simdvae.core.SimdvaeException;

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
 * stopped: the configuration, the fitted features, parameters, Adam moments and step count, where in which epoch
 * training stands, and the early-stopping record (best validation loss, its epoch and parameters). The random
 * numbers need no state of their own: the shuffle of epoch e and the ε of step t are functions of (seed, e) and
 * (seed, t), and the KL weight of a step is a function of its position.
 *
 * <p>File format, version 3, big-endian: magic {@code "SIMDVAEC"}; int32 version; int32 likelihood; the
 * architecture (int32 input, int32 H and H hidden sizes, int32 latent); float64 learning rate, β1, β2, ε; int32
 * batch, int32 epochs, int64 seed; int32 scaling; float64 KL weight β; int32 KL warm-up epochs; the fitted features
 * (as in {@link ModelFile} version 3, a table's columns included); the position (int64 step, int64 skipped steps, int32 epoch, int32 next batch in it,
 * float64 loss sum and int64 samples counted so far in it, int32 data set size, int32 features); early stopping
 * (int32 patience, int32 best epoch, float64 best validation loss, int32 epochs since it, byte stopped); int32
 * parameter count P; P float32 parameters, P m, P v, and P best parameters when patience &gt; 0; a SHA-256 of
 * everything before it. Written atomically (temporary file, fsync, rename, fsync of the directory), so a crash at
 * any moment leaves the previous checkpoint or the new one. Version 2 files (features without a columns byte) and
 * version 1 files (see {@code parseVersion1}) still resume.
 *
 * @param config   the run's configuration (threads and width as the run that saved it chose them do not matter)
 * @param features the fitted scaling and names
 * @param position where training stands
 * @param stopping early stopping's record, the best parameters included
 * @param params   the parameters
 * @param m        Adam's first moments
 * @param v        Adam's second moments
 */
public record Checkpoint(VaeConfig config, Features features, Position position, EarlyStopping stopping,
                         float[] params, float[] m, float[] v) {
    static final byte[] MAGIC = {'S', 'I', 'M', 'D', 'V', 'A', 'E', 'C'};
    /** The format version written. */
    public static final int VERSION = 3;

    /**
     * Writes this checkpoint, atomically.
     *
     * @param file where
     */
    public void write(Path file) {
        int p = params.length;
        float[] best = stopping.best();
        boolean withBest = best != null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(p * (withBest ? 16 : 12) + 4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(config.likelihood().ordinal());
            ModelFile.writeArchitecture(out, config.input(), config.hidden(), config.latent());
            out.writeDouble(config.learningRate());
            out.writeDouble(config.beta1());
            out.writeDouble(config.beta2());
            out.writeDouble(config.epsilon());
            out.writeInt(config.batch());
            out.writeInt(config.epochs());
            out.writeLong(config.seed());
            out.writeInt(config.scaling().ordinal());
            out.writeDouble(config.beta());
            out.writeInt(config.klWarmup());
            features.write(out, config.input());
            position.write(out);
            stopping.write(out);
            out.writeInt(p);
            ByteBuffer floats = ByteBuffer.allocate(p * (withBest ? 16 : 12));
            floats.asFloatBuffer().put(params).put(m).put(v);
            if (withBest) {
                floats.asFloatBuffer().position(3 * p).put(best);
            }
            out.write(floats.array());
            out.write(ModelFile.sha256(bytes.toByteArray(), bytes.size()));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        Storage.writeAtomically(file, bytes.toByteArray());
    }

    /**
     * Reads a checkpoint; every problem is a {@link SimdvaeException} naming the file.
     *
     * @param file the checkpoint
     * @return its contents
     */
    public static Checkpoint read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SimdvaeException("cannot read checkpoint " + file + ": " + Storage.describe(e));
        }
        return parse(data, file.toString());
    }

    /**
     * Parses a checkpoint's bytes (any format version up to {@link #VERSION}).
     *
     * @param data the file's bytes
     * @param name what to call it in messages
     * @return its contents
     */
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
            if (version == 1) {
                return parseVersion1(in, name);
            }
            if (version < 1 || version > VERSION) {
                throw new SimdvaeException(name + " is a checkpoint of format version " + version
                        + "; this simdvae reads versions 1 to " + VERSION + " (resume it with the simdvae that wrote"
                        + " it)");
            }
            Likelihood likelihood = ModelFile.likelihood(in.getInt(), name);
            ModelFile.Sizes sizes = ModelFile.readSizes(in, name);
            VaeConfig config = config(sizes, likelihood, in, name, version);
            Features features = Features.read(in, sizes.input(), name, version);
            Architecture arch = Architecture.of(config, features);
            Position at = Position.read(in);
            EarlyStopping stopping = EarlyStopping.read(in);
            int count = in.getInt();
            if (count != arch.parameterCount() || in.remaining() != (stopping.hasBest() ? 16L : 12L) * count) {
                throw new SimdvaeException(name + " is damaged: its parameter count does not match its architecture");
            }
            float[] params = new float[count];
            float[] m = new float[count];
            float[] v = new float[count];
            java.nio.FloatBuffer floats = in.asFloatBuffer();
            floats.get(params).get(m).get(v);
            if (stopping.hasBest()) {
                stopping.readBest(floats, count);
            }
            return new Checkpoint(config, features, at, stopping, params, m, v);
        } catch (java.nio.BufferUnderflowException e) {
            throw new SimdvaeException(name + " is damaged: it ends too early");
        }
    }

    /**
     * Version 1 (before likelihoods, scaling and early stopping): magic, version, the architecture, float64 learning
     * rate, β1, β2, ε, int32 batch, int32 epochs, int64 seed, the position as in version 2, int32 P, P parameters,
     * P m, P v. Its runs were Bernoulli, unscaled, with β = 1 and no warm-up or early stopping: resumed as such.
     */
    private static Checkpoint parseVersion1(ByteBuffer in, String name) {
        ModelFile.Sizes sizes = ModelFile.readSizes(in, name);
        VaeConfig config = config(sizes, Likelihood.BERNOULLI, in, name, 1);
        Architecture arch = Architecture.of(config, Features.identity());
        Position at = Position.read(in);
        int count = in.getInt();
        if (count != arch.parameterCount() || in.remaining() != 12L * count) {
            throw new SimdvaeException(name + " is damaged: its parameter count does not match its architecture");
        }
        float[] params = new float[count];
        float[] m = new float[count];
        float[] v = new float[count];
        in.asFloatBuffer().get(params).get(m).get(v);
        return new Checkpoint(config, Features.identity(), at, new EarlyStopping(), params, m, v);
    }

    /**
     * The configuration as both versions store it after the architecture: float64 learning rate, β1, β2, ε, int32
     * batch, int32 epochs, int64 seed; version 2 goes on with int32 scaling, float64 β, int32 KL warm-up (version 1
     * stops there, see {@code parseVersion1}).
     */
    private static VaeConfig config(ModelFile.Sizes sizes, Likelihood likelihood, ByteBuffer in, String name,
                                    int version) {
        VaeConfig.Builder b = sizes.builder().likelihood(likelihood).learningRate(in.getDouble()).beta1(in.getDouble()).beta2(in.getDouble())
                .epsilon(in.getDouble()).batch(in.getInt()).epochs(in.getInt()).seed(in.getLong());
        if (version == 1) {
            b.scaling(Scaling.NONE);
        } else {
            b.scaling(scaling(in.getInt(), name)).beta(in.getDouble()).klWarmup(in.getInt());
        }
        try {
            return b.build();
        } catch (SimdvaeException e) {
            throw new SimdvaeException(name + " is damaged: " + e.getMessage());
        }
    }

    private static Scaling scaling(int code, String name) {
        if (code < 0 || code >= Scaling.values().length) {
            throw new SimdvaeException(name + " is damaged: unknown scaling code " + code);
        }
        return Scaling.values()[code];
    }
}
