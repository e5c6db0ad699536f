package simdvae.core;

import java.util.Objects;

/**
 * A row-major view of floats: element (i, j) is {@code data[offset + i * stride + j]}. A view owns nothing; several
 * views may share one array (all parameters live in one buffer, for example).
 *
 * @param data   the array viewed
 * @param offset where element (0, 0) is
 * @param rows   the number of rows
 * @param cols   the number of columns
 * @param stride the distance between the starts of two rows, at least {@code cols}
 */
public record FloatMatrix(float[] data, int offset, int rows, int cols, int stride) {
    /** Checks that the view fits in its array. */
    public FloatMatrix {
        checkFits("matrix", data, offset, rows, cols, stride);
    }

    /**
     * The one check that a row-major matrix fits in its array, for every kernel's arguments and every view: sizes
     * not negative, rows at least {@code cols} apart, and the last element inside the array.
     *
     * @param name   what the matrix is, for the message
     * @param data   the array
     * @param offset where element (0, 0) is
     * @param rows   the number of rows
     * @param cols   the number of columns
     * @param stride the row stride
     * @throws NullPointerException     when data is null
     * @throws IllegalArgumentException naming the matrix, its shape and the array's length, when it does not fit
     */
    public static void checkFits(String name, float[] data, int offset, int rows, int cols, int stride) {
        Objects.requireNonNull(data, name);
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + " has a negative size: " + rows + "x" + cols);
        }
        if (rows > 0 && cols > 0
                && (offset < 0 || stride < cols || (long) offset + (long) (rows - 1) * stride + cols > data.length)) {
            throw new IllegalArgumentException(name + " (" + rows + "x" + cols + ", offset " + offset + ", stride "
                    + stride + ") does not fit in an array of " + data.length);
        }
    }

    /**
     * A dense matrix over a new array.
     *
     * @param rows the number of rows
     * @param cols the number of columns
     * @return a rows×cols matrix of zeros
     */
    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(new float[Math.multiplyExact(rows, cols)], 0, rows, cols, cols);
    }

    /**
     * A dense view (stride = cols).
     *
     * @param data   the array viewed
     * @param offset where element (0, 0) is
     * @param rows   the number of rows
     * @param cols   the number of columns
     * @return the view
     */
    public static FloatMatrix of(float[] data, int offset, int rows, int cols) {
        return new FloatMatrix(data, offset, rows, cols, cols);
    }

    /**
     * Where an element is.
     *
     * @param i the row
     * @param j the column
     * @return its index in {@link #data()}
     */
    public int index(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return offset + i * stride + j;
    }

    /**
     * An element.
     *
     * @param i the row
     * @param j the column
     * @return its value
     */
    public float get(int i, int j) {
        return data[index(i, j)];
    }

    /**
     * Sets an element.
     *
     * @param i     the row
     * @param j     the column
     * @param value its new value
     */
    public void set(int i, int j, float value) {
        data[index(i, j)] = value;
    }

    /**
     * Some rows as a view.
     *
     * @param from  the first row
     * @param count how many
     * @return rows {@code [from, from + count)}
     */
    public FloatMatrix rows(int from, int count) {
        Objects.checkFromIndexSize(from, count, rows);
        return new FloatMatrix(data, offset + from * stride, count, cols, stride);
    }

    /**
     * The number of elements.
     *
     * @return rows × cols
     */
    public long size() {
        return (long) rows * cols;
    }
}
