package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fused L∞ FGSM pass gives exactly the values of the general step-then-project path. */
class FgsmLinfStepTest {

    @Test
    void fusedPassEqualsStepThenProject() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 5;
        int size = 97;
        float[] clean = new float[n * size];
        float[] gradient = new float[n * size];
        for (int j = 0; j < clean.length; j++) {
            clean[j] = j % 11 == 0 ? 0f : j % 13 == 0 ? 1f : (float) random.nextDouble();
            gradient[j] = j % 17 == 0 ? 0f : (float) (random.nextDouble() - 0.5);
        }
        for (int sign : new int[] {1, -1}) {
            float[] direction = new float[gradient.length];
            for (int j = 0; j < gradient.length; j++) {
                direction[j] = sign * Math.signum(gradient[j]);
            }
            for (double eps : new double[] {0, 1.0 / 255, 0.005, 0.03, 0.3, 1.5}) {
                float[] expected = clean.clone();
                Perturbations.step(expected, gradient, n, size, Norm.LINF, eps, sign);
                Perturbations.project(expected, clean, n, size, Norm.LINF, eps);
                assertThat(Fgsm.linfStep(clean, direction, eps)).as("eps %s sign %d", eps, sign).containsExactly(expected);
            }
        }
    }
}
