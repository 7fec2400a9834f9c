package org.mrw.core.attack;

import java.util.Locale;

/**
 * How a decision-based attack (Boundary, HopSkipJump) finds each image's first adversarial point, from
 * which it walks towards the clean image.
 */
public enum DecisionStart {

    /**
     * Uniform-noise draws only (Foolbox's default). For a class that the model gives to noise itself (on
     * Fashion-MNIST often "Bag") no draw is adversarial, and those images are reported as not found.
     */
    NOISE,

    /**
     * Noise first, then, for the images still without a start, the nearest (L2) other clean images of the
     * batch that reach the goal (Foolbox's {@code starting_points}, ART's {@code x_adv_init}): every image
     * whose goal some batch image reaches gets a start.
     */
    DATA;

    /** {@code noise} or {@code data}, any case. */
    public static DecisionStart parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AttackException("start must be noise or data, got '" + text + "'");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
