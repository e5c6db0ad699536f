package simdvae.vae.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The command line: {@code simdvae train|score|sample|encode|reconstruct|export|fetch}. Bad input ends with one line on stderr
 * ({@code simdvae: …}) and exit code 1 (2 for unknown or malformed options); {@code --debug} adds the stack trace.
 */
@Command(name = "simdvae", mixinStandardHelpOptions = true, version = "simdvae 0.1.0",
        description = "Train and use a variational autoencoder on hand-vectorized SIMD kernels (Java Vector API).",
        subcommands = {TrainCommand.class, ScoreCommand.class, SampleCommand.class, EncodeCommand.class,
            ReconstructCommand.class, ExportCommand.class,
            FetchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** A command line (picocli makes it). */
    public Main() {
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
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: train, score, sample,"
                + " encode, reconstruct, export or fetch (see --help)");
    }

    /**
     * The launcher's entry point: runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code;
        try {
            code = run(args);
        } catch (OutOfMemoryError e) {
            // An Error, so picocli passes it through; the launcher's heap is sized for Fashion-MNIST-sized data.
            System.err.println("simdvae: out of memory (" + e.getMessage() + "): give the JVM a larger heap, e.g."
                    + " SIMDVAE_JAVA_OPTS='-Xmx2g -XX:+UseSerialGC' ./simdvae ...");
            code = 1;
        }
        System.exit(code);
    }

    /**
     * Runs the command line and returns the exit code (no {@code System.exit}: tests call this).
     *
     * @param args the command line
     * @return 0 on success, 1 for bad input, 2 for a bad command line
     */
    public static int run(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("simdvae: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            if (debug) {
                ex.printStackTrace(err);
            }
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter err = c.getErr();
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            boolean expected = ex instanceof simdvae.vae.SimdvaeException || ex instanceof IllegalArgumentException;
            err.println("simdvae: " + (expected ? message : "internal error: " + ex + " (please report it; --debug"
                    + " shows where)"));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }
}
