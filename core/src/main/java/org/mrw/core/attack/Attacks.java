package org.mrw.core.attack;

import java.util.List;
import java.util.Locale;

/** The attack registry: names as used on the command line, in specs and in results. */
public final class Attacks {

    /** Every attack name, white-box first. */
    public static final List<String> NAMES = List.of("fgsm", "bim", "pgd", "deepfool", "cw");

    private Attacks() {
    }

    /** Creates an attack by name with the given settings (nulls take the attack's defaults). */
    public static Attack create(String name, AttackSettings s) {
        String id = name.trim().toLowerCase(Locale.ROOT);
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
            default -> throw new AttackException("unknown attack '" + name + "'; choose one of " + String.join(", ", NAMES));
        };
    }
}
