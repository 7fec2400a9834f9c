package org.mrw.core.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Models;

/** Damaged {@code .tflite} files fail with a message naming the file and the format, never a crash. */
class TfliteLoadFailureTest {

    @TempDir
    static Path dir;

    private static byte[] valid;

    @BeforeAll
    static void writeAValidModel() {
        valid = new TinyCnn(3).graph(true).writer().toFloat32();
    }

    /** Ways a file can be broken, each turning valid model bytes into broken ones. */
    enum Damage {
        EMPTY(b -> new byte[0], "empty"),
        FIVE_BYTES(b -> Arrays.copyOf(b, 5), "only 5 bytes"),
        WRONG_IDENTIFIER(b -> "\u0089PNG\r\n\u001a\n and then some picture data".getBytes(StandardCharsets.ISO_8859_1), "\"TFL3\""),
        TEXT(b -> "this is not a model at all".getBytes(StandardCharsets.US_ASCII), "\"TFL3\""),
        TRUNCATED_TO_HEADER(b -> Arrays.copyOf(b, 64), "interpreter rejected"),
        TRUNCATED_TO_HALF(b -> Arrays.copyOf(b, b.length / 2), "interpreter rejected"),
        GARBAGE_AFTER_IDENTIFIER(b -> {
            byte[] g = new byte[b.length];
            new Random(9).nextBytes(g);
            System.arraycopy(b, 0, g, 0, 8);
            return g;
        }, "interpreter rejected");

        final UnaryOperator<byte[]> damage;
        final String problem;

        Damage(UnaryOperator<byte[]> damage, String problem) {
            this.damage = damage;
            this.problem = problem;
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedFileFailsWithAMessageNamingTheFileAndTensorFlowLite(Damage damage) throws IOException {
        Path file = dir.resolve(damage.name().toLowerCase() + ".tflite");
        Files.write(file, damage.damage.apply(valid));

        assertThatThrownBy(() -> Models.load(file, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("TensorFlow Lite")
                .hasMessageContaining(damage.problem)
                .satisfies(e -> assertThat(((ModelLoadException) e).file()).isEqualTo(file));
    }
}
