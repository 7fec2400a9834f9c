package org.mrw.core.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.data.Dataset;
import org.mrw.core.device.AgentBundle;
import org.mrw.core.device.DeviceClassifier;
import org.mrw.core.device.DeviceSession;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.eval.Evaluation;
import org.mrw.core.model.eval.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mrw device-eval}: clean accuracy and throughput of a model run by the agent on a device. */
@Command(name = "device-eval", description = "Run a .tflite or .ptl model on a device's agent and measure accuracy and speed.")
final class DeviceEvalCommand implements Callable<Integer> {

    @Option(names = "--device", paramLabel = "SERIAL", defaultValue = "host",
            description = "Device serial from mrw devices (default: host, this computer).")
    String serial;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file: .tflite or .ptl.")
    Path model;

    @Option(names = "--runtime", paramLabel = "R", description = "tflite or pytorch-lite (default: from the file).")
    String runtime;

    @Option(names = "--descriptor", paramLabel = "FILE", description = "Input descriptor JSON (default: FILE.json beside the model).")
    Path descriptor;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Inference threads on the device (default ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    DatasetArgs datasetArgs;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N images.")
    Integer limit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Images per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    DeviceArgs deviceArgs;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive, got " + limit);
        }
        if (batchSize <= 0 || batchSize > 10_000) {
            throw new IllegalArgumentException("--batch-size must be in 1..10000, got " + batchSize);
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("--threads must be in 1..64, got " + threads);
        }
        String fileRuntime = DeviceClassifier.runtimeFor(model);
        if (runtime != null && !runtime.equals(fileRuntime)) {
            throw new IllegalArgumentException(model.getFileName() + " runs in " + fileRuntime + ", not " + runtime
                    + " (--runtime tflite takes .tflite files, pytorch-lite takes .ptl)");
        }
        Dataset data = datasetArgs.open();
        InputSpec given = descriptor == null ? null : InputSpec.read(descriptor);
        AgentBundle bundle = AgentBundle.locate();
        try (DeviceArgs.Selected selected = deviceArgs.open(serial);
             DeviceSession session = DeviceSession.open(selected.device(), bundle, threads);
             DeviceClassifier classifier = session.load(model, given, threads)) {
            int n = limit == null ? data.size() : Math.min(limit, data.size());
            Evaluation e = Evaluator.evaluate(classifier, data, n, batchSize);
            Map<String, Object> doc = EvalCommand.document(classifier, classifier.runtime(), data, e);
            doc.put("device", selected.device().serial());
            doc.put("deviceModel", session.agentInfo().deviceModel());
            doc.put("runtimeVersion", session.agentInfo().runtime(classifier.runtime()).version());
            doc.put("deviceImagesPerSecond", classifier.deviceNanos() == 0 ? null : classifier.images() / (classifier.deviceNanos() / 1e9));
            String text = String.format(Locale.ROOT, "%s (%s on %s) on %s: accuracy %.4f (%d/%d), %.0f images/s",
                    classifier.info().id(), classifier.runtime(), selected.device().serial(), data.name(), e.accuracy(),
                    e.correct(), e.samples(), e.imagesPerSecond());
            output.print(this.spec.commandLine().getOut(), doc, text);
        }
        return 0;
    }
}
