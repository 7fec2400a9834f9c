package org.mrw.core.store;

/**
 * One judgement: one sample, attacked by one attack at one ε on one source model (or clean), evaluated
 * on one target. Clean baselines have {@code attack = "clean"}, {@code source = ""}, {@code epsilon = 0}.
 *
 * @param sample     index of the image in the dataset
 * @param label      its true class
 * @param source     id of the model the adversarial was generated on ("" for clean)
 * @param attack     attack name, or "clean"
 * @param epsilon    the budget (attack's norm); 0 for clean
 * @param rounded    whether the adversarial was rounded to 8-bit levels before evaluation
 * @param target     id of the target that judged it (a model in-process, or a device's runtime+model)
 * @param repetition repetition index (0-based) of the spec's repetitions
 * @param prediction the target's class
 * @param confidence softmax probability of {@code prediction}
 * @param margin     true-class logit minus the best other logit (negative when misclassified)
 * @param linf       perturbation L∞ against the clean image (0 for clean)
 * @param l2         perturbation L2 against the clean image (0 for clean)
 */
public record ResultRow(int sample, int label, String source, String attack, double epsilon, boolean rounded,
                        String target, int repetition, int prediction, float confidence, float margin,
                        float linf, float l2) {

    public static final String CLEAN = "clean";

    public boolean correct() {
        return prediction == label;
    }
}
