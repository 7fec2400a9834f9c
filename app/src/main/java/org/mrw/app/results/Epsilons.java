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
        return levels > 0 && Math.abs(eps * 255 - levels) < 1e-6 ? dec + " (" + levels + "/255)" : dec;
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
}
