package org.mrw.core.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mrw zoo ...}: the reference model zoo. */
@Command(name = "zoo", description = "The reference model zoo: build its manifest, verify a checkout.",
        subcommands = {ZooManifestCommand.class, ZooVerifyCommand.class, CommandLine.HelpCommand.class})
final class ZooCommand {

    /** The checkout's {@code models/} folder: {@code $MRW_HOME/models} when started by ./mrw, else ./models. */
    static Path defaultModelsDir() {
        String home = System.getenv("MRW_HOME");
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).resolve("models");
    }
}
