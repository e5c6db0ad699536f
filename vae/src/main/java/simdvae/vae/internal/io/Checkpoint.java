package simdvae.vae.internal.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Storage;
import simdvae.vae.internal.training.EarlyStopping;
import simdvae.vae.internal.training.LastEpoch;
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
 * stopped: the model and the training run, the fitted features, and for each member of the ensemble (one for one
 * model) its parameters, Adam moments and step count, where in which epoch it stands, its early-stopping record
 * (best validation loss, its epoch and parameters) and its last finished epoch's numbers. The random numbers need no
 * state of their own: the shuffle of epoch e and the ε of step t are functions of (seed, e) and (seed, t), and the KL
 * weight of a step is a function of its position.
 *
 * <p>File format, version 5, big-endian: magic {@code "SIMDVAEC"}; int32 version; int32 likelihood code; the sizes
 * (int32 input, int32 H and H hidden sizes, int32 latent); float64 learning rate, β1, β2, ε; int32 batch, int32
 * epochs, int64 seed (member 0's; the others' derive from it); int32 requested scaling code; float64 KL weight β;
 * int32 KL warm-up epochs; float64 validation split; int32 members N; the fitted features (see
 * {@link FeaturesSection}); N members, member 0 first (see {@link MemberSection}); a SHA-256 of everything before
 * it. Written atomically (temporary file, fsync, rename, fsync of the directory), so a crash at any moment leaves
 * the previous checkpoint or the new one. Version 4 files (one model: no member count, no last epoch), version 3
 * files (no validation split), version 2 files (features without a columns byte) and version 1 files (no
 * likelihood, scaling, features or early stopping) still resume.
 *
 * @param model    the network
 * @param training the run's settings (its seed member 0's, its ensemble the members' count)
 * @param features the fitted scaling and names
 * @param members  each member's state, member 0's first
 */
public record Checkpoint(ModelConfig model, TrainingConfig training, Features features, List<Member> members) {
    static final byte[] MAGIC = {'S', 'I', 'M', 'D', 'V', 'A', 'E', 'C'};
    /** The format version written. */
    public static final int VERSION = 5;

    /**
     * One member's training state.
     *
     * @param position where its training stands
     * @param stopping its early-stopping record, the best parameters included
     * @param last     its last finished epoch's numbers
     * @param params   its parameters
     * @param m        its Adam first moments
     * @param v        its Adam second moments
     */
    public record Member(Position position, EarlyStopping stopping, LastEpoch last, float[] params, float[] m,
                         float[] v) {
    }

    /** {@return member 0's position} */
    public Position position() {
        return members.get(0).position();
    }

    /** {@return member 0's early-stopping record} */
    public EarlyStopping stopping() {
        return members.get(0).stopping();
    }

    /** {@return member 0's parameters} */
    public float[] params() {
        return members.get(0).params();
    }

    /** {@return member 0's Adam first moments} */
    public float[] m() {
        return members.get(0).m();
    }

    /** {@return member 0's Adam second moments} */
    public float[] v() {
        return members.get(0).v();
    }

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
        int p = members.get(0).params().length;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(members.size() * (p * 16 + 256) + 4096);
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
            out.writeInt(members.size());
            FeaturesSection.write(out, features, model.input());
            for (Member member : members) {
                MemberSection.write(out, member);
            }
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
            int n = version < 5 ? 1 : Binary.field(in, name, "member count", 1, TrainingConfig.MAX_ENSEMBLE);
            Features features = version == 1 ? Features.identity()
                    : FeaturesSection.read(in, sizes.input(), name, version);
            ModelConfig model;
            Architecture arch;
            try {
                model = new ModelConfig(sizes.input(), sizes.hidden(), sizes.latent(), likelihood, scaling,
                        Init.KERAS);
                arch = Architecture.of(model, features.layout());
            } catch (SimdvaeException e) {
                throw new SimdvaeException(name + " is damaged: " + e.getMessage());
            }
            int count = arch.parameterCount();
            List<Member> members = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                members.add(MemberSection.read(in, version, count, k == n - 1, name));
            }
            TrainingConfig training;
            try {
                training = new TrainingConfig(seed, lr, beta1, beta2, epsilon, batch, epochs, beta, warmup, split,
                        members.get(0).stopping().patience(), n);
            } catch (SimdvaeException e) {
                throw new SimdvaeException(name + " is damaged: " + e.getMessage());
            }
            return new Checkpoint(model, training, features, List.copyOf(members));
        } catch (BufferUnderflowException e) {
            throw new SimdvaeException(name + " is damaged: it ends too early");
        }
    }
}
