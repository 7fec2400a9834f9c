package org.mrw.core.attack;

import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;

/**
 * An adversarial attack: for one batch and a sweep of budgets ε it returns one adversarial batch per ε.
 * Fixed-budget attacks (FGSM, BIM, PGD, Square) reuse work across the sweep where the maths allows;
 * minimisation attacks (DeepFool, C&amp;W, Boundary, HopSkipJump) search each image's smallest
 * perturbation once and answer every ε from it. Every adversarial lies in [0,1] and within its ε in
 * {@link #norm()}. Success is not decided here but by evaluating the adversarials
 * ({@link AttackRunner}), so a claimed success is always a real misclassification.
 */
public interface Attack {

    /** What kind of attack this is; the accessors below read it. */
    AttackTraits traits();

    /** Short id used on the command line and in results, e.g. {@code pgd}. */
    default String name() {
        return traits().name();
    }

    /** The norm ε is measured in. */
    default Norm norm() {
        return traits().norm();
    }

    /** What the attack needs from the model. */
    default Access access() {
        return traits().access();
    }

    /** Whether a {@link Goal#targeted} goal is supported. */
    default boolean supportsTargeted() {
        return traits().targeted();
    }

    /** True for minimisation attacks, which return per-image minimal perturbations. */
    default boolean minimizes() {
        return traits().minimizes();
    }

    /**
     * Attacks one batch for every budget of the sweep.
     *
     * @param model     the model attacked; a {@code GradientClassifier} when {@link #access()} is GRADIENTS
     * @param clean     the clean images
     * @param goal      true labels, and targets for a targeted attack
     * @param epsilons  budgets in {@link #norm()}, each {@code >= 0}
     * @param context   seed, cancellation and progress for this batch
     */
    Adversarials generate(Classifier model, ImageBatch clean, Goal goal, double[] epsilons, AttackContext context);

    /** A one-line description with the settings, for logs and result records. */
    String describe();
}
