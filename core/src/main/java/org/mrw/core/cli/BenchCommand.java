package org.mrw.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mrw bench}: throughput benchmarks (medians and ratios). Alone, prints its usage. */
@Command(name = "bench", description = "Measure throughput: medians of repeated runs, and ratios.",
        subcommands = {BenchAttacksCommand.class, BenchStoreCommand.class, BenchAgentCommand.class, CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
