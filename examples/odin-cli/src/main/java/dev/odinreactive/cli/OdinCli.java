package dev.odinreactive.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code odin} command line. Each sub-command is a class of its own in this package,
 * registered in {@link Command#subcommands()} below.
 */
@Command(name = "odin",
        mixinStandardHelpOptions = true,
        version = "odin-reactive 0.1.0-SNAPSHOT",
        description = "Voice rooms on the JVM: keys, tokens, audio tools, server, bots and a demo.",
        subcommands = {CommandLine.HelpCommand.class})
public final class OdinCli {

    /** Exit status for bad input (bad key, bad file, bad option value). */
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** A configured command line, also used by tests to run commands in-process. */
    public static CommandLine newCommandLine() {
        CommandLine cmd = new CommandLine(new OdinCli());
        cmd.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("odin: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try: odin " + ex.getCommandLine().getCommandName() + " --help");
            return EXIT_BAD_INPUT;
        });
        return cmd;
    }
}
