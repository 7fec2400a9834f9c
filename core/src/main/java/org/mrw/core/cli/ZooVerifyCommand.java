package org.mrw.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.data.Datasets;
import org.mrw.core.zoo.ZooVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mrw zoo verify}: every manifest entry loads in its runtime, is unchanged and as accurate as recorded. */
@Command(name = "verify", description = "Load every zoo model in its runtime; check sha256 and accuracy against the manifest.")
final class ZooVerifyCommand implements Callable<Integer> {

    @Option(names = "--manifest", paramLabel = "FILE", description = "Manifest (default: models/zoo.json of this checkout).")
    Path manifest;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path file = manifest != null ? manifest : ZooCommand.defaultModelsDir().resolve("zoo.json");
        List<ZooVerifier.Result> results = ZooVerifier.verify(file, Datasets.fashionMnistTest(), r ->
                spec.commandLine().getErr().printf("%-26s %s%n", r.id(), r.ok() ? String.format("ok  %.4f", r.accuracy()) : "FAIL " + r.problem()));
        boolean ok = results.stream().allMatch(ZooVerifier.Result::ok);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (ZooVerifier.Result r : results) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", r.id());
            e.put("ok", r.ok());
            e.put("accuracy", Double.isNaN(r.accuracy()) ? null : r.accuracy());
            e.put("expected", r.expected());
            e.put("sha256Ok", r.sha256Ok());
            if (r.problem() != null) {
                e.put("problem", r.problem());
            }
            entries.add(e);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("entries", entries);
        doc.put("ok", ok);
        output.print(spec.commandLine().getOut(), doc, (ok ? "ok: " : "FAILED: ") + results.stream().filter(ZooVerifier.Result::ok).count()
                + " of " + results.size() + " zoo models verified against " + file);
        return ok ? 0 : 1;
    }
}
