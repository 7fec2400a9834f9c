package org.mrw.core.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.store.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mrw merge}: combines the workspaces of a sharded run (mrw run --shard i/n) into one. */
@Command(name = "merge", description = "Merge shard workspaces of a run into one workspace (idempotent).")
final class MergeCommand implements Callable<Integer> {

    @Option(names = "--into", required = true, paramLabel = "DIR", description = "The merged workspace (created if missing).")
    Path into;

    @Parameters(arity = "1..*", paramLabel = "SHARD", description = "Shard workspaces.")
    List<Path> shards;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResultsStore.merge(into, shards);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("workspace", into.toAbsolutePath().toString());
        doc.put("shards", shards.stream().map(Path::toString).toList());
        output.print(spec.commandLine().getOut(), doc, "merged " + shards.size() + " workspaces into " + into);
        return 0;
    }
}
