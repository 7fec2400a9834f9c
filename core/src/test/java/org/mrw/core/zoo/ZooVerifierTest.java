package org.mrw.core.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Datasets;
import org.mrw.core.model.InputSpec;
import org.mrw.core.testing.TestModels;

/** The verifier on a one-entry zoo made of the committed tiny model (PyTorch measured 0.8657 on the whole test split). */
class ZooVerifierTest {

    private static final double PYTORCH_ACCURACY = 0.8657;

    private static Path zoo(Path dir, double recordedAccuracy) throws IOException {
        Path model = Files.copy(TestModels.path("tiny_cnn.onnx"), dir.resolve("tiny_cnn.onnx"));
        InputSpec spec = InputSpec.read(TestModels.path("tiny_cnn.onnx.json"));
        ZooManifest.Entry entry = new ZooManifest.Entry("tiny_float_onnx", "tiny", "ONNX", "ONNX Runtime", "float", "ONNX",
                "tiny_cnn.onnx", Checksums.sha256(model), Checksums.size(model), spec, null, recordedAccuracy);
        ZooManifest manifest = new ZooManifest(ZooManifest.FORMAT, new ZooManifest.Dataset("fashion-mnist/t10k", 10_000, null),
                Map.of("seed", 0), List.of(), List.of(entry));
        Path file = dir.resolve("zoo.json");
        manifest.write(file);
        return file;
    }

    private static List<ZooVerifier.Result> verify(Path manifest) {
        List<ZooVerifier.Result> seen = new ArrayList<>();
        List<ZooVerifier.Result> results = ZooVerifier.verify(manifest, Datasets.fashionMnistTest(), seen::add);
        assertThat(seen).isEqualTo(results);
        return results;
    }

    @Test
    void anUnchangedModelAsAccurateAsRecordedVerifies(@TempDir Path dir) throws IOException {
        ZooVerifier.Result r = verify(zoo(dir, PYTORCH_ACCURACY)).get(0);
        assertThat(r.ok()).as(String.valueOf(r.problem())).isTrue();
        assertThat(r.accuracy()).isCloseTo(PYTORCH_ACCURACY, org.assertj.core.api.Assertions.within(ZooVerifier.TOLERANCE));
    }

    @Test
    void anAccuracyOffByMoreThanTwoTenthsOfAPointFails(@TempDir Path dir) throws IOException {
        ZooVerifier.Result r = verify(zoo(dir, PYTORCH_ACCURACY + 0.003)).get(0);
        assertThat(r.ok()).isFalse();
        assertThat(r.sha256Ok()).isTrue();
        assertThat(r.problem()).contains("accuracy").contains("0.2 points");
    }

    @Test
    void aChangedFileFailsItsChecksum(@TempDir Path dir) throws IOException {
        Path manifest = zoo(dir, PYTORCH_ACCURACY);
        Files.write(dir.resolve("tiny_cnn.onnx"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        ZooVerifier.Result r = verify(manifest).get(0);
        assertThat(r.ok()).isFalse();
        assertThat(r.sha256Ok()).isFalse();
    }

    @Test
    void aMissingFileSaysToRebuild(@TempDir Path dir) throws IOException {
        Path manifest = zoo(dir, PYTORCH_ACCURACY);
        Files.delete(dir.resolve("tiny_cnn.onnx"));
        assertThat(verify(manifest).get(0).problem()).contains("missing").contains("models/build");
    }
}
