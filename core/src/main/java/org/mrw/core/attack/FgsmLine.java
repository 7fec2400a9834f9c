package org.mrw.core.attack;

import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;

/**
 * The FGSM adversarials of one batch for any ε: {@code clip(x + ε·sign(∇x loss))}. The gradient is
 * taken once, so sliding ε (the workbench's demo) costs no backward pass, exactly as {@link Fgsm}
 * reuses one gradient for a whole sweep.
 */
public final class FgsmLine {

    private final ImageBatch clean;
    private final float[] gradient;

    private FgsmLine(ImageBatch clean, float[] gradient) {
        this.clean = clean;
        this.gradient = gradient;
    }

    /** Takes the loss gradient of {@code clean} against its true labels on {@code source}. */
    public static FgsmLine of(GradientClassifier source, ImageBatch clean) {
        return new FgsmLine(clean, source.lossGradient(clean, clean.labels()).gradient().clone());
    }

    /** A line from a known gradient (same length as the batch's pixels). */
    public static FgsmLine of(ImageBatch clean, float[] gradient) {
        if (gradient.length != clean.pixels().length) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " values for " + clean.pixels().length + " pixels");
        }
        return new FgsmLine(clean, gradient.clone());
    }

    public ImageBatch clean() {
        return clean;
    }

    /** The L∞ FGSM adversarials at {@code epsilon} (the clean batch at 0). */
    public ImageBatch at(double epsilon) {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
        float[] x = clean.pixels().clone();
        if (epsilon > 0) {
            Perturbations.step(x, gradient, clean.size(), clean.imageSize(), Norm.LINF, epsilon, 1);
            Perturbations.project(x, clean.pixels(), clean.size(), clean.imageSize(), Norm.LINF, epsilon);
        }
        return clean.withPixels(x);
    }
}
