package org.mrw.core.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mrw.core.testing.TestModels;

/** Every format, every way a file can be broken: the error names the file and the format tried. */
class CorruptModelFilesTest {

    private static final InputSpec FALLBACK = InputSpec.plain(InputSpec.Layout.NCHW, 1, 28, 28, List.of());

    enum Damage { EMPTY, TRUNCATED, RANDOM_BYTES, PNG_RENAMED }

    static Stream<Arguments> cases() {
        return Stream.of(
                        new Object[] {"tiny_cnn.pt", "TorchScript"},
                        new Object[] {"tiny_cnn.ptl", "TorchScript Lite"},
                        new Object[] {"tiny_cnn.onnx", "ONNX"},
                        new Object[] {"model.tflite", "TensorFlow Lite"})
                .flatMap(f -> Arrays.stream(Damage.values()).map(d -> Arguments.of(f[0], f[1], d)));
    }

    @ParameterizedTest(name = "{2} {0} -> names file and {1}")
    @MethodSource("cases")
    void brokenFilesGiveAClearError(String name, String format, Damage damage, @TempDir Path dir) throws IOException {
        Path broken = dir.resolve(name);
        Files.write(broken, damaged(name, damage));
        assertThatThrownBy(() -> Models.load(broken, null, FALLBACK).close())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(broken.toString())
                .hasMessageContaining(format);
    }

    @ParameterizedTest(name = "SavedModel with {0} saved_model.pb -> names folder and format")
    @MethodSource("savedModelDamage")
    void brokenSavedModelsGiveAClearError(Damage damage, @TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("saved"));
        Files.createDirectories(folder.resolve("variables"));
        Files.write(folder.resolve("saved_model.pb"), damaged("saved_model.pb", damage));
        assertThatThrownBy(() -> Models.load(folder, null, FALLBACK).close())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(folder.toString())
                .hasMessageContaining("TensorFlow SavedModel");
    }

    static Stream<Damage> savedModelDamage() {
        return Stream.of(Damage.EMPTY, Damage.RANDOM_BYTES, Damage.PNG_RENAMED);
    }

    private static byte[] damaged(String name, Damage damage) throws IOException {
        return switch (damage) {
            case EMPTY -> new byte[0];
            case TRUNCATED -> {
                byte[] whole = name.endsWith(".tflite") ? new byte[] {0x1c, 0, 0, 0, 'T', 'F', 'L', '3', 0, 0, 0, 0}
                        : Files.readAllBytes(TestModels.path(name));
                yield Arrays.copyOf(whole, whole.length / 2);
            }
            case RANDOM_BYTES -> {
                byte[] b = new byte[4096];
                new Random(42).nextBytes(b);
                yield b;
            }
            case PNG_RENAMED -> new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        };
    }
}
