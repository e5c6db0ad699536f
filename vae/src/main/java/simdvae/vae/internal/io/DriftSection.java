package simdvae.vae.internal.io;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.decide.Bins;
import simdvae.vae.decide.ColumnReference;
import simdvae.vae.decide.DriftReference;
import simdvae.vae.decide.ScoreDistribution;

/**
 * A reference's drift summaries as model files (from version 5) store them, after its scores: int32 column count, a
 * byte "nats kept", then per column a byte categorical, int64 missing count, and either int32 level count and that
 * many int64 counts, or the value bins (int32 cut count C, C float32 cuts, C + 1 int64 counts); then, with nats, the
 * nats bins likewise. Sizes are checked before anything is allocated.
 */
final class DriftSection {
    private static final int MAX_COLUMNS = 1 << 20;
    private static final int MAX_CELLS = 1 << 20;

    private DriftSection() {
    }

    static void write(DataOutputStream out, DriftReference r) throws IOException {
        out.writeInt(r.columns());
        out.writeBoolean(r.keepsNats());
        for (int j = 0; j < r.columns(); j++) {
            ColumnReference c = r.column(j);
            out.writeBoolean(c.categorical());
            out.writeLong(c.missing());
            if (c.categorical()) {
                long[] counts = c.levelCounts();
                out.writeInt(counts.length);
                for (long x : counts) {
                    out.writeLong(x);
                }
            } else {
                writeBins(out, c.values());
            }
            if (r.keepsNats()) {
                writeBins(out, c.nats());
            }
        }
    }

    static DriftReference read(ByteBuffer in, ScoreDistribution scores, String file) {
        int c = in.getInt();
        if (c < 0 || c > MAX_COLUMNS || c > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: a drift reference of " + c + " columns");
        }
        boolean nats = in.get() != 0;
        List<ColumnReference> columns = new ArrayList<>();
        try {
            readColumns(in, c, nats, columns, file);
            return DriftReference.of(scores, columns);
        } catch (IllegalArgumentException e) {
            throw new SimdvaeException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static void readColumns(ByteBuffer in, int c, boolean nats, List<ColumnReference> columns, String file) {
        for (int j = 0; j < c; j++) {
            boolean categorical = in.get() != 0;
            long missing = in.getLong();
            if (categorical) {
                long[] counts = new long[size(in, in.getInt(), 8, file)];
                for (int l = 0; l < counts.length; l++) {
                    counts[l] = in.getLong();
                }
                columns.add(ColumnReference.ofCategorical(counts, missing, nats ? readBins(in, file) : null));
            } else {
                Bins values = readBins(in, file);
                columns.add(ColumnReference.ofNumeric(values, missing, nats ? readBins(in, file) : null));
            }
        }
    }

    private static void writeBins(DataOutputStream out, Bins bins) throws IOException {
        float[] cuts = bins.cuts();
        long[] counts = bins.counts();
        out.writeInt(cuts.length);
        for (float x : cuts) {
            out.writeFloat(x);
        }
        for (long x : counts) {
            out.writeLong(x);
        }
    }

    private static Bins readBins(ByteBuffer in, String file) {
        float[] cuts = new float[size(in, in.getInt() + 1, 12, file) - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = in.getFloat();
        }
        long[] counts = new long[cuts.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = in.getLong();
        }
        return Bins.of(cuts, counts);
    }

    /** A count of cells of {@code bytes} each, checked against the limit and what is left. */
    private static int size(ByteBuffer in, int n, int bytes, String file) {
        if (n < 1 || n > MAX_CELLS || (long) n * bytes > in.remaining() + bytes) {
            throw new SimdvaeException(file + " is damaged: a drift reference column of " + n + " cells");
        }
        return n;
    }
}
