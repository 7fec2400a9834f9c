package org.mrw.core.attack;

import java.util.regex.Pattern;

/** How a user writes a budget ε: a number, or "unbounded" for minimisation attacks (spec files and CLI agree). */
public final class Budgets {

    private static final Pattern UNBOUNDED = Pattern.compile("(?i)\\+?(\\.?inf(inity)?|∞)");

    private Budgets() {
    }

    /**
     * A budget from text: a decimal number, or {@code inf}, {@code .inf} (YAML), {@code Infinity} or
     * {@code ∞} for unbounded.
     *
     * @throws NumberFormatException with a message naming the accepted forms
     */
    public static double parse(String text) {
        String t = text.trim();
        if (UNBOUNDED.matcher(t).matches()) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double v = Double.parseDouble(t);
            if (Double.isNaN(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new NumberFormatException("'" + text + "' is not a budget: write a number such as 0.03, or inf for unbounded");
        }
    }
}
