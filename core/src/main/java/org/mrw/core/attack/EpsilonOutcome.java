package org.mrw.core.attack;

/**
 * One budget of a sweep on one batch, judged by evaluating the adversarials on the attacked model.
 *
 * @param epsilon     the budget, in the attack's norm
 * @param pixels      the adversarial images (NCHW, [0,1])
 * @param predictions the model's class for each adversarial
 * @param success     whether each adversarial reaches the goal (misclassified, or classified as the target)
 * @param distance    each image's perturbation in the attack's norm ({@code <= epsilon})
 * @param l2          each image's perturbation in L2, whatever the attack's norm
 * @param rounded     the same after rounding to 8-bit levels, or null when rounding was not asked for
 */
public record EpsilonOutcome(double epsilon, float[] pixels, int[] predictions, boolean[] success, double[] distance,
                             double[] l2, Rounded rounded) {

    /**
     * The adversarials rounded to the 256 levels an 8-bit PNG can hold, and judged again.
     *
     * @param distance the effective perturbation after rounding, in the attack's norm (may exceed ε by
     *                 up to half a level, 1/510)
     */
    public record Rounded(float[] pixels, int[] predictions, boolean[] success, double[] distance, double[] l2) {
    }
}
