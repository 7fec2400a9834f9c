package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Models;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import org.mrw.core.testing.TestModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeepFool and C&amp;W on the committed tiny PyTorch CNN and the first Fashion-MNIST test images, judged
 * through {@link AttackRunner} as a real run would be.
 */
class MinimisationAttackTest {

    private static final Logger LOG = LoggerFactory.getLogger(MinimisationAttackTest.class);
    private static final int IMAGES = 50;
    private static final double[] L2_BUDGETS = {0.25, 1, 3, 10};
    private static final double[] LINF_BUDGETS = {0.01, 0.05, 0.2, 1};
    /**
     * Fewer, larger steps than the defaults (5 × 100 at lr 0.01 from c 1) keep the suite quick on two cores:
     * measured on 20 images, these find all untargeted and targeted adversarials in about a third of the time.
     */
    private static final CarliniWagner CW = new CarliniWagner(3, 100, 10, 0, 0.05);

    private static GradientClassifier model;
    private static ImageBatch clean;
    private static final Map<String, BatchOutcome> RUNS = new ConcurrentHashMap<>();

    @BeforeAll
    static void load() {
        model = Models.loadDifferentiable(TestModels.path("tiny_cnn.pt"), null);
        clean = Datasets.fashionMnistTest().batch(0, IMAGES);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<Arguments> untargeted() {
        return Stream.of(
                attack(new DeepFool(Norm.L2, 50, 0.02, DeepFool.ALL_CLASSES), L2_BUDGETS),
                attack(new DeepFool(Norm.LINF, 50, 0.02, DeepFool.ALL_CLASSES), LINF_BUDGETS),
                attack(new DeepFool(Norm.L2, 50, 0.02, 3), L2_BUDGETS),
                attack(CW, L2_BUDGETS));
    }

    private static Arguments attack(Attack attack, double[] budgets) {
        return Arguments.of(Named.of(attack.describe(), attack), budgets);
    }

    /** One run per attack and goal, shared by the tests that only read it. */
    private static BatchOutcome run(Attack attack, Goal goal, double[] budgets) {
        String key = attack.describe() + (goal.isTargeted() ? " targeted" : "");
        return RUNS.computeIfAbsent(key, k -> {
            long start = System.nanoTime();
            BatchOutcome out = AttackRunner.attackBatch(attack, model, clean, goal, budgets, AttackContext.seeded(7), false, 0);
            LOG.info("{}: {} images in {} s, {} passes per image, minimal {}", k, IMAGES,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9), String.format("%.0f", out.queries()),
                    summary(out.minimal()));
            return out;
        });
    }

    private static String summary(double[] minimal) {
        double[] finite = Arrays.stream(minimal).filter(Double::isFinite).sorted().toArray();
        return finite.length == 0 ? "none found"
                : String.format("median %.3f over %d found", finite[finite.length / 2], finite.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untargeted")
    void everyAdversarialStaysInBudgetAndEveryClaimedSuccessIsAMisclassification(Attack attack, double[] budgets) {
        BatchOutcome out = run(attack, Goal.untargeted(clean.labels()), budgets);
        int size = clean.imageSize();
        for (EpsilonOutcome e : out.epsilons()) {
            for (float v : e.pixels()) {
                assertThat(v).isBetween(0f, 1f);
            }
            for (int i = 0; i < IMAGES; i++) {
                assertThat(e.distance()[i]).as("image %d at ε %s", i, e.epsilon()).isLessThanOrEqualTo(e.epsilon() + 1e-5);
                // A minimisation attack answers ε from one minimal adversarial: success exactly where it fits.
                assertThat(e.success()[i]).as("image %d at ε %s, minimal %s", i, e.epsilon(), out.minimal()[i])
                        .isEqualTo(out.minimal()[i] <= e.epsilon());
                if (e.success()[i]) {
                    float[] alone = Arrays.copyOfRange(e.pixels(), i * size, (i + 1) * size);
                    int predicted = model.predict(clean.slice(i, i + 1).withPixels(alone))[0];
                    assertThat(predicted).as("image %d re-predicted on its own", i).isNotEqualTo(clean.labels()[i]);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untargeted")
    void minimalPerturbationsAreFoundForMostImagesAndALargeBudgetAlmostAlwaysSucceeds(Attack attack, double[] budgets) {
        BatchOutcome out = run(attack, Goal.untargeted(clean.labels()), budgets);
        long finite = Arrays.stream(out.minimal()).filter(Double::isFinite).count();
        assertThat(finite).as("images with a minimal adversarial").isGreaterThanOrEqualTo(IMAGES * 9L / 10);
        assertThat(Arrays.stream(out.minimal()).filter(Double::isFinite)).allMatch(d -> d >= 0);
        EpsilonOutcome largest = out.epsilons().get(out.epsilons().size() - 1);
        assertThat(successRate(largest)).as("success rate at ε %s", largest.epsilon()).isGreaterThan(0.9);
        // Misclassified clean images need no perturbation at all.
        for (int i = 0; i < IMAGES; i++) {
            if (out.cleanPredictions()[i] != clean.labels()[i]) {
                assertThat(out.minimal()[i]).as("image %d is misclassified already", i).isZero();
            }
        }
    }

    @Test
    void targetedCarliniWagnerReachesTheTarget() {
        Goal goal = Goal.shifted(clean.labels(), 1, model.numClasses());
        BatchOutcome out = run(CW, goal, L2_BUDGETS);
        EpsilonOutcome largest = out.epsilons().get(out.epsilons().size() - 1);
        assertThat(successRate(largest)).as("targeted success rate at ε %s", largest.epsilon()).isGreaterThan(0.9);
        for (int i = 0; i < IMAGES; i++) {
            if (largest.success()[i]) {
                assertThat(largest.predictions()[i]).as("image %d", i).isEqualTo(goal.targets()[i]);
            }
        }
    }

    @Test
    void targetedCarliniWagnerNeedsMoreThanUntargeted() {
        BatchOutcome untargeted = run(CW, Goal.untargeted(clean.labels()), L2_BUDGETS);
        BatchOutcome targeted = run(CW, Goal.shifted(clean.labels(), 1, model.numClasses()), L2_BUDGETS);
        assertThat(median(targeted.minimal())).isGreaterThan(median(untargeted.minimal()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untargeted")
    void theSameSeedGivesIdenticalAdversarials(Attack attack, double[] budgets) {
        BatchOutcome first = run(attack, Goal.untargeted(clean.labels()), budgets);
        ImageBatch few = clean.slice(0, 10);
        Adversarials again = attack.generate(model, few, Goal.untargeted(few.labels()), budgets, AttackContext.seeded(7));
        Adversarials twice = attack.generate(model, few, Goal.untargeted(few.labels()), budgets, AttackContext.seeded(7));
        for (int e = 0; e < budgets.length; e++) {
            assertThat(twice.pixels()[e]).containsExactly(again.pixels()[e]);
        }
        assertThat(twice.minimal()).containsExactly(again.minimal());
        // Images do not interact: the first ten of the big batch get (nearly) what the ten get alone.
        for (int i = 0; i < 10; i++) {
            assertThat(again.minimal()[i]).as("image %d", i).isCloseTo(first.minimal()[i], within(1e-3));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untargeted")
    void aCancelFromTheProgressCallbackStopsWithinOneIteration(Attack attack, double[] budgets) {
        Cancellation cancellation = new Cancellation();
        AtomicInteger updates = new AtomicInteger();
        Progress progress = (done, total, message) -> {
            if (updates.incrementAndGet() == 2) {
                cancellation.cancel();
            }
        };
        AttackContext context = new AttackContext(7, cancellation, progress);
        assertThatThrownBy(() -> AttackRunner.attackBatch(attack, model, clean, Goal.untargeted(clean.labels()), budgets,
                context, false, 0)).isInstanceOf(CancellationException.class);
        assertThat(updates).as("progress updates, the second of which cancelled").hasValue(2);
    }

    @Test
    void deepFoolRefusesATargetedGoal() {
        Attack deepFool = Attacks.create("deepfool", AttackSettings.DEFAULTS);
        assertThat(deepFool.supportsTargeted()).isFalse();
        Goal goal = Goal.shifted(clean.labels(), 1, model.numClasses());
        assertThatThrownBy(() -> AttackRunner.attackBatch(deepFool, model, clean, goal, L2_BUDGETS, AttackContext.seeded(0),
                false, 0)).isInstanceOf(AttackException.class).hasMessageContaining("untargeted");
    }

    @Test
    void theRegistryBuildsBothWithTheirDefaultsAndSettings() {
        assertThat(Attacks.NAMES).contains("deepfool", "cw");
        Attack deepFool = Attacks.create("deepfool", AttackSettings.DEFAULTS);
        assertThat(deepFool.norm()).isEqualTo(Norm.L2);
        assertThat(deepFool.minimizes()).isTrue();
        assertThat(deepFool.describe()).isEqualTo("DeepFool l2, 50 steps, overshoot 0.0200, all classes");
        Attack linf = Attacks.create("DeepFool", new AttackSettings(Norm.LINF, 7, null, null));
        assertThat(linf.norm()).isEqualTo(Norm.LINF);
        assertThat(((DeepFool) linf).steps()).isEqualTo(7);
        Attack cw = Attacks.create("cw", AttackSettings.DEFAULTS);
        assertThat(cw.norm()).isEqualTo(Norm.L2);
        assertThat(cw.supportsTargeted()).isTrue();
        assertThat(cw.minimizes()).isTrue();
        assertThat(cw.describe()).isEqualTo("C&W l2, 5 binary-search steps × 100 Adam iterations (lr 0.0500), c0 10.0, κ 0.00");
        assertThat(((CarliniWagner) Attacks.create("cw", new AttackSettings(null, 20, null, null))).iterations()).isEqualTo(20);
        assertThatThrownBy(() -> Attacks.create("cw", new AttackSettings(Norm.LINF, null, null, null)))
                .isInstanceOf(AttackException.class).hasMessageContaining("L2");
    }

    private static double successRate(EpsilonOutcome e) {
        int hits = 0;
        for (boolean s : e.success()) {
            hits += s ? 1 : 0;
        }
        return (double) hits / e.success().length;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
