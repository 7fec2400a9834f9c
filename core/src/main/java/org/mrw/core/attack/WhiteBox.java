package org.mrw.core.attack;

import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;

/** Checks shared by the gradient attacks. */
final class WhiteBox {

    private WhiteBox() {
    }

    /** The model as a {@link GradientClassifier}, or a message saying how to get one. */
    static GradientClassifier gradients(Attack attack, Classifier model) {
        if (model instanceof GradientClassifier g && g.differentiable()) {
            return g;
        }
        if (model instanceof GradientClassifier && model.info().variant() != org.mrw.core.model.Variant.INT8) {
            throw new AttackException(attack.name() + " needs input gradients, but " + model.info().id()
                    + " was loaded for inference only; load it with Models.loadDifferentiable");
        }
        throw new AttackException(attack.name() + " needs input gradients, but " + model.info().id() + " ("
                + model.info().format().displayName() + ", " + model.info().variant().name().toLowerCase(java.util.Locale.ROOT)
                + ") gives none: attack its float PyTorch or TensorFlow twin and transfer, or use a black-box attack "
                + "(boundary, hopskipjump, square)");
    }

    /** The labels the loss is computed against: true labels (ascend) or targets (descend). */
    static int[] lossLabels(Goal goal) {
        return goal.isTargeted() ? goal.targets() : goal.labels();
    }

    /** +1 to ascend the loss of the true class, -1 to descend towards the target. */
    static int direction(Goal goal) {
        return goal.isTargeted() ? -1 : 1;
    }

    /** Budgets must be finite and >= 0 for fixed-budget attacks. */
    static void checkEpsilons(double[] epsilons) {
        checkEpsilons(epsilons, false);
    }

    /**
     * Budgets must be >= 0; {@code unboundedAllowed} lets minimisation attacks take +∞, meaning "the
     * minimal adversarial, however large" (the study's unbounded Boundary attack).
     */
    static void checkEpsilons(double[] epsilons, boolean unboundedAllowed) {
        if (epsilons.length == 0) {
            throw new AttackException("no budgets given: pass at least one ε");
        }
        for (double e : epsilons) {
            if (!(e >= 0) || (Double.isInfinite(e) && !unboundedAllowed)) {
                throw new AttackException("every ε must be a number >= 0" + (unboundedAllowed ? " (or inf)" : ", finite for this attack")
                        + ", got " + e);
            }
        }
    }

    /** Images {@code images} of a batch as a new batch (labels included), for passes on a subset. */
    static ImageBatch subset(ImageBatch batch, float[] pixels, int[] images) {
        int[] labels = new int[images.length];
        for (int a = 0; a < images.length; a++) {
            labels[a] = batch.labels()[images[a]];
        }
        return new ImageBatch(Perturbations.gather(pixels, images, batch.imageSize()), labels,
                batch.channels(), batch.height(), batch.width());
    }

    /**
     * Which claimed adversarials the model really sends to the goal, judged on the whole batch as
     * {@link AttackRunner} will judge them: a minimisation attack reports only what the runner confirms.
     */
    static boolean[] confirmed(Classifier model, ImageBatch clean, float[] adversarials, boolean[] claimed, Goal goal) {
        int[] predicted = model.predict(clean.withPixels(adversarials));
        boolean[] out = new boolean[claimed.length];
        for (int i = 0; i < claimed.length; i++) {
            out[i] = claimed[i] && goal.reached(i, predicted[i]);
        }
        return out;
    }

    /** Logit-based attacks index logits by label: an unknown (-1) or out-of-range label is a caller error. */
    static void checkLabels(int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new AttackException("image " + i + " has label " + labels[i] + ", outside 0.." + (classes - 1)
                        + ": the attack needs every image's true class");
            }
        }
    }
}
