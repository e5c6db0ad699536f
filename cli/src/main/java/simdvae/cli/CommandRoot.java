package simdvae.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * What {@code simdvae} and {@code simdvae spark} have in common as the root of a command line: {@code --debug} (read
 * from the arguments by {@link Main#oneLineErrors}), and, without a command, the request to choose one of its commands.
 */
public abstract class CommandRoot implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A command line (picocli makes it). */
    protected CommandRoot() {
    }

    /**
     * Without a command: says to choose one, naming them (the handler of {@link Main#oneLineErrors} adds where the
     * help is).
     */
    @Override
    public final void run() {
        List<String> names = new ArrayList<>(spec.subcommands().keySet());
        names.remove("help");
        String last = names.removeLast();
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: "
                + (names.isEmpty() ? last : String.join(", ", names) + " or " + last));
    }
}
