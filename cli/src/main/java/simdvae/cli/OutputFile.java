package simdvae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;

/** {@code --out FILE} and {@code --force}: the file a command writes, never replaced unless asked. */
public final class OutputFile {
    @Option(names = "--out", paramLabel = "FILE", description = "The file to write (its default is in the command's"
            + " description).")
    Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    /** Options are filled in by picocli. */
    public OutputFile() {
    }

    /**
     * The file to write, {@code --out} or {@code defaultName}, checked: writable, and not there unless --force.
     *
     * @param defaultName the command's default
     * @return the file
     */
    public Path path(String defaultName) {
        return Output.newFile(out != null ? out : Path.of(defaultName), force);
    }

    /**
     * {@code --out} where a command has no default (a Spark output folder), unchecked: the writer checks it.
     *
     * @return the path
     * @throws SimdvaeException when --out was not given
     */
    public Path required() {
        if (out == null) {
            throw new SimdvaeException("--out is required: where to write");
        }
        return out;
    }

    /**
     * Whether an existing output may be replaced.
     *
     * @return the --force flag
     */
    public boolean force() {
        return force;
    }
}
