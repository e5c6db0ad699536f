package simdvae.spark.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code simdvae spark train|score}: the VAE on Apache Spark. Bad input ends with one line on stderr
 * ({@code simdvae spark: …}) and exit code 1 (2 for unknown or malformed options); {@code --debug} adds the stack
 * trace.
 */
@Command(name = "simdvae spark", mixinStandardHelpOptions = true, version = "simdvae 0.1.0",
        description = "Train (deterministic data-parallel) and score with a VAE on Apache Spark.",
        subcommands = {SparkTrainCommand.class, SparkScoreCommand.class, SparkBenchCommand.class,
            CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
    /** A command line (picocli makes it). */
    public SparkMain() {
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Without a command: says to choose one.
     */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: train, score or bench (see --help)");
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
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("simdvae spark: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            if (debug) {
                ex.printStackTrace(err);
            }
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter err = c.getErr();
            Throwable root = ex;
            while (root.getCause() != null && !(root instanceof simdvae.vae.SimdvaeException
                    || root instanceof IllegalArgumentException)) {
                root = root.getCause();
            }
            boolean expected = root instanceof simdvae.vae.SimdvaeException
                    || root instanceof IllegalArgumentException;
            String message = firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
            if (outOfMemory(ex)) {
                err.println("simdvae spark: out of memory: give the JVM a larger heap, e.g."
                        + " SIMDVAE_JAVA_OPTS=-Xmx16g ./simdvae spark ...");
            } else {
                err.println("simdvae spark: " + (expected ? message : "internal error: " + ex.getClass().getName()
                        + ": " + firstLine(String.valueOf(ex.getMessage()))
                        + " (please report it; --debug shows where)"));
            }
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s);
    }

    /** Whether an OutOfMemoryError caused {@code t}, here or in a task (Spark reports those in its message). */
    private static boolean outOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError || String.valueOf(c.getMessage()).contains("OutOfMemoryError")) {
                return true;
            }
        }
        return false;
    }
}
