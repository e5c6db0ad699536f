package simdvae.vae.internal.io;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.Scaling;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;

/**
 * The fitted features as model files (from version 3) and checkpoints store them: int32 scaling code; a byte 1 and a
 * table model's columns, or a byte 0; unless no scaling, per column float64 offset and factor; for a table model, per
 * column float32 missing input; int32 number of column names (−1: none), each an int32 byte count and UTF-8; a byte
 * 1 and the label column's name likewise, or a byte 0. The columns: int32 count, int32 the numeric columns'
 * likelihood code, per column a byte kind code, a byte "had missing cells" and, if categorical, int32 level count and
 * the levels as strings. Versions 1 and 2 had no columns byte.
 */
final class FeaturesSection {
    private FeaturesSection() {
    }

    static void write(DataOutputStream out, Features f, int plainColumns) throws IOException {
        out.writeInt(Codes.of(f.scaling()));
        Schema columns = f.schema();
        out.writeBoolean(columns != null);
        if (columns != null) {
            writeColumns(out, columns);
        }
        int n = columns != null ? columns.count() : plainColumns;
        if (f.scaling() != Scaling.NONE) {
            for (int j = 0; j < n; j++) {
                out.writeDouble(f.offset(j));
                out.writeDouble(f.factor(j));
            }
        }
        if (columns != null) {
            for (int j = 0; j < n; j++) {
                out.writeFloat(f.missingInput(j));
            }
        }
        List<String> names = f.names();
        out.writeInt(names == null ? -1 : names.size());
        if (names != null) {
            for (String s : names) {
                Binary.writeString(out, s);
            }
        }
        out.writeBoolean(f.label() != null);
        if (f.label() != null) {
            Binary.writeString(out, f.label());
        }
    }

    /** Reads what {@link #write} wrote (a file of {@code version} ≥ 3 has the columns byte). */
    static Features read(ByteBuffer in, int plainColumns, String file, int version) {
        Scaling scaling = Codes.scaling(in.getInt(), file);
        if (scaling == Scaling.AUTO) {
            throw new SimdvaeException(file + " is damaged: its features have no fitted scaling");
        }
        Schema columns = version >= 3 && in.get() != 0 ? readColumns(in, file) : null;
        int n = columns != null ? columns.count() : plainColumns;
        double[] offset = null;
        double[] factor = null;
        if (scaling != Scaling.NONE) {
            if (in.remaining() < 16L * n) {
                throw new SimdvaeException(file + " is truncated: it ends inside its scaling");
            }
            offset = new double[n];
            factor = new double[n];
            for (int j = 0; j < n; j++) {
                offset[j] = in.getDouble();
                factor[j] = in.getDouble();
                if (!Double.isFinite(offset[j]) || !Double.isFinite(factor[j]) || factor[j] <= 0) {
                    throw new SimdvaeException(file + " is damaged: the scaling of feature " + j + " is invalid");
                }
            }
        }
        float[] missingInput = null;
        if (columns != null) {
            missingInput = new float[n];
            for (int j = 0; j < n; j++) {
                missingInput[j] = in.getFloat();
            }
        }
        int count = in.getInt();
        if (count != -1 && count != n) {
            throw new SimdvaeException(file + " is damaged: " + count + " column names for " + n + " columns");
        }
        List<String> names = null;
        if (count == n) {
            names = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                names.add(Binary.readString(in, file));
            }
        }
        String label = in.get() != 0 ? Binary.readString(in, file) : null;
        return Features.of(names, label, scaling, offset, factor, List.of(), columns, missingInput);
    }

    private static void writeColumns(DataOutputStream out, Schema c) throws IOException {
        out.writeInt(c.count());
        out.writeInt(Codes.of(c.numericLikelihood()));
        for (int j = 0; j < c.count(); j++) {
            out.writeByte(Codes.of(c.kind(j)));
            out.writeBoolean(c.hadMissing(j));
            if (c.kind(j) == Dataset.Kind.CATEGORICAL) {
                List<String> l = c.levels(j);
                out.writeInt(l.size());
                for (String s : l) {
                    Binary.writeString(out, s);
                }
            }
        }
    }

    private static Schema readColumns(ByteBuffer in, String file) {
        int n = in.getInt();
        if (n < 1 || n > in.remaining()) {
            throw new SimdvaeException(file + " is damaged: " + n + " table columns");
        }
        Likelihood numeric = Codes.likelihood(in.getInt(), file);
        Dataset.Kind[] kinds = new Dataset.Kind[n];
        boolean[] missing = new boolean[n];
        List<List<String>> levels = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            kinds[j] = Codes.kind(in.get(), file);
            missing[j] = in.get() != 0;
            List<String> l = null;
            if (kinds[j] == Dataset.Kind.CATEGORICAL) {
                int k = in.getInt();
                if (k < 2 || k > in.remaining()) {
                    throw new SimdvaeException(file + " is damaged: " + k + " levels in column " + j);
                }
                l = new ArrayList<>();
                for (int q = 0; q < k; q++) {
                    l.add(Binary.readString(in, file));
                }
            }
            levels.add(l);
        }
        return new Schema(kinds, levels, missing, numeric);
    }
}
