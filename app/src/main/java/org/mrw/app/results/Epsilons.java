package org.mrw.app.results;

import java.util.Locale;
import org.mrw.core.analysis.Condition;

/** ε and conditions as the workbench writes them: always both ways, {@code 0.0314 (8/255)}. */
final class Epsilons {

    private Epsilons() {
    }

    static String format(double eps) {
        if (Double.isInfinite(eps)) {
            return "∞";
        }
        String dec = String.format(Locale.ROOT, "%.4g", eps).replaceAll("0+$", "").replaceAll("\\.$", "");
        long levels = Math.round(eps * 255);
        // float32 perturbations miss k/255 by ~1e-5 levels; a thousandth of a level is still "k/255"
        return levels > 0 && Math.abs(eps * 255 - levels) < 1e-3 ? dec + " (" + levels + "/255)" : dec;
    }

    /** "fgsm on resnet_float_pt · ε 0.03137 (8/255) · 8-bit", or "clean images". */
    static String condition(Condition c) {
        if (c == null) {
            return "all conditions";
        }
        if (c.clean()) {
            return "clean images";
        }
        return c.attack() + " on " + c.source() + " · ε " + format(c.epsilon()) + (c.rounded() ? " · 8-bit" : " · float");
    }

    /** "bim · ε 4/255 · float" (the source too when the run has several): for table cells. */
    static String shortCondition(Condition c, boolean withSource) {
        if (c.clean()) {
            return "clean";
        }
        return c.attack() + (withSource ? " on " + c.source() : "") + " · ε " + compact(c.epsilon()) + (c.rounded() ? " · 8-bit" : " · float");
    }

    /** "4/255" when ε is a whole number of 8-bit levels, else 3 significant digits: where room is short. */
    static String compact(double eps) {
        long levels = Math.round(eps * 255);
        return levels > 0 && Math.abs(eps * 255 - levels) < 1e-3 ? levels + "/255"
                : String.format(Locale.ROOT, "%.3g", eps);
    }
}
