package org.mrw.core.attack;

/**
 * User-facing knobs; a null field means "the attack's default". Each attack reads the ones that apply.
 *
 * @param norm        linf or l2 where the attack offers both
 * @param steps       iterations (PGD/BIM/DeepFool/C&amp;W/Boundary/HopSkipJump) or queries per image and ε (Square)
 * @param stepRatio   PGD/BIM step as a fraction of ε
 * @param randomStart PGD random start
 * @param directions  Boundary: proposals per image per step (1 is Foolbox 3's design: 2 queries a step)
 * @param start       Boundary/HopSkipJump: how the first adversarial is found (default noise)
 */
public record AttackSettings(Norm norm, Integer steps, Double stepRatio, Boolean randomStart, Integer directions,
                             DecisionStart start) {

    public static final AttackSettings DEFAULTS = new AttackSettings(null, null, null, null, null, null);

    public AttackSettings(Norm norm, Integer steps, Double stepRatio, Boolean randomStart, Integer directions) {
        this(norm, steps, stepRatio, randomStart, directions, null);
    }

    public AttackSettings(Norm norm, Integer steps, Double stepRatio, Boolean randomStart) {
        this(norm, steps, stepRatio, randomStart, null);
    }

    Norm normOr(Norm fallback) {
        return norm != null ? norm : fallback;
    }

    DecisionStart startOr(DecisionStart fallback) {
        return start != null ? start : fallback;
    }

    int stepsOr(int fallback) {
        return steps != null ? steps : fallback;
    }
}
