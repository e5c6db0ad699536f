package simdvae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out DIR} and {@code --force}: a run's results folder, never written over unless asked. */
public final class OutputDirectory {
    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default runs/<date-time>).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out.")
    boolean force;

    /** Options are filled in by picocli. */
    public OutputDirectory() {
    }

    /**
     * The run's folder, made ready ({@link Output#runDirectory}).
     *
     * @param prefix the default folder's prefix under runs/ ("" or "spark-")
     * @return the folder
     */
    public Path runDirectory(String prefix) {
        return Output.runDirectory(out, prefix, force);
    }
}
