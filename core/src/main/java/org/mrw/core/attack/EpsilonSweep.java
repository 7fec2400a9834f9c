package org.mrw.core.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Budgets ε for a sweep, as researchers write them: evenly or logarithmically spaced over a range, or a
 * typed list such as {@code 1/255, 2/255, 0.03}. Values within a hair of a whole number of 8-bit levels
 * are snapped to exactly {@code k/255}, so a sweep made here writes the same numbers as a hand-typed one
 * and every ε can be shown both ways ({@code 0.0314} and {@code 8/255}).
 */
public final class EpsilonSweep {

    /** How values between the ends of a range are spaced. */
    public enum Spacing {
        /** Equal differences: 0, 2/255, 4/255, … */
        LINEAR,
        /** Equal ratios: 1/255, 2/255, 4/255, … (needs ε &gt; 0 at the low end). */
        LOG
    }

    /** One 8-bit level, the smallest change an 8-bit image can hold. */
    public static final double LEVEL = 1.0 / 255;
    /** Most values a sweep may have (each ε costs a judging pass on every target). */
    public static final int MAX_VALUES = 1000;
    /** How close (in levels) a value must be to a whole level to count as one. */
    private static final double SNAP = 1e-9;

    private EpsilonSweep() {
    }

    /**
     * {@code steps} values from {@code from} to {@code to}, both included (one step gives {@code to}).
     *
     * @throws IllegalArgumentException with a plain message when the range or spacing cannot give a sweep
     */
    public static List<Double> spaced(double from, double to, int steps, Spacing spacing) {
        if (!(from >= 0) || !(to >= 0) || Double.isInfinite(from) || Double.isInfinite(to)) {
            throw new IllegalArgumentException("the range ends must be finite numbers >= 0, got " + from + " and " + to);
        }
        if (to < from) {
            throw new IllegalArgumentException("the range must go up: " + decimal(from) + " is above " + decimal(to));
        }
        if (steps < 1 || steps > MAX_VALUES) {
            throw new IllegalArgumentException("the number of steps must be in 1.." + MAX_VALUES + ", got " + steps);
        }
        if (spacing == Spacing.LOG && from == 0) {
            throw new IllegalArgumentException("log spacing needs ε > 0 at the low end (log 0 is -∞); start at 1/255 or use linear");
        }
        List<Double> out = new ArrayList<>(steps);
        if (steps == 1) {
            out.add(snap(to));
            return out;
        }
        for (int i = 0; i < steps; i++) {
            double t = (double) i / (steps - 1);
            double v = spacing == Spacing.LINEAR ? from + t * (to - from) : from * Math.pow(to / from, t);
            out.add(i == steps - 1 ? snap(to) : tidy(v));
        }
        return out;
    }

    /**
     * Parses a typed list: numbers ({@code 0.03}, {@code 3e-2}), fractions ({@code 8/255}) and {@code .inf}
     * (unbounded, for minimisation attacks), separated by commas, semicolons or spaces.
     *
     * @throws IllegalArgumentException naming the item that is no budget
     */
    public static List<Double> parse(String text) {
        List<Double> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String item : text.trim().split("[,;\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            out.add(snap(value(item)));
            if (out.size() > MAX_VALUES) {
                throw new IllegalArgumentException("more than " + MAX_VALUES + " values of ε");
            }
        }
        return out;
    }

    private static double value(String item) {
        String t = item.toLowerCase(Locale.ROOT);
        if (t.matches("\\+?\\.?inf(inity)?|∞")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            int slash = t.indexOf('/');
            double v = slash < 0 ? Double.parseDouble(t)
                    : Double.parseDouble(t.substring(0, slash)) / Double.parseDouble(t.substring(slash + 1));
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("'" + item + "' is no budget: ε must be a number >= 0 (or .inf)");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + item + "' is no number; write ε as 0.03, 8/255 or .inf");
        }
    }

    /** The value itself when it is a whole number of levels within {@link #SNAP}, else exactly {@code k/255}. */
    public static double snap(double eps) {
        if (Double.isInfinite(eps)) {
            return eps;
        }
        double levels = eps * 255;
        long k = Math.round(levels);
        return Math.abs(levels - k) < SNAP ? k / 255.0 : eps;
    }

    /** A computed value snapped to a level, else to 12 significant digits (0.02, not 0.019999999999999997). */
    private static double tidy(double v) {
        return onLevel(v) ? snap(v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(12)).doubleValue();
    }

    /** ε as a decimal with three significant digits: {@code 0.0314}, {@code 0.005}, {@code 0}, {@code ∞}. */
    public static String decimal(double eps) {
        if (Double.isInfinite(eps)) {
            return "∞";
        }
        if (eps == 0) {
            return "0";
        }
        return new java.math.BigDecimal(eps).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** ε in 8-bit levels: {@code 8/255}, or {@code 1.28/255} between levels; {@code ∞} for unbounded. */
    public static String levels(double eps) {
        if (Double.isInfinite(eps)) {
            return "∞";
        }
        double levels = eps * 255;
        long k = Math.round(levels);
        if (Math.abs(levels - k) < SNAP) {
            return k + "/255";
        }
        return new java.math.BigDecimal(levels).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString() + "/255";
    }

    /** Both forms, the way the workbench shows ε everywhere: {@code 0.0314 (8/255)}. */
    public static String label(double eps) {
        return Double.isInfinite(eps) ? "∞ (unbounded)" : decimal(eps) + " (" + levels(eps) + ")";
    }

    /** Whether ε is a whole number of 8-bit levels. */
    public static boolean onLevel(double eps) {
        return !Double.isInfinite(eps) && Math.abs(eps * 255 - Math.round(eps * 255)) < SNAP;
    }

    /**
     * The largest L∞ change left after rounding an adversarial to 8-bit levels (what saving it as a PNG
     * does), when the clean image is itself 8-bit: each pixel moves by at most ε, so by at most
     * {@code round(255·ε)} whole levels once rounded. Below half a level the perturbation vanishes.
     */
    public static double roundedLinf(double eps) {
        if (Double.isInfinite(eps)) {
            return eps;
        }
        // a change of exactly k + 0.5 levels rounds up (Math.round, as Perturbations.round8 does)
        return Math.round(eps * 255) / 255.0;
    }

    /** A list written back in the typed form: whole levels as {@code k/255}, others as decimals. */
    public static String format(List<Double> values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            // decimals keep every digit, so the list parses back to the same doubles
            parts.add(Double.isInfinite(v) ? ".inf" : v == 0 ? "0" : onLevel(v) ? levels(v) : Double.toString(v));
        }
        return String.join(", ", parts);
    }

    /**
     * Which range the values are, if they are one: the ends, the count and the spacing that give exactly
     * these values (within a relative 1e-9), linear tried first; empty for any other list.
     */
    public static java.util.Optional<Range> asRange(List<Double> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v == null || !(v >= 0) || v.isInfinite())) {
            return java.util.Optional.empty();
        }
        double from = values.get(0);
        double to = values.get(values.size() - 1);
        for (Spacing s : Spacing.values()) {
            try {
                List<Double> again = spaced(from, to, values.size(), s);
                boolean same = true;
                for (int i = 0; i < values.size() && same; i++) {
                    same = Math.abs(again.get(i) - values.get(i)) <= 1e-9 * Math.max(1e-12, Math.abs(values.get(i)));
                }
                if (same) {
                    return java.util.Optional.of(new Range(from, to, values.size(), s));
                }
            } catch (IllegalArgumentException notThisSpacing) {
                // e.g. log from 0, or a list that goes down: try the next spacing
            }
        }
        return java.util.Optional.empty();
    }

    /** A range sweep's settings. */
    public record Range(double from, double to, int steps, Spacing spacing) {

        public List<Double> values() {
            return spaced(from, to, steps, spacing);
        }
    }
}
