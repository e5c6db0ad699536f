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
 * stopped: the configuration, the fitted features, parameters, Adam moments and step count, where in which epoch
 * training stands, and the early-stopping record (best validation loss, its epoch and parameters). The random
 * numbers need no state of their own: the shuffle of epoch e and the ε of step t are functions of (seed, e) and
 * (seed, t), and the KL weight of a step is a function of its position.
 *
 * <p>File format, version 2, big-endian: magic {@code "SIMDVAEC"}; int32 version; int32 likelihood; the
 * architecture (int32 input, int32 H and H hidden sizes, int32 latent); float64 learning rate, β1, β2, ε; int32
 * batch, int32 epochs, int64 seed; int32 scaling; float64 KL weight β; int32 KL warm-up epochs; the fitted features
 * (as in {@link ModelFile}); the position (int64 step, int64 skipped steps, int32 epoch, int32 next batch in it,
 * float64 loss sum and int64 samples counted so far in it, int32 data set size, int32 features); early stopping
 * (int32 patience, int32 best epoch, float64 best validation loss, int32 epochs since it, byte stopped); int32
 * parameter count P; P float32 parameters, P m, P v, and P best parameters when patience &gt; 0; a SHA-256 of
 * everything before it. Written atomically (temporary file, fsync, rename, fsync of the directory), so a crash at
 * any moment leaves the previous checkpoint or the new one. Version 1 files (see {@code parseVersion1}) still
 * resume.
 *
 * @param config       the run's configuration
 * @param features     the fitted scaling and names
 * @param step         Adam steps taken
 * @param skipped      steps dropped (non-finite loss)
 * @param epoch        the epoch in progress (0-based)
 * @param batchInEpoch the next batch in it
 * @param lossSum      the epoch's loss so far, summed over samples
 * @param counted      the samples in that sum
 * @param dataSize     rows of the training data
 * @param featureCount features of the training data
 * @param stopping     early stopping's record
 * @param params       the parameters
 * @param m            Adam's first moments
 * @param v            Adam's second moments
 */
public record Checkpoint(VaeConfig config, Features features, long step, long skipped, int epoch, int batchInEpoch,
                         double lossSum, long counted, int dataSize, int featureCount, Stopping stopping,
                         float[] params, float[] m, float[] v) {
    static final byte[] MAGIC = {'S', 'I', 'M', 'D', 'V', 'A', 'E', 'C'};
    /** The format version written. */
    public static final int VERSION = 2;

    /**
     * Early stopping's record: stop after {@code patience} epochs without a better validation loss (0: never), and
     * the best so far. {@code best} holds the best parameters (null while patience is 0).
     *
     * @param patience  epochs without improvement before stopping; 0: never
     * @param bestEpoch the best epoch so far (0-based), -1 before any
     * @param bestLoss  its validation loss
     * @param sinceBest epochs since it
     * @param stopped   whether training has stopped
     * @param best      its parameters, or null
     */
    public record Stopping(int patience, int bestEpoch, double bestLoss, int sinceBest, boolean stopped,
                           float[] best) {
        static Stopping off() {
            return new Stopping(0, -1, Double.POSITIVE_INFINITY, 0, false, null);
        }
    }

    /**
     * Writes this checkpoint, atomically.
     *
     * @param file where
     */
    public void write(Path file) {
        int p = params.length;
        boolean withBest = stopping.best() != null;
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
            out.writeLong(step);
            out.writeLong(skipped);
            out.writeInt(epoch);
            out.writeInt(batchInEpoch);
            out.writeDouble(lossSum);
            out.writeLong(counted);
            out.writeInt(dataSize);
            out.writeInt(featureCount);
            out.writeInt(stopping.patience());
            out.writeInt(stopping.bestEpoch());
            out.writeDouble(stopping.bestLoss());
            out.writeInt(stopping.sinceBest());
            out.writeBoolean(stopping.stopped());
            out.writeBoolean(withBest);
            out.writeInt(p);
            ByteBuffer floats = ByteBuffer.allocate(p * (withBest ? 16 : 12));
            floats.asFloatBuffer().put(params).put(m).put(v);
            if (withBest) {
                floats.asFloatBuffer().position(3 * p).put(stopping.best());
            }
            out.write(floats.array());
            out.write(ModelFile.sha256(bytes.toByteArray(), bytes.size()));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        ModelFile.writeAtomically(file, bytes.toByteArray());
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
            throw new SimdvaeException("cannot read checkpoint " + file + ": " + ModelFile.describe(e));
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
            if (version != VERSION) {
                throw new SimdvaeException(name + " is a checkpoint of format version " + version
                        + "; this simdvae reads versions 1 to " + VERSION + " (resume it with the simdvae that wrote"
                        + " it)");
            }
            Likelihood likelihood = ModelFile.likelihood(in.getInt(), name);
            Architecture arch = ModelFile.readArchitecture(in, name, likelihood);
            VaeConfig config;
            try {
                config = new VaeConfig(arch.input(), arch.hidden(), arch.latent(), in.getDouble(), in.getDouble(),
                        in.getDouble(), in.getDouble(), in.getInt(), in.getInt(), in.getLong(), 0, Width.AUTO,
                        VaeConfig.Init.KERAS, likelihood, scaling(in.getInt(), name), in.getDouble(), in.getInt());
            } catch (SimdvaeException e) {
                throw new SimdvaeException(name + " is damaged: " + e.getMessage());
            }
            Features features = Features.read(in, arch.input(), name);
            Position at = Position.read(in);
            int patience = in.getInt();
            int bestEpoch = in.getInt();
            double bestLoss = in.getDouble();
            int sinceBest = in.getInt();
            boolean stopped = in.get() != 0;
            boolean withBest = in.get() != 0;
            int count = in.getInt();
            if (count != arch.parameterCount() || in.remaining() != (withBest ? 16L : 12L) * count) {
                throw new SimdvaeException(name + " is damaged: its parameter count does not match its architecture");
            }
            float[] params = new float[count];
            float[] m = new float[count];
            float[] v = new float[count];
            float[] best = withBest ? new float[count] : null;
            java.nio.FloatBuffer floats = in.asFloatBuffer();
            floats.get(params).get(m).get(v);
            if (withBest) {
                floats.get(best);
            }
            Stopping stopping = new Stopping(patience, bestEpoch, bestLoss, sinceBest, stopped, best);
            return new Checkpoint(config, features, at.step, at.skipped, at.epoch, at.batchInEpoch, at.lossSum,
                    at.counted, at.dataSize, at.featureCount, stopping, params, m, v);
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
        Architecture arch = ModelFile.readArchitecture(in, name, Likelihood.BERNOULLI);
        VaeConfig config;
        try {
            config = new VaeConfig(arch.input(), arch.hidden(), arch.latent(), in.getDouble(), in.getDouble(),
                    in.getDouble(), in.getDouble(), in.getInt(), in.getInt(), in.getLong(), 0, Width.AUTO,
                    VaeConfig.Init.KERAS, Likelihood.BERNOULLI, Scaling.NONE, 1, 0);
        } catch (SimdvaeException e) {
            throw new SimdvaeException(name + " is damaged: " + e.getMessage());
        }
        Position at = Position.read(in);
        int count = in.getInt();
        if (count != arch.parameterCount() || in.remaining() != 12L * count) {
            throw new SimdvaeException(name + " is damaged: its parameter count does not match its architecture");
        }
        float[] params = new float[count];
        float[] m = new float[count];
        float[] v = new float[count];
        in.asFloatBuffer().get(params).get(m).get(v);
        return new Checkpoint(config, Features.identity(), at.step, at.skipped, at.epoch, at.batchInEpoch,
                at.lossSum, at.counted, at.dataSize, at.featureCount, Stopping.off(), params, m, v);
    }

    /**
     * The training position, stored alike by both versions: int64 step, int64 skipped, int32 epoch, int32 batch,
     * float64 loss sum, int64 counted, int32 rows, int32 features.
     */
    private record Position(long step, long skipped, int epoch, int batchInEpoch, double lossSum, long counted,
                            int dataSize, int featureCount) {
        static Position read(ByteBuffer in) {
            return new Position(in.getLong(), in.getLong(), in.getInt(), in.getInt(), in.getDouble(), in.getLong(),
                    in.getInt(), in.getInt());
        }
    }

    private static Scaling scaling(int code, String name) {
        if (code < 0 || code >= Scaling.values().length) {
            throw new SimdvaeException(name + " is damaged: unknown scaling code " + code);
        }
        return Scaling.values()[code];
    }
}
