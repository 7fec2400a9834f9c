package org.mrw.core.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Models;
import org.mrw.core.model.Variant;
import org.mrw.core.model.eval.Evaluator;

/**
 * Writes {@code models/zoo.json} from the files {@code models/build} produced: each file is loaded in
 * its runtime and measured on the bundled test split, and a descriptor is written beside it.
 *
 * <p>Layout it expects, per architecture folder {@code <arch>/}: {@code <arch>.graph.json},
 * {@code <arch>.python.json}, and any of {@code <arch>_{float,int8}.{pt,ptl,tflite}},
 * {@code <arch>_float.onnx}, {@code <arch>_float_savedmodel/}.
 */
public final class ZooManifestBuilder {

    /** The study's family each zoo architecture mirrors. */
    private static final Map<String, String> FAMILIES = Map.of(
            "mobilenetv2", "MobileNetV2", "resnet", "ResNet", "inception", "Inception");

    private static final List<String> FILES = List.of(
            "_float.pt", "_int8.pt", "_float.ptl", "_int8.ptl", "_float_savedmodel", "_float.tflite", "_int8.tflite",
            "_float.onnx");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ZooManifestBuilder() {
    }

    /** Builds the manifest for every architecture folder under {@code modelsDir}, writes descriptors, returns it. */
    public static ZooManifest build(Path modelsDir, Consumer<String> progress) {
        Dataset data = Datasets.fashionMnistTest();
        InputSpec nchw = InputSpec.plain(InputSpec.Layout.NCHW, 1, 28, 28, data.classNames());
        List<ZooManifest.Architecture> architectures = new ArrayList<>();
        List<ZooManifest.Entry> entries = new ArrayList<>();
        Map<String, Object> recipe = new LinkedHashMap<>();
        for (String arch : FAMILIES.keySet().stream().sorted().toList()) {
            Path dir = modelsDir.resolve(arch);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            JsonNode python = readJson(dir.resolve(arch + ".python.json"));
            JsonNode graph = readJson(dir.resolve(arch + ".graph.json"));
            recipe.putIfAbsent("seed", python.path("seed").asLong());
            recipe.putIfAbsent("torch", python.path("torch").asText());
            recipe.putIfAbsent("epochs", python.path("epochs").asInt());
            architectures.add(new ZooManifest.Architecture(arch, FAMILIES.get(arch), arch + "/" + arch + ".graph.json",
                    python.path("parameters").asLong(), python.path("referenceAttacks")));
            JsonNode cal = graph.path("calibration");
            String calibration = cal.path("count").asInt() + " images of the " + cal.path("split").asText()
                    + " split drawn with seed " + cal.path("seed").asLong() + " (disjoint from the test split)";
            for (String suffix : FILES) {
                Path file = dir.resolve(arch + suffix);
                if (!Files.exists(file)) {
                    continue;
                }
                progress.accept("measuring " + modelsDir.relativize(file));
                entries.add(entry(modelsDir, arch, file, suffix, nchw, data, calibration));
            }
        }
        ZooManifest.Dataset dataset = new ZooManifest.Dataset(data.name(), data.size(), null);
        return new ZooManifest(ZooManifest.FORMAT, dataset, recipe, architectures, entries);
    }

    private static ZooManifest.Entry entry(Path modelsDir, String arch, Path file, String suffix, InputSpec nchw,
                                           Dataset data, String calibration) {
        boolean torch = suffix.endsWith(".pt") || suffix.endsWith(".ptl");
        InputSpec descriptor = torch ? nchw : null;
        try (Classifier model = Models.load(file, descriptor, nchw)) {
            InputSpec spec = model.input().classNames().isEmpty() ? model.input().withClassNames(data.classNames()) : model.input();
            spec = spec.withVariant(model.info().variant());
            spec.write(InputSpec.besideModel(file));
            double accuracy = Evaluator.evaluate(model, data, data.size(), 250).accuracy();
            ZooManifest.Quantization quantization = model.info().variant() != Variant.INT8 ? null
                    : new ZooManifest.Quantization(suffix.endsWith(".tflite")
                            ? "full-integer int8 (int8 input and output), per-channel convolution weights, "
                                    + "activation ranges from min/max over the calibration images, written by TfliteModelWriter"
                            : "static post-training quantization (torch.fx), qnnpack, per-tensor affine activations, "
                                    + "per-channel weights", calibration);
            String variant = model.info().variant().name().toLowerCase(Locale.ROOT);
            String kind = suffix.endsWith("_savedmodel") ? "savedmodel" : suffix.substring(suffix.lastIndexOf('.') + 1);
            return new ZooManifest.Entry(arch + "_" + variant + "_" + kind, arch, model.info().framework().displayName(),
                    model.info().runtime().displayName(), variant, model.info().format().displayName(),
                    modelsDir.relativize(file).toString().replace('\\', '/'), Checksums.sha256(file), Checksums.size(file),
                    spec, quantization, accuracy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the descriptor beside " + file, e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (written by models/recipe/train_export.py): "
                    + e.getMessage(), e);
        }
    }
}
