package org.mrw.core.attack;

import java.util.Arrays;
import java.util.Objects;

/**
 * What counts as success for each image: any class but the true one (untargeted), or one chosen class
 * (targeted).
 *
 * @param labels  true class of every image
 * @param targets class each image must be pushed into, or null for an untargeted attack
 */
public record Goal(int[] labels, int[] targets) {

    public Goal {
        Objects.requireNonNull(labels, "labels");
        if (targets != null) {
            if (targets.length != labels.length) {
                throw new IllegalArgumentException(targets.length + " targets for " + labels.length + " images");
            }
            for (int i = 0; i < labels.length; i++) {
                if (targets[i] == labels[i]) {
                    throw new IllegalArgumentException("image " + i + ": target class " + targets[i] + " is its true class");
                }
            }
        }
    }

    public static Goal untargeted(int[] labels) {
        return new Goal(labels, null);
    }

    public static Goal targeted(int[] labels, int[] targets) {
        return new Goal(labels, Objects.requireNonNull(targets, "targets"));
    }

    /** Targets {@code (label + shift) mod classes}: a simple, reproducible targeted setting. */
    public static Goal shifted(int[] labels, int shift, int classes) {
        if (shift % classes == 0) {
            throw new IllegalArgumentException("a shift of " + shift + " with " + classes + " classes targets the true class");
        }
        int[] t = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            t[i] = Math.floorMod(labels[i] + shift, classes);
        }
        return targeted(labels, t);
    }

    public boolean isTargeted() {
        return targets != null;
    }

    public int size() {
        return labels.length;
    }

    /** Whether predicting {@code predicted} for image {@code i} reaches the goal. */
    public boolean reached(int i, int predicted) {
        return targets != null ? predicted == targets[i] : predicted != labels[i];
    }

    /** {@link #reached} for every image. */
    public boolean[] reached(int[] predicted) {
        boolean[] out = new boolean[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            out[i] = reached(i, predicted[i]);
        }
        return out;
    }

    /** The goal restricted to images {@code [from, to)}. */
    public Goal slice(int from, int to) {
        return new Goal(Arrays.copyOfRange(labels, from, to), targets == null ? null : Arrays.copyOfRange(targets, from, to));
    }

    /**
     * The adversarial margin of one image from its logits: positive when the goal is reached.
     * Untargeted: best other class minus the true class; targeted: target minus best other class.
     */
    public float margin(float[] logits, int i, int classes) {
        return margin(logits, i, classes, i);
    }

    /**
     * {@link #margin(float[], int, int)} of image {@code image} judged from row {@code row} of
     * {@code logits}, for stacks of candidates whose rows are not in image order.
     */
    public float margin(float[] logits, int row, int classes, int image) {
        int base = row * classes;
        int keep = targets != null ? targets[image] : labels[image];
        float best = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            if (c != keep) {
                best = Math.max(best, logits[base + c]);
            }
        }
        float own = logits[base + keep];
        return targets != null ? own - best : best - own;
    }
}
