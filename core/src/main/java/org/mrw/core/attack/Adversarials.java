package org.mrw.core.attack;

import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Attack#generate} returns for one batch.
 *
 * @param epsilons  the sweep's budgets
 * @param pixels    for every ε, the adversarial images (NCHW, [0,1]); same order as {@code epsilons}
 * @param minimal   for minimisation attacks, each image's smallest adversarial perturbation found in the
 *                  attack's norm ({@code +Infinity} when none was found); null for fixed-budget attacks
 * @param queries   model queries made per image on average (forward images / batch size), for black-box
 *                  cost reports; 0 when not counted
 */
public record Adversarials(double[] epsilons, float[][] pixels, double[] minimal, double queries) {

    public Adversarials {
        Objects.requireNonNull(epsilons, "epsilons");
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != epsilons.length) {
            throw new IllegalArgumentException(pixels.length + " adversarial batches for " + epsilons.length + " budgets");
        }
    }

    /** A fixed-budget attack's result. */
    public static Adversarials fixed(double[] epsilons, float[][] pixels, double queries) {
        return new Adversarials(epsilons, pixels, null, queries);
    }

    /**
     * A minimisation attack's result for every ε: an image whose minimal adversarial {@code best} lies
     * within ε gets it; the others stay clean (the attack found nothing that small).
     *
     * @param best    per-image minimal adversarials (any value for images where {@code found} is false)
     * @param found   whether a misclassified {@code best} was found for the image
     */
    public static Adversarials fromMinimal(float[] clean, float[] best, boolean[] found, int imageSize, Norm norm,
                                           double[] epsilons, double queries) {
        int n = found.length;
        double[] minimal = new double[n];
        for (int i = 0; i < n; i++) {
            minimal[i] = found[i] ? norm.distance(best, clean, i, imageSize) : Double.POSITIVE_INFINITY;
        }
        float[][] pixels = new float[epsilons.length][];
        for (int e = 0; e < epsilons.length; e++) {
            float[] out = clean.clone();
            for (int i = 0; i < n; i++) {
                if (minimal[i] <= epsilons[e]) {
                    System.arraycopy(best, i * imageSize, out, i * imageSize, imageSize);
                }
            }
            pixels[e] = out;
        }
        return new Adversarials(epsilons, pixels, minimal, queries);
    }

    @Override
    public String toString() {
        return "Adversarials" + Arrays.toString(epsilons);
    }
}
