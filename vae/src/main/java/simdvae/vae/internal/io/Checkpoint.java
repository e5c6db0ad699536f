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
import simdvae.vae.internal.training.EarlyStopping;
import simdvae.vae.internal.training.Position;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.Init;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.ModelConfig;
import simdvae.vae.model.Scaling;
import simdvae.vae.model.TrainingConfig;
import simdvae.vae.table.Features;

/**
 * The full training state, enough to continue a run and end with the same parameter bits as if it had never
 * stopped: the model and the training run, the fitted features, parameters, Adam moments and step count, where in
 * which epoch training stands, and the early-stopping record (best validation loss, its epoch and parameters). The
 * random numbers need no state of their own: the shuffle of epoch e and the ε of step t are functions of (seed, e)
 * and (seed, t), and the KL weight of a step is a function of its position.
 *
 * <p>File format, version 4, big-endian: magic {@code "SIMDVAEC"}; int32 version; int32 likelihood code; the sizes
 * (int32 input, int32 H and H hidden sizes, int32 latent); float64 learning rate, β1, β2, ε; int32 batch, int32
 * epochs, int64 seed; int32 requested scaling code; float64 KL weight β; int32 KL warm-up epochs; float64 validation
 * split; the fitted features (see {@link FeaturesSection}); the position (int64 step, int64 skipped steps, int32
 * epoch, int32 next batch in it, float64 loss sum and int64 samples counted so far in it, int32 data set size, int32
 * values a row); early stopping (int32 patience, int32 best epoch, float64 best validation loss, int32 epochs since
 * it, byte stopped, byte "best parameters follow"); int32 parameter count P; P float32 parameters, P m, P v, and P
 * best parameters when they follow; a SHA-256 of everything before it. Written atomically (temporary file, fsync,
 * rename, fsync of the directory), so a crash at any moment leaves the previous checkpoint or the new one. Version 3
 * files (no validation split), version 2 files (features without a columns byte) and version 1 files (see
 * {@code parseVersion1}) still resume.
 *
 * @param model    the network
 * @param training the run's settings
 * @param features the fitted scaling and names
 * @param position where training stands
 * @param stopping early stopping's record, the best parameters included
 * @param params   the parameters
 * @param m        Adam's first moments
 * @param v        Adam's second moments
 */
public record Checkpoint(ModelConfig model, TrainingConfig training, Features features, Position position,
                         EarlyStopping stopping, float[] params, float[] m, float[] v) {
    static final byte[] MAGIC = {'S', 'I', 'M', 'D', 'V', 'A', 'E', 'C'};
    /** The format version written. */
    public static final int VERSION = 4;

    /**
     * Whether {@code head} (a file's first 8 bytes) is a checkpoint's.
     *
     * @param head the bytes
     * @return whether they are the checkpoint's magic
     */
    public static boolean isCheckpoint(byte[] head) {
        return Arrays.equals(head, MAGIC);
    }

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
            out.writeInt(Codes.of(model.likelihood()));
            Binary.writeSizes(out, model);
            writeRunSettings(out, training);
            out.writeInt(Codes.of(model.scaling()));
            out.writeDouble(training.beta());
            out.writeInt(training.klWarmup());
            out.writeDouble(training.validationSplit());
            FeaturesSection.write(out, features, model.input());
            writePosition(out, position);
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
                floats.asFloatBuffer().position(3 * p).put(best);
            }
            out.write(floats.array());
            out.write(Binary.sha256(bytes.toByteArray(), bytes.size()));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        Storage.writeAtomically(file, bytes.toByteArray());
    }

    /** Adam's settings, batch, epochs and seed: stored alike, after the sizes, in every version. */
    static void writeRunSettings(DataOutputStream out, TrainingConfig k) throws IOException {
        out.writeDouble(k.learningRate());
        out.writeDouble(k.beta1());
        out.writeDouble(k.beta2());
        out.writeDouble(k.epsilon());
        out.writeInt(k.batch());
        out.writeInt(k.epochs());
        out.writeLong(k.seed());
    }

    static void writePosition(DataOutputStream out, Position p) throws IOException {
        out.writeLong(p.step());
        out.writeLong(p.skipped());
        out.writeInt(p.epoch());
        out.writeInt(p.batchInEpoch());
        out.writeDouble(p.lossSum());
        out.writeLong(p.counted());
        out.writeInt(p.rows());
        out.writeInt(p.columns());
    }

    private static Position readPosition(ByteBuffer in) {
        return Position.of(in.getLong(), in.getLong(), in.getInt(), in.getInt(), in.getDouble(), in.getLong(),
                in.getInt(), in.getInt());
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
                Binary.sha256(data, data.length - 32))) {
            throw new SimdvaeException(name + " is damaged or truncated: its checksum does not match its contents");
        }
        ByteBuffer in = ByteBuffer.wrap(data, 0, data.length - 32);
        in.position(MAGIC.length);
        try {
            int version = in.getInt();
            if (version < 1 || version > VERSION) {
                throw new SimdvaeException(name + " is a checkpoint of format version " + version
                        + "; this simdvae reads versions 1 to " + VERSION + " (resume it with the simdvae that wrote"
                        + " it)");
            }
            Likelihood likelihood = version == 1 ? Likelihood.BERNOULLI : Codes.likelihood(in.getInt(), name);
            Binary.Sizes sizes = Binary.readSizes(in, name);
            double lr = in.getDouble();
            double beta1 = in.getDouble();
            double beta2 = in.getDouble();
            double epsilon = in.getDouble();
            int batch = in.getInt();
            int epochs = in.getInt();
            long seed = in.getLong();
            // version 1 (before likelihoods, scaling and early stopping) ran Bernoulli, unscaled, β = 1, no warm-up
            Scaling scaling = version == 1 ? Scaling.NONE : Codes.scaling(in.getInt(), name);
            double beta = version == 1 ? 1 : in.getDouble();
            int warmup = version == 1 ? 0 : in.getInt();
            double split = version >= 4 ? in.getDouble() : 0;
            Features features = version == 1 ? Features.identity()
                    : FeaturesSection.read(in, sizes.input(), name, version);
            ModelConfig model;
            TrainingConfig training;
            Position at;
            EarlyStopping stopping;
            boolean bestFollows = false;
            at = readPosition(in);
            if (version == 1) {
                stopping = new EarlyStopping();
            } else {
                int patience = in.getInt();
                int bestEpoch = in.getInt();
                double bestLoss = in.getDouble();
                int sinceBest = in.getInt();
                boolean stopped = in.get() != 0;
                bestFollows = in.get() != 0;
                stopping = EarlyStopping.of(patience, bestEpoch, bestLoss, sinceBest, stopped, null);
            }
            try {
                model = new ModelConfig(sizes.input(), sizes.hidden(), sizes.latent(), likelihood, scaling,
                        Init.KERAS);
                training = new TrainingConfig(seed, lr, beta1, beta2, epsilon, batch, epochs, beta, warmup, split,
                        stopping.patience());
            } catch (SimdvaeException e) {
                throw new SimdvaeException(name + " is damaged: " + e.getMessage());
            }
            Architecture arch = Architecture.of(model, features.layout());
            int count = in.getInt();
            if (count != arch.parameterCount() || in.remaining() != (bestFollows ? 16L : 12L) * count) {
                throw new SimdvaeException(name + " is damaged: its parameter count does not match its architecture");
            }
            float[] params = new float[count];
            float[] m = new float[count];
            float[] v = new float[count];
            FloatBuffer floats = in.asFloatBuffer();
            floats.get(params).get(m).get(v);
            if (bestFollows) {
                float[] best = new float[count];
                floats.get(best);
                stopping = EarlyStopping.of(stopping.patience(), stopping.bestEpoch(), stopping.bestLoss(),
                        stopping.sinceBest(), stopping.stopped(), best);
            }
            return new Checkpoint(model, training, features, at, stopping, params, m, v);
        } catch (BufferUnderflowException e) {
            throw new SimdvaeException(name + " is damaged: it ends too early");
        }
    }
}
