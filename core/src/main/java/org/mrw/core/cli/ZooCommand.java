package org.mrw.core.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mrw zoo}: the reference model zoo's commands. Alone, prints its usage. */
@Command(name = "zoo", description = "Build and check the reference model zoo.",
        subcommands = {ZooExportCommand.class, ZooManifestCommand.class, ZooVerifyCommand.class, CommandLine.HelpCommand.class})
final class ZooCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The checkout's {@code models/} folder: {@code $MRW_HOME/models} when started by ./mrw, else ./models. */
    static Path defaultModelsDir() {
        return org.mrw.core.zoo.ZooManifest.defaultDir();
    }
}
