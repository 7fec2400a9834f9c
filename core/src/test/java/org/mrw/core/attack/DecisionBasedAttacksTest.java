package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.testing.TestModels;

/** Boundary and HopSkipJump: minimal perturbations that shrink with more steps, untargeted and targeted. */
class DecisionBasedAttacksTest {

    private static final double[] EPSILONS = {0.5, 1, 2, 4, 100};

    private static Classifier onnx;
    private static Classifier int8;
    private static ImageBatch images;

    @BeforeAll
    static void load() {
        onnx = Models.load(TestModels.path("tiny_cnn.onnx"), null);
        int8 = Models.load(TestModels.path("tiny_cnn_int8.pt"), null);
        images = BlackBoxFixture.images(10);
    }

    @AfterAll
    static void close() {
        onnx.close();
        int8.close();
    }

    @Test
    void boundaryMedianL2FallsFrom50To500StepsOnTheFloatModel() {
        Goal goal = Goal.untargeted(images.labels());
        double few = medianL2(new BoundaryAttack(50, 5), onnx, goal);
        double many = medianL2(new BoundaryAttack(500, 5), onnx, goal);
        assertThat(many).isLessThan(few * 0.8);
    }

    @Test
    void hopSkipJumpMedianL2FallsFrom2To15IterationsOnTheFloatModel() {
        Goal goal = Goal.untargeted(images.labels());
        double few = medianL2(new HopSkipJump(2, 100, 10_000), onnx, goal);
        double many = medianL2(new HopSkipJump(15, 100, 10_000), onnx, goal);
        assertThat(many).isLessThan(few * 0.8);
    }

    @Test
    void boundaryReachesTargetsWhereNoiseOfTheTargetClassExists() {
        checkTargeted(new BoundaryAttack(100, 5));
    }

    @Test
    void hopSkipJumpReachesTargetsWhereNoiseOfTheTargetClassExists() {
        checkTargeted(new HopSkipJump(5, 50, 10_000));
    }

    @Test
    void dataStartGivesAStartToImagesOfTheClassNoiseFallsInto() {
        // the zoo's MobileNetV2 calls all uniform noise "Bag": Boundary's noise start fails for bags
        try (Classifier zoo = Models.load(org.mrw.core.zoo.ZooManifest.defaultDir().resolve("mobilenetv2/mobilenetv2_float.onnx"), null)) {
            checkDataStart(zoo);
        }
    }

    private static void checkDataStart(Classifier onnx) {
        // the class this model gives to uniform noise
        int draws = 50;
        float[] noise = new float[draws * images.imageSize()];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        for (int j = 0; j < noise.length; j++) {
            noise[j] = (float) rng.nextDouble();
        }
        int[] votes = new int[onnx.numClasses()];
        for (int p : onnx.predict(new ImageBatch(noise, new int[draws], images.channels(), images.height(), images.width()))) {
            votes[p]++;
        }
        int noiseClass = 0;
        for (int c = 1; c < votes.length; c++) {
            noiseClass = votes[c] > votes[noiseClass] ? c : noiseClass;
        }
        assertThat(votes[noiseClass]).as("noise is one class for this model").isEqualTo(draws);
        // a batch of 5 images of that class (right when clean) and 5 of others
        var data = org.mrw.core.data.Datasets.fashionMnistTest();
        java.util.List<Integer> picked = new java.util.ArrayList<>();
        int ofClass = 0;
        int others = 0;
        for (int i = 0; i < 500 && picked.size() < 10; i++) {
            boolean inClass = data.label(i) == noiseClass;
            if (inClass && ofClass < 5 && onnx.predict(data.batch(i, 1))[0] == noiseClass) {
                picked.add(i);
                ofClass++;
            } else if (!inClass && others < 5) {
                picked.add(i);
                others++;
            }
        }
        ImageBatch batch = data.batch(picked.stream().mapToInt(Integer::intValue).toArray());
        Goal goal = Goal.untargeted(batch.labels());
        double[] eps = {100}; // beyond any image: every found adversarial counts
        Attack noiseOnly = new BoundaryAttack(30, 2, DecisionStart.NOISE);
        Attack dataStart = new BoundaryAttack(30, 2, DecisionStart.DATA);
        Adversarials a = noiseOnly.generate(onnx, batch, goal, eps, AttackContext.seeded(3));
        Adversarials b = dataStart.generate(onnx, batch, goal, eps, AttackContext.seeded(3));
        BlackBoxFixture.checkAndCountSuccesses(noiseOnly, onnx, batch, goal, eps, a);
        BlackBoxFixture.checkAndCountSuccesses(dataStart, onnx, batch, goal, eps, b);
        for (int i = 0; i < batch.size(); i++) {
            if (batch.labels()[i] == noiseClass) {
                assertThat(a.minimal()[i]).as("noise start, image %d of the noise class", i).isInfinite();
                // another batch image of a different class reaches the goal: a start, then the walk
                assertThat(b.minimal()[i]).as("data start, image %d", i).isFinite();
            }
        }
        assertThat(dataStart.describe()).contains("data start");
        assertThat(DecisionStart.parse(" Data ")).isEqualTo(DecisionStart.DATA);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DecisionStart.parse("image"))
                .hasMessageContaining("start must be noise or data");
    }

    /** Targets not reachable from noise are reported as not found (+∞), never as successes. */
    private static void checkTargeted(Attack attack) {
        Goal goal = Goal.shifted(images.labels(), 1, 10);
        Adversarials adv = attack.generate(onnx, images, goal, EPSILONS, AttackContext.seeded(5));
        BlackBoxFixture.checkAndCountSuccesses(attack, onnx, images, goal, EPSILONS, adv);
        assertThat(BlackBoxFixture.finiteCount(adv.minimal())).isGreaterThan(0);
        int[] predicted = onnx.predict(images.withPixels(adv.pixels()[EPSILONS.length - 1]));
        for (int i = 0; i < images.size(); i++) {
            if (Double.isFinite(adv.minimal()[i])) {
                assertThat(predicted[i]).as("image %d", i).isEqualTo(goal.targets()[i]);
            }
        }
    }

    private static double medianL2(Attack attack, Classifier model, Goal goal) {
        Adversarials adv = attack.generate(model, images, goal, EPSILONS, AttackContext.seeded(11));
        BlackBoxFixture.checkAndCountSuccesses(attack, model, images, goal, EPSILONS, adv);
        assertThat(BlackBoxFixture.finiteCount(adv.minimal())).as("images with an adversarial").isEqualTo(images.size());
        double median = BlackBoxFixture.medianFinite(adv.minimal());
        return median;
    }
}
