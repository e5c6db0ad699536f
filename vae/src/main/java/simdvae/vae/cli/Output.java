package simdvae.vae.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import simdvae.vae.ModelFile;
import simdvae.vae.SimdvaeException;

/** Where commands write: never over existing results unless asked. */
final class Output {
    private Output() {
    }

    /** Makes {@code dir} ready for a new run's results: absent or empty, and writable. */
    static Path freshDirectory(Path dir, boolean force) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new SimdvaeException("--out " + dir + " exists and is not a directory");
                }
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent() && !force) {
                        throw new SimdvaeException("output directory " + dir + " already holds results; choose"
                                + " another --out, or add --force to write over them");
                    }
                }
            }
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", "");
            Files.delete(probe);
            return dir;
        } catch (IOException e) {
            throw new SimdvaeException("cannot write to output directory " + dir + ": " + ModelFile.describe(e), e);
        }
    }

    /** Makes sure {@code file} can be written without replacing an existing one (unless {@code force}). */
    static Path newFile(Path file, boolean force) {
        if (Files.exists(file) && !force) {
            throw new SimdvaeException(file + " already exists; choose another --out, or add --force to replace it");
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new SimdvaeException("cannot write to " + parent + ": " + ModelFile.describe(e), e);
        }
        if (!Files.isWritable(parent)) {
            throw new SimdvaeException("cannot write to " + parent + ": permission denied");
        }
        return file;
    }
}
