package simdvae.vae.internal.io;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import simdvae.core.SimdvaeException;
import simdvae.vae.internal.training.EarlyStopping;
import simdvae.vae.internal.training.LastEpoch;
import simdvae.vae.internal.training.Position;

/**
 * One member's part of a checkpoint ({@link Checkpoint.Member}), big-endian: the position (int64 step, int64 skipped
 * steps, int32 epoch, int32 next batch in it, float64 loss sum and int64 samples counted so far in it, int32 data
 * set size, int32 values a row); early stopping (int32 patience, int32 best epoch, float64 best validation loss,
 * int32 epochs since it, byte stopped, byte "best parameters follow"); from version 5 the last epoch finished (int32
 * epoch or −1, float64 train loss, seconds, samples a second and validation loss); int32 parameter count P; P
 * float32 parameters, P m, P v, and P best parameters when they follow. Version 1 has no early-stopping record.
 */
final class MemberSection {
    private MemberSection() {
    }

    static void write(DataOutputStream out, Checkpoint.Member member) throws IOException {
        Checkpoint.writePosition(out, member.position());
        EarlyStopping stopping = member.stopping();
        float[] best = stopping.best();
        out.writeInt(stopping.patience());
        out.writeInt(stopping.bestEpoch());
        out.writeDouble(stopping.bestLoss());
        out.writeInt(stopping.sinceBest());
        out.writeBoolean(stopping.stopped());
        out.writeBoolean(best != null);
        LastEpoch last = member.last();
        out.writeInt(last.epoch());
        out.writeDouble(last.trainLoss());
        out.writeDouble(last.seconds());
        out.writeDouble(last.samplesPerSecond());
        out.writeDouble(last.validationLoss());
        int p = member.params().length;
        out.writeInt(p);
        ByteBuffer floats = ByteBuffer.allocate(p * (best != null ? 16 : 12));
        FloatBuffer f = floats.asFloatBuffer().put(member.params()).put(member.m()).put(member.v());
        if (best != null) {
            f.put(best);
        }
        out.write(floats.array());
    }

    /**
     * Reads a member of {@code count} parameters; {@code last}: whether it is the file's last (nothing may follow).
     */
    static Checkpoint.Member read(ByteBuffer in, int version, int count, boolean last, String name) {
        Position at = Position.of(in.getLong(), in.getLong(), in.getInt(), in.getInt(), in.getDouble(), in.getLong(),
                in.getInt(), in.getInt());
        EarlyStopping stopping = new EarlyStopping();
        boolean bestFollows = false;
        if (version > 1) {
            int patience = in.getInt();
            int bestEpoch = in.getInt();
            double bestLoss = in.getDouble();
            int sinceBest = in.getInt();
            boolean stopped = in.get() != 0;
            bestFollows = in.get() != 0;
            stopping = EarlyStopping.of(patience, bestEpoch, bestLoss, sinceBest, stopped, null);
        }
        LastEpoch lastEpoch = version < 5 ? LastEpoch.NONE
                : new LastEpoch(in.getInt(), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble());
        long floats = (bestFollows ? 16L : 12L) * count;
        if (in.getInt() != count || (last ? in.remaining() != floats : in.remaining() < floats)) {
            throw new SimdvaeException(name + " is damaged: its parameter count does not match its architecture");
        }
        float[] params = new float[count];
        float[] m = new float[count];
        float[] v = new float[count];
        FloatBuffer f = in.asFloatBuffer();
        f.get(params).get(m).get(v);
        if (bestFollows) {
            float[] best = new float[count];
            f.get(best);
            stopping = EarlyStopping.of(stopping.patience(), stopping.bestEpoch(), stopping.bestLoss(),
                    stopping.sinceBest(), stopping.stopped(), best);
        }
        in.position(in.position() + (int) floats);
        return new Checkpoint.Member(at, stopping, lastEpoch, params, m, v);
    }
}
