package org.mrw.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mrw zoo}: the reference model zoo's commands (export; verify joins later). Alone, prints its usage. */
@Command(name = "zoo", description = "Build and check the reference model zoo.",
        subcommands = {ZooExportCommand.class, CommandLine.HelpCommand.class})
final class ZooCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
