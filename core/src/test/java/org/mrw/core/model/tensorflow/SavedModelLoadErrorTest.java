package org.mrw.core.model.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Models;
import org.mrw.core.model.tensorflow.TinySavedModels.Architecture;

/** Broken and foreign folders fail with a {@link ModelLoadException} that names the folder, the format and the problem. */
class SavedModelLoadErrorTest {

    @TempDir
    static Path temp;

    private static Path fashion;
    private static int copies;

    @BeforeAll
    static void exportFixture() {
        fashion = TinySavedModels.fashionCnn(temp.resolve("fashion"));
    }

    /** How a test breaks its copy of the fixture. */
    @FunctionalInterface
    interface Damage {
        void apply(Path dir) throws IOException;
    }

    static Stream<Arguments> damages() {
        List<Arguments> cases = List.of(
                Arguments.of("corrupt saved_model.pb", (Damage) dir -> {
                    Path pb = dir.resolve("saved_model.pb");
                    byte[] noise = new byte[(int) Files.size(pb)];
                    new Random(3).nextBytes(noise);
                    Files.write(pb, noise);
                }, "saved_model.pb is corrupt or truncated"),
                Arguments.of("truncated saved_model.pb", (Damage) dir -> {
                    Path pb = dir.resolve("saved_model.pb");
                    byte[] bytes = Files.readAllBytes(pb);
                    Files.write(pb, Arrays.copyOf(bytes, bytes.length / 2));
                }, "saved_model.pb is corrupt or truncated"),
                Arguments.of("empty saved_model.pb", (Damage) dir -> Files.write(dir.resolve("saved_model.pb"), new byte[0]),
                        "saved_model.pb is empty"),
                Arguments.of("no saved_model.pb", (Damage) dir -> Files.delete(dir.resolve("saved_model.pb")),
                        "holds no saved_model.pb"),
                Arguments.of("missing variables/", (Damage) dir -> deleteTree(dir.resolve("variables")),
                        "variables/variables.index is missing"),
                Arguments.of("missing variables data", (Damage) dir -> Files.delete(dir.resolve("variables/variables.data-00000-of-00001")),
                        "no variables.data-* file"),
                Arguments.of("corrupt variables index", (Damage) dir -> Files.write(dir.resolve("variables/variables.index"),
                        "not a checkpoint index".getBytes()), "TensorFlow could not load it"),
                Arguments.of("truncated variables data", (Damage) dir -> {
                    Path data = dir.resolve("variables/variables.data-00000-of-00001");
                    byte[] bytes = Files.readAllBytes(data);
                    Files.write(data, Arrays.copyOf(bytes, bytes.length / 3));
                }, "TensorFlow could not load it"),
                Arguments.of("a GraphDef where saved_model.pb should be", (Damage) dir -> Files.write(dir.resolve("saved_model.pb"),
                        org.tensorflow.proto.GraphDef.newBuilder().addNode(org.tensorflow.proto.NodeDef.newBuilder()
                                .setName("x").setOp("Placeholder")).build().toByteArray()),
                        "holds no meta graph"));
        return cases.stream().flatMap(c -> Stream.of(false, true).map(gradients -> Arguments.of(c.get()[0], c.get()[1], c.get()[2], gradients)));
    }

    @ParameterizedTest(name = "{0}, gradients={3}")
    @MethodSource("damages")
    void brokenFoldersFailWithAReadableModelLoadException(String name, Damage damage, String problem, boolean gradients)
            throws IOException {
        Path dir = copyOfFixture();
        damage.apply(dir);
        assertThatThrownBy(() -> SavedModelClassifier.load(dir, null, gradients))
                .isInstanceOfSatisfying(ModelLoadException.class, e -> {
                    assertThat(e.file()).isEqualTo(dir.toAbsolutePath());
                    assertThat(e.getMessage())
                            .startsWith("Cannot load model " + dir.toAbsolutePath() + " as TensorFlow SavedModel: ")
                            .contains(problem)
                            .doesNotContain("\n")
                            .hasSizeLessThan(600);
                });
    }

    @Test
    void aModelTensorFlowCannotDifferentiateLoadsForInferenceOnly() {
        Path rounding = TinySavedModels.roundingModel(temp.resolve("rounding"));
        try (var model = Models.load(rounding, null)) {
            assertThat(model.numClasses()).isEqualTo(3);
        }
        assertThatThrownBy(() -> Models.loadDifferentiable(rounding, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("TensorFlow SavedModel")
                .hasMessageContaining("TensorFlow cannot differentiate it (No gradient defined for op: Round.")
                .hasMessageContaining("transfer");
    }

    @Test
    void aLonePbFileIsNotASavedModel() throws IOException {
        Path frozen = Files.write(temp.resolve("frozen_graph.pb"), new byte[] {8, 1});
        assertThatThrownBy(() -> Models.load(frozen, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("TensorFlow SavedModel")
                .hasMessageContaining("a lone .pb file");
    }

    @Test
    void aFolderWithoutSavedModelFailsInModelsToo() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("not_a_model"));
        assertThatThrownBy(() -> Models.load(empty, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("TensorFlow SavedModel");
    }

    @Test
    void anInputShapeThatHidesTheLayoutAsksForADescriptor() {
        Path ambiguous = TinySavedModels.export(temp.resolve("ambiguous"), Architecture.of(InputSpec.Layout.NHWC, 3, 4));
        assertThatThrownBy(() -> Models.load(ambiguous, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("[-1,4,4,3]")
                .hasMessageContaining("mrw.json")
                .hasMessageContaining("{\"layout\":\"NHWC\"");
    }

    private static Path copyOfFixture() throws IOException {
        Path copy = temp.resolve("copy" + copies++);
        try (Stream<Path> files = Files.walk(fashion)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(fashion.relativize(file).toString()));
            }
        }
        return copy;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
