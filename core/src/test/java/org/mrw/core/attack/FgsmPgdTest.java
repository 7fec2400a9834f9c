package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Models;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import org.mrw.core.testing.TestModels;

/** FGSM and PGD/BIM on the tiny float TorchScript model, against PyTorch's own results and the attack invariants. */
class FgsmPgdTest {

    private static final double[] REFERENCE_EPS = {0.01, 0.02, 0.05, 0.1};

    private static GradientClassifier model;
    private static Dataset data;
    private static ImageBatch first64;

    @BeforeAll
    static void load() {
        model = Models.loadDifferentiable(TestModels.path("tiny_cnn.pt"), null, null);
        data = Datasets.fashionMnistTest();
        first64 = data.batch(0, 64);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void fgsmAndPgdMatchPyTorchsOwnResultsWithinHalfAPoint() throws IOException {
        JsonNode reference = new ObjectMapper().readTree(TestModels.path("tiny_cnn_attacks.json").toFile());
        AttackRunner.Options options = AttackRunner.Options.of(REFERENCE_EPS).withBatchSize(250);
        AttackReport fgsm = AttackRunner.run(Attacks.create("fgsm", AttackSettings.DEFAULTS), model, data, 1000, options,
                Progress.NONE, Cancellation.NONE, b -> { });
        AttackReport pgd = AttackRunner.run(Attacks.create("pgd", AttackSettings.DEFAULTS), model, data, 1000, options,
                Progress.NONE, Cancellation.NONE, b -> { });
        for (int e = 0; e < REFERENCE_EPS.length; e++) {
            String key = String.valueOf(REFERENCE_EPS[e]);
            assertThat(fgsm.results().get(e).accuracy()).as("FGSM ε=" + key)
                    .isCloseTo(reference.get("fgsm").get(key).asDouble(), within(0.005));
            assertThat(pgd.results().get(e).accuracy()).as("PGD ε=" + key)
                    .isCloseTo(reference.get("pgd").get(key).asDouble(), within(0.005));
        }
        assertThat(fgsm.cleanAccuracy()).isCloseTo(TestModels.referenceAccuracy("Float"), within(1e-9));
    }

    @Test
    void everyAdversarialIsInRangeWithinBudgetAndClaimedSuccessesAreMisclassified() {
        for (String name : List.of("fgsm", "bim", "pgd")) {
            for (Norm norm : name.equals("bim") ? List.of(Norm.LINF) : List.of(Norm.LINF, Norm.L2)) {
                double[] eps = norm == Norm.LINF ? new double[] {0, 0.03, 0.1} : new double[] {0, 0.5, 2.0};
                Attack attack = Attacks.create(name, new AttackSettings(norm, 5, null, true));
                BatchOutcome out = AttackRunner.attackBatch(attack, model, first64, Goal.untargeted(first64.labels()), eps,
                        AttackContext.seeded(1), false, 0);
                for (EpsilonOutcome o : out.epsilons()) {
                    for (float v : o.pixels()) {
                        assertThat(v).isBetween(0f, 1f);
                    }
                    for (double d : o.distance()) {
                        assertThat(d).isLessThanOrEqualTo(o.epsilon() + 1e-5);
                    }
                    int[] again = model.predict(first64.withPixels(o.pixels()));
                    for (int i = 0; i < 64; i++) {
                        assertThat(o.success()[i]).isEqualTo(again[i] != first64.labels()[i]);
                    }
                }
                // ε = 0 changes nothing; a larger budget fools more images
                assertThat(out.epsilons().get(0).pixels()).containsExactly(first64.pixels());
                assertThat(successes(out.epsilons().get(2))).as(name + " " + norm)
                        .isGreaterThan(successes(out.epsilons().get(1)));
            }
        }
    }

    @Test
    void aFgsmSweepTakesOneGradientWhateverItsLength() {
        CountingClassifier counting = new CountingClassifier(model);
        new Fgsm(Norm.LINF).generate(counting, first64, Goal.untargeted(first64.labels()),
                new double[] {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1}, AttackContext.seeded(0));
        assertThat(counting.gradientCalls()).isEqualTo(1);
    }

    @Test
    void pgdStacksTheSweepIntoOneGradientCallPerStep() {
        CountingClassifier counting = new CountingClassifier(model);
        Adversarials adv = Attacks.create("pgd", new AttackSettings(null, 7, null, null))
                .generate(counting, first64, Goal.untargeted(first64.labels()), new double[] {0.01, 0.05, 0.1}, AttackContext.seeded(0));
        assertThat(counting.gradientCalls()).isEqualTo(7);
        assertThat(counting.largestGradientBatch()).isEqualTo(3 * 64);
        assertThat(adv.pixels()).hasNumberOfRows(3);
    }

    @Test
    void randomStartIsReproducibleFromTheSeedAlone() {
        Attack pgd = Attacks.create("pgd", new AttackSettings(Norm.L2, 3, null, true));
        double[] eps = {1.0};
        Goal goal = Goal.untargeted(first64.labels());
        float[] a = pgd.generate(model, first64, goal, eps, AttackContext.seeded(42)).pixels()[0];
        float[] b = pgd.generate(model, first64, goal, eps, AttackContext.seeded(42)).pixels()[0];
        float[] c = pgd.generate(model, first64, goal, eps, AttackContext.seeded(43)).pixels()[0];
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void targetedPgdPushesImagesIntoTheirTargetClass() {
        Goal goal = Goal.shifted(first64.labels(), 1, 10);
        BatchOutcome out = AttackRunner.attackBatch(Attacks.create("pgd", new AttackSettings(null, 20, 0.1, null)), model,
                first64, goal, new double[] {0.2}, AttackContext.seeded(0), false, 0);
        EpsilonOutcome o = out.epsilons().get(0);
        int reached = 0;
        for (int i = 0; i < 64; i++) {
            if (o.predictions()[i] == goal.targets()[i]) {
                reached++;
            }
            assertThat(o.success()[i]).isEqualTo(o.predictions()[i] == goal.targets()[i]);
        }
        assertThat(reached).as("images classified as their target").isGreaterThan(48);
    }

    @Test
    void roundingToEightBitsRecordsTheEffectiveBudgetAndRejudges() {
        AttackReport report = AttackRunner.run(Attacks.create("fgsm", AttackSettings.DEFAULTS), model, data, 64,
                AttackRunner.Options.of(0.01, 0.05).withRound8(true), Progress.NONE, Cancellation.NONE, b -> {
                    for (EpsilonOutcome o : b.epsilons()) {
                        for (float v : o.rounded().pixels()) {
                            assertThat(Math.abs(v * 255 - Math.round(v * 255))).isLessThan(1e-3f);
                        }
                        int[] again = model.predict(b.clean().withPixels(o.rounded().pixels()));
                        assertThat(o.rounded().predictions()).containsExactly(again);
                    }
                });
        // 0.01 = 2.55 levels rounds to 3 levels on 8-bit clean images
        assertThat(report.results().get(0).effectiveEpsilon()).isCloseTo(3 / 255.0, within(1e-6));
        assertThat(report.results().get(1).effectiveEpsilon()).isLessThanOrEqualTo(0.05 + 1 / 510.0 + 1e-6);
        assertThat(report.results().get(0).roundedAccuracy()).isBetween(0.0, 1.0);
    }

    @Test
    void cancellingFromAProgressCallbackStopsWithinOneStepAndKeepsFinishedBatches() {
        Cancellation cancel = new Cancellation();
        AtomicInteger stepsSeen = new AtomicInteger();
        List<BatchOutcome> stored = new ArrayList<>();
        Progress progress = (done, total, message) -> {
            if (message.startsWith("pgd step") && stepsSeen.incrementAndGet() == 13) {
                cancel.cancel(); // during the second batch's 3rd step
            }
        };
        AttackReport report = AttackRunner.run(Attacks.create("pgd", AttackSettings.DEFAULTS), model, data, 200,
                AttackRunner.Options.of(0.05).withBatchSize(50), progress, cancel, stored::add);
        assertThat(report.cancelled()).isTrue();
        assertThat(report.samples()).isEqualTo(50);
        assertThat(stored).hasSize(1);
        assertThat(stepsSeen.get()).isEqualTo(13);

        AttackContext context = new AttackContext(0, cancel, Progress.NONE);
        assertThatThrownBy(() -> Attacks.create("pgd", AttackSettings.DEFAULTS).generate(model, first64,
                Goal.untargeted(first64.labels()), new double[] {0.1}, context)).isInstanceOf(CancellationException.class);
    }

    @Test
    void badRequestsFailWithAdvice() throws Exception {
        try (Classifier int8 = Models.load(TestModels.path("tiny_cnn_int8.pt"), null);
             Classifier inferenceOnly = Models.load(TestModels.path("tiny_cnn.pt"), null)) {
            assertThatThrownBy(() -> new Fgsm(Norm.LINF).generate(inferenceOnly, first64, Goal.untargeted(first64.labels()),
                    new double[] {0.1}, AttackContext.seeded(0)))
                    .isInstanceOf(AttackException.class).hasMessageContaining("loadDifferentiable");
            assertThatThrownBy(() -> new Fgsm(Norm.LINF).generate(int8, first64, Goal.untargeted(first64.labels()),
                    new double[] {0.1}, AttackContext.seeded(0)))
                    .isInstanceOf(AttackException.class).hasMessageContaining("black-box");
        }
        assertThatThrownBy(() -> Attacks.create("nope", AttackSettings.DEFAULTS)).hasMessageContaining("choose one of");
        assertThatThrownBy(() -> AttackRunner.Options.of(-0.1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Attacks.create("bim", new AttackSettings(Norm.L2, null, null, null))).hasMessageContaining("pgd");
    }

    private static long successes(EpsilonOutcome o) {
        long k = 0;
        for (boolean s : o.success()) {
            if (s) {
                k++;
            }
        }
        return k;
    }
}
