package org.mrw.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mrw.core.attack.Attacks;
import org.mrw.core.attack.BoundaryAttack;

class ExperimentSpecTest {

    private static final String MINIMAL = """
            name: trial
            seed: 7
            dataset: {count: 20, selection: first}
            groups:
              - {name: tiny, sources: [tiny_cnn.pt], targets: [tiny_cnn.pt, tiny_cnn_int8.pt]}
            attacks:
              - {name: fgsm, eps: [0, 0.05]}
            """;

    @Test
    void aMinimalSpecParsesWithDefaultsAndRoundTripsThroughYaml() {
        ExperimentSpec spec = ExperimentSpec.parse(MINIMAL, "trial.yaml");
        assertThat(spec.name()).isEqualTo("trial");
        assertThat(spec.countOrDefault()).isEqualTo(20);
        assertThat(spec.randomSelection()).isFalse();
        assertThat(spec.round8OrDefault()).isFalse();
        assertThat(spec.repetitionsOrDefault()).isEqualTo(1);
        assertThat(spec.batchSizeOrDefault()).isEqualTo(100);
        assertThat(ExperimentSpec.parse(spec.toYaml(), "again")).isEqualTo(spec);
    }

    @Test
    void thePaperPresetIsValidAndFollowsTheStudysDesign() throws IOException {
        String text;
        try (InputStream in = ExperimentSpec.class.getResourceAsStream("presets/paper.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ExperimentSpec paper = ExperimentSpec.parse(text, "paper");
        assertThat(paper.correctOnSources()).isTrue();
        assertThat(paper.round8OrDefault()).isTrue();
        assertThat(paper.groups()).hasSize(3).allSatisfy(g -> assertThat(g.targets()).hasSize(8));
        assertThat(paper.attacks()).extracting(ExperimentSpec.AttackSpec::name).containsExactly("fgsm", "bim", "boundary");
        assertThat(paper.attacks().get(1).stepRatio()).isEqualTo(0.2);
        assertThat(paper.attacks().get(2).eps()).containsExactly(Double.POSITIVE_INFINITY);
        assertThat(paper.attacks().get(2).steps()).isEqualTo(5000);
        assertThat(((BoundaryAttack) Attacks.create("boundary", paper.attacks().get(2).settings())).describe())
                .contains("5000 steps, 1 directions");
    }

    @Test
    void deviceTargetsNameTheirDeviceAndSourcesStayOnThisComputer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Files.writeString(dir.resolve("m.tflite"), "x");
        ModelResolver resolver = new ModelResolver(dir, dir);
        ModelResolver.Resolved r = resolver.resolve("device:R5CT10/m.tflite");
        assertThat(r.id()).isEqualTo("m.tflite@R5CT10");
        assertThat(r.device()).isEqualTo("R5CT10");
        assertThat(resolver.resolve("m.tflite").device()).isNull();
        assertThat(resolver.resolve("device:host+R5CT10/m.tflite").device()).isEqualTo("host+R5CT10");
        assertThatThrownBy(() -> resolver.resolve("device:m.tflite")).isInstanceOf(SpecException.class)
                .hasMessageContaining("device:SERIAL/MODEL");
        assertThatThrownBy(() -> resolver.resolve("device:a b/m.tflite")).hasMessageContaining("serial");
        assertThatThrownBy(() -> ExperimentSpec.parse(MINIMAL.replace("sources: [tiny_cnn.pt]", "sources: [device:host/tiny_cnn.pt]"),
                "s.yaml")).hasMessageContaining("generated on this computer");
    }

    @Test
    void mistakesAreNamedWithWhereAndWhatToDo() {
        assertThatThrownBy(() -> ExperimentSpec.parse(MINIMAL.replace("fgsm", "fgsn"), "s.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("s.yaml").hasMessageContaining("choose one of");
        assertThatThrownBy(() -> ExperimentSpec.parse(MINIMAL.replace("eps: [0, 0.05]", "eps: [.inf]"), "s.yaml"))
                .hasMessageContaining("fgsm needs eps");
        assertThatThrownBy(() -> ExperimentSpec.parse(MINIMAL.replace("seed: 7", "sed: 7"), "s.yaml"))
                .hasMessageContaining("sed");
        assertThatThrownBy(() -> ExperimentSpec.parse(MINIMAL.replace("count: 20", "count: -1"), "s.yaml"))
                .hasMessageContaining("dataset.count");
        assertThatThrownBy(() -> ExperimentSpec.parse(MINIMAL.replace("name: trial", "name: a b"), "s.yaml"))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> ExperimentSpec.parse("name: x\n", "s.yaml")).hasMessageContaining("group");
        assertThatThrownBy(() -> ExperimentSpec.parse("name: [", "s.yaml")).hasMessageContaining("not a valid experiment spec");
        assertThatThrownBy(() -> ExperimentSpec.parse(MINIMAL.replace("eps: [0, 0.05]", "eps: [0.05], start: data"), "s.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("start applies to boundary and hopskipjump only");
        assertThatThrownBy(() -> ExperimentSpec.parse(MINIMAL.replace("{name: fgsm, eps: [0, 0.05]}",
                "{name: boundary, eps: [.inf], start: images}"), "s.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("start must be noise or data, got 'images'");
    }

    @Test
    void aDecisionAttackCanStartFromTheBatchsOtherImages() {
        ExperimentSpec spec = ExperimentSpec.parse(MINIMAL.replace("{name: fgsm, eps: [0, 0.05]}",
                "{name: boundary, eps: [.inf], steps: 10, start: data}"), "s.yaml");
        assertThat(spec.attacks().get(0).settings().start()).isEqualTo(org.mrw.core.attack.DecisionStart.DATA);
        assertThat(Attacks.create("boundary", spec.attacks().get(0).settings()).describe()).contains("data start");
        assertThat(ExperimentSpec.parse(spec.toYaml(), "again")).isEqualTo(spec);
    }
}
