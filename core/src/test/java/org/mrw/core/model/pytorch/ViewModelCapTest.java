package org.mrw.core.model.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelLoadException;

/**
 * A model that flattens a feature map with {@code view()} cannot take channels-last activations: above
 * the SSE41 cap the workbench must refuse it with advice (its contiguous activations would take oneDNN's
 * blocked kernels, wrong at AVX2 for its 12 channels), and at SSE41 run it contiguous. The cap is read
 * once per process, so the SSE41 case runs in a second JVM.
 */
class ViewModelCapTest {

    private static final Path MODEL = Path.of("src/test/resources/models/view_cnn.pt");

    @Test
    void zooStyleModelsRunChannelsLastAtTheDefaultCap() {
        Path tiny = Path.of("src/test/resources/models/tiny_cnn.pt");
        try (TorchScriptClassifier c = TorchScriptClassifier.load(tiny, ModelFormat.TORCHSCRIPT,
                InputSpec.read(InputSpec.besideModel(tiny)), true)) {
            assertThat(c.channelsLast()).isTrue();
        }
    }

    @Test
    void aViewModelIsRefusedWithAdviceAboveSse41() {
        assertThat(Engines.anyLayoutSafe()).as("the tests run at the default cap, " + Engines.ONEDNN_ISA).isFalse();
        assertThatThrownBy(() -> TorchScriptClassifier.load(MODEL, ModelFormat.TORCHSCRIPT, InputSpec.read(InputSpec.besideModel(MODEL)), false))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("view()")
                .hasMessageContaining(Engines.ONEDNN_ISA_VARIABLE + "=SSE41");
    }

    @Test
    void atSse41TheViewModelRunsContiguous(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.json");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-cp", classPath, "org.mrw.core.cli.Mrw",
                "attack", "--model", MODEL.toString(), "--attack", "fgsm", "--eps", "0.03", "--limit", "20", "--json"))
                .redirectOutput(out.toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put(Engines.ONEDNN_ISA_VARIABLE, Engines.SAFE_ISA);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("attack finished").isTrue();
        assertThat(p.exitValue()).as(read(dir.resolve("err.txt"))).isZero();
        assertThat(read(out)).contains("\"successRate\"").contains("\"samples\" : 20");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
