package org.mrw.core.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mrw.core.engine.EngineInfo;
import org.mrw.core.engine.Engines;
import org.mrw.core.engine.QuantizedEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mrw info}: starts every engine (offline) and reports its version. */
@Command(name = "info", description = "Start every inference engine offline and print its version.")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<EngineInfo> engines = Engines.all();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("engines", engines);
        doc.put("offline", Engines.offline());
        doc.put("java", System.getProperty("java.version"));
        doc.put("oneDnnCap", Engines.oneDnnCap());
        doc.put("quantizedEngine", QuantizedEngine.current());
        String text = engines.stream().map(e -> String.format("%-16s %s", e.name(), e.version()))
                .collect(Collectors.joining(System.lineSeparator()))
                + System.lineSeparator() + "offline: " + Engines.offline()
                + System.lineSeparator() + "oneDNN cap: " + Engines.oneDnnCap()
                + System.lineSeparator() + "PyTorch int8 engine: " + QuantizedEngine.current();
        output.print(spec.commandLine().getOut(), doc, text);
        return 0;
    }
}
