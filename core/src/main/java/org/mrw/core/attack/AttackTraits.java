package org.mrw.core.attack;

/**
 * What kind of attack an {@link Attack} is, in one value: how results name it, the norm its budgets
 * are measured in, what it needs from the model, whether it takes a target class, and whether it
 * minimises (returns each image's smallest perturbation, answering every ε at once).
 */
public record AttackTraits(String name, Norm norm, Access access, boolean targeted, boolean minimizes) {

    /** A fixed-budget attack (FGSM, BIM/PGD, Square): one adversarial per ε. */
    static AttackTraits fixedBudget(String name, Norm norm, Access access) {
        return new AttackTraits(name, norm, access, true, false);
    }

    /** A minimisation attack (DeepFool, C&amp;W, Boundary, HopSkipJump). */
    static AttackTraits minimising(String name, Norm norm, Access access, boolean targeted) {
        return new AttackTraits(name, norm, access, targeted, true);
    }
}
