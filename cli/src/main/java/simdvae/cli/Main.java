package simdvae.cli;

import java.io.PrintWriter;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import simdvae.core.SimdvaeException;

/**
 * The command line: {@code simdvae train|score|explain|drift|calibrate|sample|encode|reconstruct|export|fetch} ({@code
 * bench} and {@code spark} are the launcher's). Bad input ends with one line on stderr ({@code simdvae: …}) and exit
 * code 1 (2 for unknown or malformed options); {@code --debug} adds the stack trace.
 */
@Command(name = "simdvae", mixinStandardHelpOptions = true, version = "simdvae 0.1.0",
        description = "Train and use a variational autoencoder on hand-vectorized SIMD kernels (Java Vector API).",
        subcommands = {TrainCommand.class, ScoreCommand.class, SampleCommand.class, EncodeCommand.class,
            ReconstructCommand.class, ExplainCommand.class, ExportCommand.class, CalibrateCommand.class,
            DriftCommand.class, FetchCommand.class, CommandLine.HelpCommand.class})
public final class Main extends CommandRoot {
    /** A command line (picocli makes it). */
    public Main() {
    }

    /**
     * The launcher's entry point: runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        RunClock.mainStarted();
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
        CommandLine cli = new CommandLine(new Main());
        return oneLineErrors(cli, "simdvae", "SIMDVAE_JAVA_OPTS='-Xmx2g -XX:+UseSerialGC' ./simdvae ...",
                Main::outOfMemory, args).execute(args);
    }

    /**
     * Makes {@code cli} end every failure with one line on stderr, {@code prefix: …}: 2 for a bad command line
     * (naming the help to read), 1 for bad input ({@link SimdvaeException} or {@link IllegalArgumentException},
     * found also as the cause of a wrapper, first line of its message), for running out of memory (with
     * {@code heapHint}) and for anything else (an internal error); {@code --debug} adds the stack trace.
     *
     * @param cli         the command line
     * @param prefix      the program's name, starting each line
     * @param heapHint    how to give the JVM more heap, for out-of-memory failures
     * @param outOfMemory whether a failure means the JVM ran out of memory
     * @param args        the arguments (for {@code --debug})
     * @return {@code cli}
     */
    public static CommandLine oneLineErrors(CommandLine cli, String prefix, String heapHint,
                                            Predicate<Throwable> outOfMemory, String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(prefix + ": " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            if (debug) {
                ex.printStackTrace(err);
            }
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter err = c.getErr();
            Throwable root = ex;
            while (root.getCause() != null && !expected(root)) {
                root = root.getCause();
            }
            if (outOfMemory.test(ex)) {
                err.println(prefix + ": out of memory: give the JVM a larger heap, e.g. " + heapHint);
            } else if (expected(root)) {
                err.println(prefix + ": " + firstLine(root.getMessage() == null ? root.getClass().getSimpleName()
                        : root.getMessage()));
            } else {
                err.println(prefix + ": internal error: " + ex.getClass().getName() + ": "
                        + firstLine(String.valueOf(ex.getMessage())) + " (please report it; --debug shows where)");
            }
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli;
    }

    private static boolean expected(Throwable t) {
        return t instanceof SimdvaeException || t instanceof IllegalArgumentException;
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s);
    }

    /**
     * Whether an OutOfMemoryError caused {@code t}.
     *
     * @param t a failure
     * @return true when one of its causes is an OutOfMemoryError
     */
    public static boolean outOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }
}
