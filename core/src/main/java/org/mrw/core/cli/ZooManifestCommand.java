package org.mrw.core.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.zoo.ZooManifest;
import org.mrw.core.zoo.ZooManifestBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mrw zoo manifest}: measure every zoo file and write {@code models/zoo.json} (the last step of models/build). */
@Command(name = "manifest", description = "Measure every zoo file in its runtime and write zoo.json and the descriptors.")
final class ZooManifestCommand implements Callable<Integer> {

    @Option(names = "--models", paramLabel = "DIR", description = "The zoo folder (default: models/ of this checkout).")
    Path models;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path dir = models != null ? models : ZooCommand.defaultModelsDir();
        ZooManifest manifest = ZooManifestBuilder.build(dir, line -> spec.commandLine().getErr().println(line));
        Path file = dir.resolve("zoo.json");
        manifest.write(file);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("manifest", file.toString());
        doc.put("entries", manifest.entries().size());
        output.print(spec.commandLine().getOut(), doc, "wrote " + file + " (" + manifest.entries().size() + " entries)");
        return 0;
    }
}
