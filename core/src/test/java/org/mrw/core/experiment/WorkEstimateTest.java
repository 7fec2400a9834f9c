package org.mrw.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mrw.core.attack.AttackCost;

class WorkEstimateTest {

    private static ExperimentSpec preset(String name) {
        return ExperimentSpec.parse(Presets.text(name).orElseThrow(), name);
    }

    @Test
    void theExamplePresetCountsEveryPassOfTheRunner() {
        WorkEstimate w = WorkEstimate.of(preset("example"), WorkEstimate.ModelFacts.FASHION_MNIST);
        assertThat(w.images()).isEqualTo(100);
        assertThat(w.attacks()).extracting(WorkEstimate.AttackLine::label).containsExactly("fgsm", "bim");
        assertThat(w.attacks().get(0).cost().gradients()).isEqualTo(1);
        assertThat(w.attacks().get(1).cost().gradients()).isEqualTo(40);
        assertThat(w.attacks().get(1).cost().bound()).isEqualTo(AttackCost.Bound.EXACT);
        // FGSM: 1 gradient per image; BIM: 10 steps × 4 ε, on the one source
        assertThat(w.gradients()).isEqualTo(100 * (1 + 40));
        assertThat(w.queries()).isZero();
        // 7 targets judge 2 attacks × 4 ε × (float + 8-bit) for 100 images, and the clean baseline
        assertThat(w.judging()).isEqualTo(7 * 2 * 4 * 2 * 100);
        assertThat(w.clean()).isEqualTo(700);
        assertThat(w.selection()).isEqualTo(100);
        assertThat(w.perModel().get("zoo:resnet_float_pt")).isEqualTo(new WorkEstimate.Passes(4100, 100 + 100 + 1600));
        assertThat(w.perModel().get("zoo:resnet_int8_tflite")).isEqualTo(new WorkEstimate.Passes(0, 100 + 1600));
    }

    @Test
    void repetitionsSourcesAndRoundingMultiplyTheWork() {
        String yaml = """
                name: t
                dataset: {count: 10}
                repetitions: 3
                groups:
                  - {name: a, sources: [s1.pt, s2.pt], targets: [t1.pt]}
                attacks:
                  - {name: square, eps: [0.01, 0.02], steps: 50}
                """;
        WorkEstimate w = WorkEstimate.of(ExperimentSpec.parse(yaml, "t"), WorkEstimate.ModelFacts.FASHION_MNIST);
        // 3 repetitions × 2 sources, each at most 1 + 50 × 2 queries per image
        assertThat(w.attacks().get(0).runs()).isEqualTo(6);
        assertThat(w.queries()).isEqualTo(6 * 10 * 101.0);
        assertThat(w.judging()).isEqualTo(6 * 10 * 2);
        assertThat(w.selection()).isZero();
        assertThat(w.forwards()).isEqualTo(w.queries() + w.judging() + 10);
    }

    @Test
    void timeUsesEachArchitecturesRateAndLeavesDevicesOut() {
        String yaml = """
                name: t
                dataset: {count: 100}
                groups:
                  - {name: a, sources: [zoo:resnet_float_pt], targets: [zoo:resnet_float_pt, device:host/zoo:resnet_float_tflite]}
                attacks:
                  - {name: fgsm, eps: [0.01]}
                """;
        WorkEstimate w = WorkEstimate.of(ExperimentSpec.parse(yaml, "t"), WorkEstimate.ModelFacts.FASHION_MNIST);
        MachineRates rates = MachineRates.benchmarked();
        WorkEstimate.TimeEstimate t = w.time(rates);
        // on this computer: 100 gradients, 100 clean + 100 judging forwards of the ResNet source
        assertThat(t.computeSeconds()).isCloseTo(100 / 1180.0 + 200 / 3540.0, within(1e-9));
        assertThat(t.loadSeconds()).isEqualTo(3);
        assertThat(t.deviceForwards()).isEqualTo(200);
        assertThat(t.unknownModels()).isEmpty();
        assertThat(t.source()).contains("README");
        assertThat(rates.rate("my_model.onnx").known()).isFalse();
        assertThat(rates.rate("device:R5CT/zoo:mobilenetv2_int8_tflite").gradientsPerSecond()).isEqualTo(2900);
    }
}
