package org.mrw.core.attack;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The attack registry: names as used on the command line, in specs and in results. */
public final class Attacks {

    /** Every attack name, white-box first. */
    public static final List<String> NAMES = List.of("fgsm", "bim", "pgd", "deepfool", "cw", "boundary", "hopskipjump",
            "square");

    /** The one norm each black-box attack is implemented in. */
    private static final Map<String, Norm> BLACK_BOX_NORMS = Map.of("boundary", Norm.L2, "hopskipjump", Norm.L2, "hsj", Norm.L2,
            "square", Norm.LINF);

    /** The attacks that read {@link AttackSettings#start()}: the decision-based ones. */
    private static final Set<String> DECISION_BASED = Set.of("boundary", "hopskipjump", "hsj");

    private Attacks() {
    }

    /** Creates an attack by name with the given settings (nulls take the attack's defaults). */
    public static Attack create(String name, AttackSettings s) {
        String id = name.trim().toLowerCase(Locale.ROOT);
        if (s.norm() != null && BLACK_BOX_NORMS.containsKey(id) && s.norm() != BLACK_BOX_NORMS.get(id)) {
            throw new AttackException(id + " is " + BLACK_BOX_NORMS.get(id).id() + " only; drop --norm " + s.norm().id());
        }
        if (s.start() != null && !DECISION_BASED.contains(id)) {
            throw new AttackException("start applies to boundary and hopskipjump only, not " + id);
        }
        return switch (id) {
            case "fgsm", "fgm" -> new Fgsm(s.normOr(Norm.LINF));
            case "bim" -> {
                if (s.norm() == Norm.L2) {
                    throw new AttackException("bim is L∞ by definition; use pgd --norm l2");
                }
                yield new Pgd("bim", Norm.LINF, s.stepsOr(10), s.stepRatio() != null ? s.stepRatio() : 0.25, false);
            }
            case "pgd" -> new Pgd("pgd", s.normOr(Norm.LINF), s.stepsOr(10), s.stepRatio() != null ? s.stepRatio() : 0.25,
                    Boolean.TRUE.equals(s.randomStart()));
            case "deepfool" -> new DeepFool(s.normOr(Norm.L2), s.stepsOr(DeepFool.DEFAULT_STEPS), DeepFool.DEFAULT_OVERSHOOT,
                    DeepFool.ALL_CLASSES);
            case "cw", "carlini-wagner" -> {
                if (s.norm() == Norm.LINF) {
                    throw new AttackException("cw is the L2 attack of Carlini and Wagner; use deepfool --norm linf or pgd");
                }
                yield new CarliniWagner(CarliniWagner.DEFAULT_SEARCH_STEPS, s.stepsOr(CarliniWagner.DEFAULT_ITERATIONS),
                        CarliniWagner.DEFAULT_INITIAL_CONST, CarliniWagner.DEFAULT_CONFIDENCE, CarliniWagner.DEFAULT_LEARNING_RATE);
            }
            case "boundary" -> new BoundaryAttack(s.stepsOr(BoundaryAttack.DEFAULT_STEPS),
                    s.directions() != null ? s.directions() : BoundaryAttack.DEFAULT_DIRECTIONS, s.startOr(DecisionStart.NOISE));
            case "hopskipjump", "hsj" -> new HopSkipJump(s.stepsOr(HopSkipJump.DEFAULT_STEPS), HopSkipJump.DEFAULT_INITIAL_EVALS,
                    HopSkipJump.DEFAULT_MAX_EVALS, s.startOr(DecisionStart.NOISE));
            case "square" -> new SquareAttack(s.stepsOr(SquareAttack.DEFAULT_QUERIES), SquareAttack.DEFAULT_P_INIT);
            default -> throw new AttackException("unknown attack '" + name + "'; choose one of " + String.join(", ", NAMES));
        };
    }
}
