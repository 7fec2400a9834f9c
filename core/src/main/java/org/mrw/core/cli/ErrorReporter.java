package org.mrw.core.cli;

import java.io.UncheckedIOException;
import java.util.Map;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one clear line (or a JSON {@code {"error": ...}} with {@code --json}) and an exit
 * code: 2 for bad input the user can fix, 1 for anything unexpected (with its stack trace on stderr).
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    static final int BAD_INPUT = 2;
    static final int INTERNAL = 1;

    /** A command line that does not parse: usage on stderr, and the JSON error when --json was asked for. */
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        if (java.util.Arrays.asList(args).contains("--json")) {
            cmd.getOut().println(JsonOutput.toJson(Map.of("error", ex.getMessage())));
            cmd.getOut().flush();
        }
        cmd.getErr().println("error: " + ex.getMessage());
        cmd.usage(cmd.getErr());
        cmd.getErr().flush();
        return BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        boolean userError = ex instanceof IllegalArgumentException || ex instanceof ModelLoadException
                || ex instanceof StoreException || ex instanceof org.mrw.core.cluster.SlurmException
                || ex instanceof UncheckedIOException || ex instanceof java.io.IOException;
        String message = ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage();
        // --json may sit on a nested subcommand (mrw bench store --json): look along the whole chain.
        boolean json = false;
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            json |= p.hasMatchedOption("--json");
        }
        if (json) {
            cmd.getOut().println(JsonOutput.toJson(Map.of("error", message)));
            cmd.getOut().flush();
        }
        cmd.getErr().println("error: " + message);
        if (!userError) {
            ex.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return userError ? BAD_INPUT : INTERNAL;
    }
}
