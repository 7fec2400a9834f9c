package org.mrw.core.zoo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mrw.core.model.InputSpec;

/**
 * {@code models/zoo.json}: every file of the reference model zoo with what it is, its checksum, its
 * input descriptor, how it was quantized and calibrated, and its clean accuracy on the bundled test
 * split as measured by the workbench. {@code mrw zoo verify} checks a checkout against it.
 *
 * @param format          {@code mrw-zoo/1}
 * @param dataset         what the accuracies were measured on
 * @param recipe          how {@code models/build} made the files (seed, versions, run time)
 * @param architectures   per architecture: family, graph file, PyTorch's own reference attack results
 * @param entries         one per model file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ZooManifest(String format, Dataset dataset, Map<String, Object> recipe,
                          List<Architecture> architectures, List<Entry> entries) {

    public static final String FORMAT = "mrw-zoo/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The evaluation data: name, number of images, sha256 of the images file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dataset(String name, int samples, String imagesSha256) {
    }

    /**
     * One architecture of the zoo.
     *
     * @param id               e.g. {@code resnet}
     * @param family           the study's family it mirrors (MobileNetV2, ResNet, Inception)
     * @param graph            the folded graph every format was generated from, relative to the manifest
     * @param parameters       trainable parameters
     * @param referenceAttacks FGSM/PGD accuracies computed by PyTorch itself (Step 3 must match them)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Architecture(String id, String family, String graph, long parameters, JsonNode referenceAttacks) {
    }

    /**
     * One model file.
     *
     * @param id           unique, e.g. {@code resnet_int8_tflite}
     * @param architecture architecture id
     * @param framework    TensorFlow, PyTorch or ONNX
     * @param runtime      the runtime that runs it (PyTorch, PyTorch Mobile, TensorFlow, TensorFlow Lite, ONNX Runtime)
     * @param variant      float or int8
     * @param format       on-disk format
     * @param path         relative to the manifest
     * @param sha256       of the file (of {@code saved_model.pb} + variables for a SavedModel folder, see {@link Checksums})
     * @param bytes        size on disk
     * @param input        input descriptor
     * @param quantization scheme and calibration set, for int8 files
     * @param accuracy     clean accuracy on {@link #dataset()} as measured by the workbench
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String id, String architecture, String framework, String runtime, String variant, String format,
                        String path, String sha256, long bytes, InputSpec input, Quantization quantization, double accuracy) {
    }

    /**
     * How an int8 file was made.
     *
     * @param scheme      e.g. "static post-training, qnnpack, per-channel weights"
     * @param calibration e.g. "2000 Fashion-MNIST training images (seed 20211), disjoint from the test split"
     */
    public record Quantization(String scheme, String calibration) {
    }

    /**
     * The reference zoo's folder: {@code <home>/models} where home is {@code -Dmrw.home} (set by the installed
     * launchers) or {@code $MRW_HOME} (set by ./mrw), else {@code ./models}, else {@code ../models} (a module
     * folder of the checkout, as in tests), else {@code ./models}.
     */
    public static Path defaultDir() {
        String home = System.getProperty("mrw.home", System.getenv("MRW_HOME"));
        if (home != null && !home.isBlank()) {
            return Path.of(home).resolve("models");
        }
        for (Path p : new Path[] {Path.of("models"), Path.of("..", "models")}) {
            if (java.nio.file.Files.isRegularFile(p.resolve("zoo.json"))) {
                return p;
            }
        }
        return Path.of("models");
    }

    /** Reads a manifest, naming the file when it is not one. */
    public static ZooManifest read(Path file) {
        try {
            ZooManifest m = JSON.readValue(file.toFile(), ZooManifest.class);
            if (!FORMAT.equals(m.format())) {
                throw new IllegalArgumentException("Cannot read zoo manifest " + file + ": expected format " + FORMAT
                        + ", found " + m.format());
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read zoo manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes this manifest as indented JSON. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }
}
