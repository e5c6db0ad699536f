package simdvae.core;

import java.util.Objects;

/**
 * A row-major view of floats: element (i, j) is {@code data[offset + i * stride + j]}. A view owns nothing; several
 * views may share one array (all parameters live in one buffer, for example).
 */
public record FloatMatrix(float[] data, int offset, int rows, int cols, int stride) {
    public FloatMatrix {
        Objects.requireNonNull(data, "data");
        if (rows < 0 || cols < 0 || offset < 0 || stride < cols) {
            throw new IllegalArgumentException("bad matrix shape: offset " + offset + ", " + rows + "x" + cols
                    + ", stride " + stride);
        }
        if (rows > 0 && cols > 0 && (long) offset + (long) (rows - 1) * stride + cols > data.length) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " (offset " + offset + ", stride "
                    + stride + ") does not fit in an array of " + data.length);
        }
    }

    /** A dense rows×cols matrix over a new array. */
    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(new float[Math.multiplyExact(rows, cols)], 0, rows, cols, cols);
    }

    /** A dense view of {@code data} from {@code offset}. */
    public static FloatMatrix of(float[] data, int offset, int rows, int cols) {
        return new FloatMatrix(data, offset, rows, cols, cols);
    }

    public int index(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return offset + i * stride + j;
    }

    public float get(int i, int j) {
        return data[index(i, j)];
    }

    public void set(int i, int j, float value) {
        data[index(i, j)] = value;
    }

    /** Rows {@code [from, from + count)} as a view. */
    public FloatMatrix rows(int from, int count) {
        Objects.checkFromIndexSize(from, count, rows);
        return new FloatMatrix(data, offset + from * stride, count, cols, stride);
    }

    public long size() {
        return (long) rows * cols;
    }
}
