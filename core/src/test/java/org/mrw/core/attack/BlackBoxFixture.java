package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;

/** Checks shared by the black-box attack tests. */
final class BlackBoxFixture {

    private BlackBoxFixture() {
    }

    /** The first {@code n} Fashion-MNIST test images. */
    static ImageBatch images(int n) {
        return Datasets.fashionMnistTest().batch(0, n);
    }

    /**
     * Asserts every adversarial lies in [0,1] and within its ε, and that every image counted as a success
     * (for a minimisation attack: a finite minimal distance) is really where the goal says when re-predicted.
     *
     * @return per ε, how many images reach the goal
     */
    static int[] checkAndCountSuccesses(Attack attack, Classifier model, ImageBatch clean, Goal goal, double[] epsilons,
                                        Adversarials adv) {
        int n = clean.size();
        int size = clean.imageSize();
        int[] successes = new int[epsilons.length];
        for (int e = 0; e < epsilons.length; e++) {
            float[] x = adv.pixels()[e];
            assertThat(x).hasSameSizeAs(clean.pixels());
            for (float v : x) {
                assertThat(v).isBetween(0f, 1f);
            }
            int[] predicted = model.predict(clean.withPixels(x));
            for (int i = 0; i < n; i++) {
                double d = attack.norm().distance(x, clean.pixels(), i, size);
                assertThat(d).as("image %d at ε %s", i, epsilons[e]).isLessThanOrEqualTo(epsilons[e] * (1 + 1e-6) + 1e-6);
                successes[e] += goal.reached(i, predicted[i]) ? 1 : 0;
            }
        }
        if (adv.minimal() != null) {
            // a finite minimal perturbation is a claim: its adversarial must reach the goal, within that distance
            double largest = Arrays.stream(epsilons).max().orElseThrow();
            float[] x = adv.pixels()[Arrays.asList(box(epsilons)).indexOf(largest)];
            int[] predicted = model.predict(clean.withPixels(x));
            for (int i = 0; i < n; i++) {
                if (adv.minimal()[i] <= largest) {
                    assertThat(goal.reached(i, predicted[i])).as("image %d claimed at L2 %s", i, adv.minimal()[i]).isTrue();
                    assertThat(Norm.L2.distance(x, clean.pixels(), i, size)).isCloseTo(adv.minimal()[i],
                            org.assertj.core.api.Assertions.within(1e-6));
                }
            }
        }
        return successes;
    }

    /** Median of the finite values, or +∞ when there are none. */
    static double medianFinite(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        int c = finite.length;
        return c % 2 == 1 ? finite[c / 2] : (finite[c / 2 - 1] + finite[c / 2]) / 2;
    }

    static long finiteCount(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).count();
    }

    private static Double[] box(double[] values) {
        return Arrays.stream(values).boxed().toArray(Double[]::new);
    }
}
