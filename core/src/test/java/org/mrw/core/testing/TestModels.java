package org.mrw.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny models committed under {@code src/test/resources/models} (rebuilt by
 * {@code make_tiny_models.py} with Debian's torch 1.13) and PyTorch's own logits for them.
 */
public final class TestModels {

    private TestModels() {
    }

    /** Path of a committed test model, e.g. {@code tiny_cnn.pt}. */
    public static Path path(String name) {
        URL url = TestModels.class.getResource("/models/" + name);
        if (url == null) {
            throw new IllegalStateException("test model " + name + " is missing; run core/src/test/resources/models/make_tiny_models.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a model into {@code dir} without its descriptor, to exercise inference from the file. */
    public static Path copyWithoutDescriptor(String name, Path dir) throws IOException {
        return Files.copy(path(name), dir.resolve(name));
    }

    /** PyTorch's logits for the first 16 test images, {@code "float"} or {@code "int8"}, row-major. */
    public static float[] referenceLogits(String variant) {
        JsonNode rows = reference().get(variant);
        float[] out = new float[rows.size() * rows.get(0).size()];
        int k = 0;
        for (JsonNode row : rows) {
            for (JsonNode v : row) {
                out[k++] = (float) v.asDouble();
            }
        }
        return out;
    }

    /** PyTorch's accuracy on the first 1,000 test images, {@code "Float"} or {@code "Int8"}. */
    public static double referenceAccuracy(String variant) {
        return reference().get("accuracy" + variant + "1000").asDouble();
    }

    private static JsonNode reference() {
        try {
            return new ObjectMapper().readTree(path("tiny_cnn_reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
