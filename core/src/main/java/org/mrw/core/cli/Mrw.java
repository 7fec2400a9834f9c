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
        subcommands = {InfoCommand.class, EvalCommand.class, AttackCommand.class, RunCommand.class, MergeCommand.class, ReportCommand.class, BenchCommand.class, ZooCommand.class,
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
        cli.setOut(out);
        cli.setErr(err);
        ErrorReporter errors = new ErrorReporter();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli.execute(args);
    }
}
