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
        subcommands = {
                // one line per command, in the order `odin --help` lists them
                KeygenCommand.class,
                TokenCommand.class,
                ApmCommand.class,
                ConvertCommand.class,
                ServerCommand.class,
                JoinCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class OdinCli {

    /** Exit status for bad input (bad key, bad file, bad option value). */
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** A configured command line, also used by tests to run commands in-process. */
    public static CommandLine newCommandLine() {
        CommandLine cmd = new CommandLine(new OdinCli());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        // Bad input found while running (invalid key, bad value): one line, exit 2; never a stack trace.
        cmd.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("odin " + c.getCommandName() + ": " + ex.getMessage());
            c.getErr().flush();
            return ex instanceof IllegalArgumentException ? EXIT_BAD_INPUT : CommandLine.ExitCode.SOFTWARE;
        });
        cmd.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("odin: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try: odin " + ex.getCommandLine().getCommandName() + " --help");
            return EXIT_BAD_INPUT;
        });
        return cmd;
    }
}
