package org.mrw.core.figure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mrw.core.analysis.BudgetCurves;
import org.mrw.core.analysis.GroupMetrics;
import org.mrw.core.model.Variant;
import org.mrw.core.stats.Interval;

/**
 * Robustness curves from a run's metrics: one curve per target × source × attack, the value against ε.
 * The CLI's {@code report --figure} and the workbench's Results view draw the same curves from here.
 */
public final class ReportCurves {

    /** Which metrics become curves; null attack or source means any. */
    public record Filter(boolean success, boolean rounded, String attack, String source) {

        public static Filter accuracy() {
            return new Filter(false, false, null, null);
        }

        public Filter withSuccess(boolean s) {
            return new Filter(s, rounded, attack, source);
        }

        public Filter withRounded(boolean r) {
            return new Filter(success, r, attack, source);
        }

        public Filter withAttack(String a) {
            return new Filter(success, rounded, a, source);
        }

        public Filter withSource(String s) {
            return new Filter(success, rounded, attack, s);
        }

        boolean accepts(GroupMetrics m) {
            return m.pooled() && m.condition().rounded() == rounded && !Double.isInfinite(m.condition().epsilon())
                    && (attack == null || attack.equals(m.condition().attack()))
                    && (source == null || source.equals(m.condition().source()));
        }
    }

    private ReportCurves() {
    }

    /**
     * The curves of the pooled metrics the filter accepts, for the float (or rounded) adversarials; for
     * accuracy, ε = 0 is the target's clean accuracy on the same images. Rounded adversarials are placed at
     * their effective ε (the mean L∞ of the rounded perturbations), not the nominal one. Unbounded-ε
     * attacks have no curve here (see {@link #budget}).
     */
    public static List<Curve> of(List<GroupMetrics> metrics, Filter filter) {
        Map<String, List<Curve.Point>> points = new TreeMap<>();
        Map<String, GroupMetrics> any = new TreeMap<>();
        for (GroupMetrics m : metrics) {
            if (!filter.accepts(m)) {
                continue;
            }
            String key = label(m.target(), m.condition().source(), m.condition().attack());
            Interval a = filter.success() ? m.successRate() : m.adversarialAccuracy();
            if (!Double.isFinite(a.estimate())) {
                continue;
            }
            // 8-bit rounding moves the perturbation: rounded curves sit at the effective ε (mean L∞ judged)
            double x = filter.rounded() && Double.isFinite(m.meanLinf().estimate()) ? m.meanLinf().estimate() : m.condition().epsilon();
            points.computeIfAbsent(key, k -> new ArrayList<>()).add(new Curve.Point(x, a.estimate(), a.lower(), a.upper()));
            any.putIfAbsent(key, m);
        }
        List<Curve> curves = new ArrayList<>();
        for (Map.Entry<String, List<Curve.Point>> e : points.entrySet()) {
            GroupMetrics first = any.get(e.getKey());
            String target = first.target();
            Interval clean = first.cleanAccuracy();
            if (!filter.success() && Double.isFinite(clean.estimate()) && e.getValue().stream().noneMatch(p -> p.epsilon() == 0)) {
                e.getValue().add(new Curve.Point(0, clean.estimate(), clean.lower(), clean.upper()));
            }
            e.getValue().sort(Comparator.comparingDouble(Curve.Point::epsilon));
            curves.add(new Curve(e.getKey(), framework(target), variant(target), platform(target), e.getValue()));
        }
        return curves;
    }

    /**
     * Curves against an L2 budget, from unbounded minimisation attacks ({@link BudgetCurves}): the
     * points' {@link Curve.Point#epsilon()} is the budget.
     */
    public static List<Curve> budget(List<BudgetCurves.Series> series) {
        List<Curve> curves = new ArrayList<>();
        for (BudgetCurves.Series s : series) {
            List<Curve.Point> points = new ArrayList<>();
            for (BudgetCurves.Point p : s.points()) {
                Interval v = p.value();
                if (Double.isFinite(v.estimate())) {
                    boolean band = Double.isFinite(v.lower()) && Double.isFinite(v.upper());
                    points.add(new Curve.Point(p.budget(), v.estimate(), band ? v.lower() : Double.NaN, band ? v.upper() : Double.NaN));
                }
            }
            if (!points.isEmpty()) {
                String target = s.target();
                curves.add(new Curve(label(target, s.condition().source(), s.condition().attack()), framework(target), variant(target),
                        platform(target), points));
            }
        }
        curves.sort(Comparator.comparing(Curve::label));
        return curves;
    }

    /** A curve's label: "target ← source attack". */
    public static String label(String target, String source, String attack) {
        return target + " ← " + source + " " + attack;
    }

    /** The framework family from a zoo id, file name or device target (ids and names say their format). */
    public static String framework(String target) {
        String t = target.toLowerCase(Locale.ROOT);
        if (t.contains("tflite") || t.contains("savedmodel")) {
            return "TensorFlow";
        }
        if (t.contains("onnx")) {
            return "ONNX";
        }
        return "PyTorch";
    }

    /** int8 when the target's name says so. */
    public static Variant variant(String target) {
        return target.toLowerCase(Locale.ROOT).contains("int8") ? Variant.INT8 : Variant.FLOAT;
    }

    /**
     * Where it ran: the host device, a phone, or this PC (a mobile runtime in-process counts as mobile).
     * A run stores device targets as {@code MODEL@SERIAL} (the spec's {@code device:SERIAL/MODEL}).
     */
    public static Platform platform(String target) {
        String t = target.toLowerCase(Locale.ROOT);
        int at = t.lastIndexOf('@');
        String serial = at >= 0 ? t.substring(at + 1) : t.startsWith("device:") ? t.substring(7, Math.max(7, t.indexOf('/'))) : null;
        if ("host".equals(serial)) {
            return Platform.HOST_DEVICE;
        }
        if (serial != null || t.contains("ptl") || t.contains("tflite")) {
            return Platform.MOBILE;
        }
        return Platform.PC;
    }
}
