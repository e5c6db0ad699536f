package simdvae.vae.internal.io;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import simdvae.core.SimdvaeException;
import simdvae.vae.decide.DriftReference;
import simdvae.vae.decide.NeighbourTerm;
import simdvae.vae.decide.ScoreDistribution;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.decide.TypicalValues;

/**
 * A model's reference as model files store it. Version 5: int32 byte count and UTF-8 name of its rows (at most 64
 * bytes), int64 row count, int32 K and K float32 sorted anomaly scores, int32 column count and per column float32
 * lower quartile, median, upper quartile, int32 mode level and float32 its share, then a byte 1 and the drift
 * summaries ({@link DriftSection}), or a byte 0; then (version 7) a byte 1 and a hybrid score's neighbour term
 * (int32 k, int32 width W, int32 kept rows M, float64 ELBO median and spread, float64 distance median and spread,
 * M × W float32 kept rows, row-major), or a byte 0. Version 4 kept two score lists, the negative ELBO with a sampled z
 * and at z = μ, and no drift summaries: its second list is the anomaly score of this version. Every size is checked
 * before anything is allocated.
 */
final class ReferenceSection {
    private static final int MAX_COLUMNS = 1 << 24;

    private ReferenceSection() {
    }

    static void write(DataOutputStream out, ScoreReference r) throws IOException {
        byte[] name = r.source().getBytes(StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        out.writeLong(r.rows());
        float[] kept = r.scores().knots();
        out.writeInt(kept.length);
        for (float v : kept) {
            out.writeFloat(v);
        }
        TypicalValues t = r.typical();
        out.writeInt(t.columns());
        for (int j = 0; j < t.columns(); j++) {
            out.writeFloat(t.lowerQuartile(j));
            out.writeFloat(t.median(j));
            out.writeFloat(t.upperQuartile(j));
            out.writeInt(t.mode(j));
            out.writeFloat(t.modeShare(j));
        }
        out.writeBoolean(r.drift() != null);
        if (r.drift() != null) {
            DriftSection.write(out, r.drift());
        }
        NeighbourTerm nt = r.neighbours();
        out.writeBoolean(nt != null);
        if (nt != null) {
            out.writeInt(nt.k());
            out.writeInt(nt.width());
            out.writeInt(nt.count());
            out.writeDouble(nt.elboCentre());
            out.writeDouble(nt.elboSpread());
            out.writeDouble(nt.distanceCentre());
            out.writeDouble(nt.distanceSpread());
            for (float v : nt.points()) {
                out.writeFloat(v);
            }
        }
    }

    static ScoreReference read(ByteBuffer in, String file, int version) {
        int length = in.getInt();
        if (length < 0 || length > 64 || length > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: a reference source name of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        long rows = in.getLong();
        if (rows < 1) {
            throw new SimdvaeException(file + " is damaged: a reference of " + rows + " rows");
        }
        ScoreDistribution scores = scores(in, rows, file);
        if (version == 4) {
            scores = scores(in, rows, file); // the second list: the negative ELBO at z = μ
        }
        int c = in.getInt();
        if (c < 0 || c > MAX_COLUMNS || 20L * c > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: a reference of " + c + " columns");
        }
        float[] low = new float[c];
        float[] median = new float[c];
        float[] high = new float[c];
        int[] mode = new int[c];
        float[] share = new float[c];
        for (int j = 0; j < c; j++) {
            low[j] = in.getFloat();
            median[j] = in.getFloat();
            high[j] = in.getFloat();
            mode[j] = in.getInt();
            share[j] = in.getFloat();
        }
        DriftReference drift = version >= 5 && in.get() != 0 ? DriftSection.read(in, scores, file) : null;
        NeighbourTerm neighbours = version >= 7 && in.get() != 0 ? neighbours(in, file) : null;
        return new ScoreReference(new String(bytes, StandardCharsets.UTF_8), scores,
                TypicalValues.of(low, median, high, mode, share), drift, neighbours);
    }

    private static NeighbourTerm neighbours(ByteBuffer in, String file) {
        int k = in.getInt();
        int width = in.getInt();
        int count = in.getInt();
        if (k < 1 || width < 1 || count < k || count > NeighbourTerm.MAX_POINTS
                || (long) count * width > NeighbourTerm.MAX_CELLS || 32L + 4L * count * width > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: a neighbour term of k = " + k + " over " + count
                    + " rows of " + width);
        }
        double elboCentre = in.getDouble();
        double elboSpread = in.getDouble();
        double distanceCentre = in.getDouble();
        double distanceSpread = in.getDouble();
        float[] points = new float[count * width];
        for (int i = 0; i < points.length; i++) {
            points[i] = in.getFloat();
        }
        try {
            return new NeighbourTerm(k, width, points, elboCentre, elboSpread, distanceCentre, distanceSpread);
        } catch (IllegalArgumentException e) {
            throw new SimdvaeException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static ScoreDistribution scores(ByteBuffer in, long rows, String file) {
        int count = in.getInt();
        if (count < 1 || count > ScoreDistribution.EXACT + 1 || count > rows || 4L * count > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: a reference of " + count + " scores for " + rows + " rows");
        }
        float[] kept = new float[count];
        for (int i = 0; i < count; i++) {
            kept[i] = in.getFloat();
        }
        try {
            return ScoreDistribution.ofKept(kept, rows);
        } catch (IllegalArgumentException e) {
            throw new SimdvaeException(file + " is damaged: " + e.getMessage(), e);
        }
    }
}
