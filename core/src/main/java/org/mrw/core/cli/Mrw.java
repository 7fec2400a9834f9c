package org.mrw.core.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mrw} command line: the same core the workbench uses, one subcommand per task.
 * This package is the only place that writes to {@code System.out}.
 */
@Command(name = "mrw", mixinStandardHelpOptions = true, versionProvider = MrwVersion.class,
        description = "Mobile Robustness Workbench: adversarial robustness of models on PC and phones.",
        subcommands = {InfoCommand.class, EvalCommand.class, AttackCommand.class, RunCommand.class, MergeCommand.class, SlurmCommand.class, ReportCommand.class, BenchCommand.class, ZooCommand.class,
                DevicesCommand.class, DeviceEvalCommand.class, CommandLine.HelpCommand.class})
public final class Mrw {

    public static void main(String[] args) {
        java.util.OptionalInt relaunched = org.mrw.core.engine.OneDnnRelaunch.relaunchIfUncapped(args);
        System.exit(relaunched.isPresent() ? relaunched.getAsInt() : run(args));
    }

    /** Runs a command line on the process's stdout/stderr and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
    }

    /** Runs a command line writing to the given streams (tests capture them) and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Mrw());
        withHelpOption(cli);
        cli.setOut(out);
        cli.setErr(err);
        ErrorReporter errors = new ErrorReporter();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli.execute(args);
    }

    /** Gives every subcommand -h/--help too: users type {@code mrw run --help}, not only {@code mrw help run}. */
    private static void withHelpOption(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().optionsMap().get("--help") == null) {
                sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
                        .usageHelp(true).description("Show this help message and exit.").build());
            }
            withHelpOption(sub);
        }
    }
}
