package org.mrw.core.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.data.Dataset;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Models;
import org.mrw.core.model.eval.Evaluation;
import org.mrw.core.model.eval.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mrw eval}: clean accuracy and throughput of one model on a dataset. */
@Command(name = "eval", description = "Measure a model's clean accuracy and throughput on a dataset.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Model file (.pt, .ptl, .tflite, .onnx) or SavedModel folder.")
    Path model;

    @Option(names = "--descriptor", paramLabel = "FILE",
            description = "Input descriptor JSON (default: FILE.json beside the model, else inferred).")
    Path descriptor;

    @Mixin
    DatasetArgs datasetArgs;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N images.")
    Integer limit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Images per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    /** The eval document: what ran, on which data, accuracy and throughput (device-eval adds its device). */
    static Map<String, Object> document(Classifier classifier, String runtime, Dataset data, Evaluation e) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", classifier.info().id());
        doc.put("file", classifier.info().file().toString());
        doc.put("format", classifier.info().format().displayName());
        doc.put("runtime", runtime);
        doc.put("variant", classifier.info().variant().name().toLowerCase(java.util.Locale.ROOT));
        doc.put("dataset", data.name());
        doc.put("samples", e.samples());
        doc.put("correct", e.correct());
        doc.put("accuracy", e.accuracy());
        doc.put("imagesPerSecond", e.imagesPerSecond());
        return doc;
    }

    @Override
    public Integer call() {
        if (limit != null && limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive, got " + limit);
        }
        if (batchSize <= 0 || batchSize > 100_000) {
            throw new IllegalArgumentException("--batch-size must be in 1..100000, got " + batchSize);
        }
        Models.detect(model); // a wrong path fails before the dataset is read
        Dataset data = datasetArgs.open();
        InputSpec spec = descriptor == null ? null : InputSpec.read(descriptor);
        // TorchScript records no input shape: without a descriptor, assume plain [0,1] input shaped like the data.
        InputSpec fallback = InputSpec.plain(InputSpec.Layout.NCHW, data.channels(), data.height(), data.width(), data.classNames());
        try (Classifier classifier = Models.load(model, spec, fallback)) {
            int n = limit == null ? data.size() : Math.min(limit, data.size());
            Evaluation e = Evaluator.evaluate(classifier, data, n, batchSize);
            Map<String, Object> doc = document(classifier, classifier.info().runtime().displayName(), data, e);
            String text = String.format("%s (%s, %s, %s) on %s: accuracy %.4f (%d/%d), %.0f images/s",
                    classifier.info().id(), classifier.info().format().displayName(), classifier.info().runtime().displayName(),
                    doc.get("variant"), data.name(), e.accuracy(), e.correct(), e.samples(), e.imagesPerSecond());
            output.print(this.spec.commandLine().getOut(), doc, text);
        }
        return 0;
    }
}
