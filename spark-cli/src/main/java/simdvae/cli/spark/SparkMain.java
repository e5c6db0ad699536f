package simdvae.cli.spark;

import picocli.CommandLine.Command;
import picocli.CommandLine;
import simdvae.cli.CommandRoot;
import simdvae.cli.Main;

/**
 * {@code simdvae spark train|score}: the VAE on Apache Spark. Bad input ends with one line on stderr
 * ({@code simdvae spark: …}) and exit code 1 (2 for unknown or malformed options); {@code --debug} adds the stack
 * trace.
 */
@Command(name = "simdvae spark", mixinStandardHelpOptions = true, version = "simdvae 0.1.0",
        description = "Train (deterministic data-parallel) and score with a VAE on Apache Spark.",
        subcommands = {SparkTrainCommand.class, SparkScoreCommand.class, SparkBenchCommand.class,
            CommandLine.HelpCommand.class})
public final class SparkMain extends CommandRoot {
    /** A command line (picocli makes it). */
    public SparkMain() {
    }

    /**
     * The launcher's entry point: runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns the exit code (tests call this).
     *
     * @param args the command line
     * @return 0 on success, 1 for bad input, 2 for a bad command line
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SparkMain());
        return Main.oneLineErrors(cli, "simdvae spark", "SIMDVAE_JAVA_OPTS=-Xmx16g ./simdvae spark ...",
                SparkMain::outOfMemory, args).execute(args);
    }

    /** Whether the JVM, or a Spark task (which reports it only in a message), ran out of memory. */
    private static boolean outOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains("OutOfMemoryError")) {
                return true;
            }
        }
        return Main.outOfMemory(t);
    }
}
