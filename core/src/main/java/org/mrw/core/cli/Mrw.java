package org.mrw.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mrw} command line: the same core the workbench uses, one subcommand per task.
 * This package is the only place that writes to {@code System.out}.
 */
@Command(name = "mrw", mixinStandardHelpOptions = true, versionProvider = MrwVersion.class,
        description = "Mobile Robustness Workbench: adversarial robustness of models on PC and phones.",
        subcommands = {InfoCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public final class Mrw {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Mrw());
        cli.setExecutionExceptionHandler(new ErrorReporter());
        return cli.execute(args);
    }
}
