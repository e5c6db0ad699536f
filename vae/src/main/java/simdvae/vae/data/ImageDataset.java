package simdvae.vae.data;

import java.nio.file.Path;
import simdvae.core.SimdvaeException;

/**
 * Images as unsigned bytes (one byte a pixel, as in the IDX files) with labels; converted to floats in [0, 1] a
 * row at a time, so 60,000 images take 47 MB, not 188.
 */
public final class ImageDataset implements Dataset {
    private final byte[] pixels;
    private final byte[] labels;
    private final int count;
    private final int features;
    private final int rows;
    private final int cols;

    /**
     * Images in memory, as IDX files hold them (not copied).
     *
     * @param pixels count·rows·cols bytes, image after image
     * @param labels a byte per image
     * @param count  images
     * @param rows   pixel rows an image
     * @param cols   pixel columns an image
     */
    public ImageDataset(byte[] pixels, byte[] labels, int count, int rows, int cols) {
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.features = rows * cols;
        if ((long) count * features != pixels.length) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need "
                    + (long) count * features + " bytes, got " + pixels.length);
        }
    }

    /**
     * The standard split {@code split} ("train" or "t10k") from a directory of the four MNIST-format files.
     *
     * @param dir   the directory
     * @param split "train" or "t10k"
     * @return the images and labels
     */
    public static ImageDataset load(Path dir, String split) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new SimdvaeException("data directory " + dir + " does not exist (it should hold the four MNIST-format"
                    + " files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                    + " t10k-labels-idx1-ubyte, gzipped or not)");
        }
        Path images = find(dir, split + "-images-idx3-ubyte");
        Path labelFile = find(dir, split + "-labels-idx1-ubyte");
        Idx.Array img = Idx.read(images, 3);
        Idx.Array lab = Idx.read(labelFile, 1);
        if (img.dims()[0] != lab.dims()[0]) {
            throw new SimdvaeException(images + " holds " + img.dims()[0] + " images but " + labelFile + " holds "
                    + lab.dims()[0] + " labels");
        }
        if (img.dims()[0] == 0) {
            throw new SimdvaeException(images + " holds no images");
        }
        if (img.dims()[1] == 0 || img.dims()[2] == 0) {
            throw new SimdvaeException(images + " has images of size " + img.dims()[1] + "x" + img.dims()[2]);
        }
        for (byte b : lab.data()) {
            if (b < 0 || b > 9) {
                throw new SimdvaeException(labelFile + " holds a label outside 0-9: " + (b & 0xFF));
            }
        }
        return new ImageDataset(img.data(), lab.data(), img.dims()[0], img.dims()[1], img.dims()[2]);
    }

    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (java.nio.file.Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (java.nio.file.Files.isRegularFile(gz)) {
            return gz;
        }
        throw new SimdvaeException("missing data file " + plain + " (or " + gz.getFileName() + ")");
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public int columns() {
        return features;
    }

    /**
     * Image height.
     *
     * @return pixel rows an image
     */
    public int rows() {
        return rows;
    }

    /**
     * Image width.
     *
     * @return pixel columns an image
     */
    public int cols() {
        return cols;
    }

    @Override
    public void copyRow(int i, float[] dst, int off) {
        int base = i * features;
        for (int j = 0; j < features; j++) {
            dst[off + j] = (pixels[base + j] & 0xFF) / 255f;
        }
    }

    @Override
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }

    /**
     * The first {@code n} images (for quick runs and pictures).
     *
     * @param n how many
     * @return the first n images
     */
    public ImageDataset head(int n) {
        int k = Math.min(n, count);
        byte[] p = java.util.Arrays.copyOf(pixels, k * features);
        byte[] l = labels == null ? null : java.util.Arrays.copyOf(labels, k);
        return new ImageDataset(p, l, k, rows, cols);
    }
}
