package org.mrw.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.bench.AgentBenchmark;
import org.mrw.core.data.Dataset;
import org.mrw.core.device.AgentBundle;
import org.mrw.core.device.DeviceSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mrw bench agent}: the agent's cost over in-process inference, and its round-trip latency. */
@Command(name = "agent", description = "Throughput through the agent vs in-process (same runtime), and one-image round trips.")
final class BenchAgentCommand implements Callable<Integer> {

    @Option(names = "--device", paramLabel = "SERIAL", defaultValue = "host", description = "Device (default: host).")
    String serial;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Model (.tflite or .ptl); repeatable (default: the zoo's ResNet float .tflite and .ptl).")
    List<Path> models = new ArrayList<>();

    @Option(names = "--images", paramLabel = "N", defaultValue = "1000", description = "Test images per run (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Images per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Inference threads, both sides (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed runs; the median is reported (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--single", paramLabel = "N", defaultValue = "300", description = "One-image requests timed for the round trip (default ${DEFAULT-VALUE}).")
    int single;

    @Mixin
    DatasetArgs datasetArgs;

    @Mixin
    DeviceArgs deviceArgs;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (images < 1 || batchSize < 1 || repeats < 1 || single < 1 || threads < 1) {
            throw new IllegalArgumentException("--images, --batch-size, --repeats, --single and --threads must be positive");
        }
        List<Path> files = models;
        if (files.isEmpty()) {
            Path zoo = ZooCommand.defaultModelsDir();
            files = List.of(zoo.resolve("resnet/resnet_float.tflite"), zoo.resolve("resnet/resnet_float.ptl"));
        }
        Dataset data = datasetArgs.open();
        AgentBundle bundle = AgentBundle.locate();
        List<Map<String, Object>> results = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (DeviceArgs.Selected selected = deviceArgs.open(serial);
             DeviceSession session = DeviceSession.open(selected.device(), bundle, threads)) {
            for (Path file : files) {
                AgentBenchmark.Result r = AgentBenchmark.run(session, file, data, images, batchSize, threads, repeats, single);
                results.add(r.json());
                text.append(String.format(Locale.ROOT, "%-24s %-13s in-process %7.0f im/s, agent %7.0f im/s (%.2f×, %s); "
                                + "float32 payloads %.2f× (%.0f KB a batch), palette %.2f× (%.0f KB); "
                                + "1-image round trip p50 %.2f ms (device %.2f ms), same predictions: %s%n",
                        r.model(), r.runtime(), r.inProcessImagesPerSecond(), r.agentImagesPerSecond(), r.ratio(), r.encoding(),
                        r.float32().imagesPerSecond() / r.inProcessImagesPerSecond(), r.float32().requestBytesPerBatch() / 1000,
                        r.palette().imagesPerSecond() / r.inProcessImagesPerSecond(), r.palette().requestBytesPerBatch() / 1000,
                        r.roundTripP50Millis(), r.agentInferP50Millis(), r.samePredictions()));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", selected.device().serial());
            doc.put("deviceModel", session.agentInfo().deviceModel());
            doc.put("repeats", repeats);
            doc.put("results", results);
            output.print(spec.commandLine().getOut(), doc, text.toString().stripTrailing());
        }
        return 0;
    }
}
