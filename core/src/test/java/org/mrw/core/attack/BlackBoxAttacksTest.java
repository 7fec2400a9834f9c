package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.task.Cancellation;
import org.mrw.core.testing.TestModels;

/** What every black-box attack promises, on a float ONNX model and an int8 TorchScript model. */
class BlackBoxAttacksTest {

    private static Classifier onnx;
    private static Classifier int8;
    private static ImageBatch ten;

    @BeforeAll
    static void load() {
        onnx = Models.load(TestModels.path("tiny_cnn.onnx"), null);
        int8 = Models.load(TestModels.path("tiny_cnn_int8.pt"), null);
        ten = BlackBoxFixture.images(10);
    }

    @AfterAll
    static void close() {
        onnx.close();
        int8.close();
    }

    /** Small settings of each attack, with budgets in its own norm. */
    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of("boundary", (Supplier<Attack>) () -> new BoundaryAttack(20, 5), new double[] {0.5, 2, 8}),
                Arguments.of("hopskipjump", (Supplier<Attack>) () -> new HopSkipJump(3, 50, 10_000), new double[] {0.5, 2, 8}),
                Arguments.of("square", (Supplier<Attack>) () -> new SquareAttack(50, 0.05), new double[] {0.05, 0.2}));
    }

    static Stream<Arguments> attacksOnBothModels() {
        return attacks().flatMap(a -> Stream.of("onnx", "int8").map(m -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], m)));
    }

    private static Classifier model(String which) {
        return which.equals("onnx") ? onnx : int8;
    }

    @ParameterizedTest(name = "{0} on {3}: in [0,1], within ε, successes confirmed by the model")
    @MethodSource("attacksOnBothModels")
    void adversarialsStayInBoundsAndClaimedSuccessesAreReal(String name, Supplier<Attack> attack, double[] epsilons,
                                                            String which) {
        Classifier model = model(which);
        Goal goal = Goal.untargeted(ten.labels());
        Attack a = attack.get();
        Adversarials adv = a.generate(model, ten, goal, epsilons, AttackContext.seeded(1));
        int[] successes = BlackBoxFixture.checkAndCountSuccesses(a, model, ten, goal, epsilons, adv);
        assertThat(successes[epsilons.length - 1]).as("successes at the largest ε").isGreaterThan(0);
        assertThat(adv.queries()).isGreaterThan(0);
        // the runner's own budget and [0,1] checks accept the result too
        BatchOutcome outcome = AttackRunner.attackBatch(a, model, ten, goal, epsilons, AttackContext.seeded(1), false, 0);
        assertThat(outcome.epsilons()).hasSize(epsilons.length);
    }

    @ParameterizedTest(name = "{0} sends all images'' candidates to the model together")
    @MethodSource("attacks")
    void queriesAreBatchedAcrossImagesAndCandidates(String name, Supplier<Attack> attack, double[] epsilons) {
        CountingClassifier counting = new CountingClassifier(onnx);
        Adversarials adv = attack.get().generate(counting, ten, Goal.untargeted(ten.labels()), epsilons, AttackContext.seeded(2));
        long images = counting.images();
        assertThat(adv.queries() * ten.size()).as("queries reported").isCloseTo(images, org.assertj.core.api.Assertions.within(0.5));
        assertThat(counting.calls()).as("model calls for %d queries", images).isLessThan((int) (images / 5));
        // the first calls carry every image of the batch (clean check, start or stripes)
        assertThat(counting.batches().get(0)).isEqualTo(ten.size());
        double mean = images / (double) counting.calls();
        assertThat(mean).as("mean images per call").isGreaterThan(5);
    }

    @ParameterizedTest(name = "{0}: the same seed gives identical adversarials, another seed others")
    @MethodSource("attacks")
    void sameSeedSameAdversarials(String name, Supplier<Attack> attack, double[] epsilons) {
        Goal goal = Goal.untargeted(ten.labels());
        Adversarials a = attack.get().generate(int8, ten, goal, epsilons, AttackContext.seeded(7));
        Adversarials b = attack.get().generate(int8, ten, goal, epsilons, AttackContext.seeded(7));
        Adversarials c = attack.get().generate(int8, ten, goal, epsilons, AttackContext.seeded(8));
        for (int e = 0; e < epsilons.length; e++) {
            assertThat(b.pixels()[e]).isEqualTo(a.pixels()[e]);
        }
        assertThat(b.queries()).isEqualTo(a.queries());
        assertThat(c.pixels()[epsilons.length - 1]).isNotEqualTo(a.pixels()[epsilons.length - 1]);
    }

    @ParameterizedTest(name = "{0} stops within one step of a cancel")
    @MethodSource("attacks")
    void cancellingFromProgressStopsWithinOneStep(String name, Supplier<Attack> attack, double[] epsilons) {
        CountingClassifier counting = new CountingClassifier(onnx);
        Cancellation cancellation = new Cancellation();
        AtomicInteger callsAtCancel = new AtomicInteger(-1);
        AttackContext context = new AttackContext(3, cancellation, (done, total, message) -> {
            if (done >= 2 && !cancellation.isCancelled()) {
                cancellation.cancel();
                callsAtCancel.set(counting.calls());
            }
        });
        assertThatThrownBy(() -> attack.get().generate(counting, ten, Goal.untargeted(ten.labels()), epsilons, context))
                .isInstanceOf(CancellationException.class);
        assertThat(callsAtCancel.get()).as("cancelled from progress").isPositive();
        assertThat(counting.calls() - callsAtCancel.get()).as("model calls after the cancel").isLessThanOrEqualTo(1);
    }

    @Test
    void registryCreatesTheBlackBoxAttacksByNameAndAlias() {
        assertThat(Attacks.NAMES).contains("boundary", "hopskipjump", "square");
        AttackSettings defaults = AttackSettings.DEFAULTS;
        assertThat(Attacks.create("boundary", defaults)).isInstanceOfSatisfying(BoundaryAttack.class,
                a -> assertThat(a.steps()).isEqualTo(BoundaryAttack.DEFAULT_STEPS));
        assertThat(Attacks.create("HSJ", defaults)).isInstanceOf(HopSkipJump.class);
        assertThat(Attacks.create("hopskipjump", new AttackSettings(null, 7, null, null)))
                .isInstanceOfSatisfying(HopSkipJump.class, a -> assertThat(a.steps()).isEqualTo(7));
        assertThat(Attacks.create("square", new AttackSettings(Norm.LINF, 300, null, null)))
                .isInstanceOfSatisfying(SquareAttack.class, a -> assertThat(a.queries()).isEqualTo(300));
        for (String name : new String[] {"boundary", "hopskipjump", "square"}) {
            Attack a = Attacks.create(name, defaults);
            assertThat(a.name()).isEqualTo(name);
            assertThat(a.access()).isNotEqualTo(Access.GRADIENTS);
            assertThat(a.supportsTargeted()).isTrue();
            assertThat(a.describe()).isNotBlank();
        }
        assertThatThrownBy(() -> Attacks.create("square", new AttackSettings(Norm.L2, null, null, null)))
                .isInstanceOf(AttackException.class).hasMessageContaining("linf only");
        assertThatThrownBy(() -> Attacks.create("boundary", new AttackSettings(Norm.LINF, null, null, null)))
                .isInstanceOf(AttackException.class).hasMessageContaining("l2 only");
    }
}
