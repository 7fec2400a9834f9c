package org.mrw.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.stats.Interval;
import org.mrw.core.stats.Statistic;
import org.mrw.core.store.ResultRow;

/**
 * Robustness against an L2 budget, from a minimisation attack run unbounded (ε = ∞, e.g. Boundary): each
 * sample's adversarial is the smallest the attack found, so a target's accuracy had the attacker been
 * held to a budget {@code t} is, per sample, its judgement of the adversarial when that adversarial's L2
 * is at most {@code t}, and its clean judgement otherwise. At {@code t = 0} this is the clean accuracy, past
 * the largest perturbation it is the accuracy under the attack. One run answers every budget.
 *
 * <p>For a target other than the source the adversarial is a transfer: the curve says how often the
 * source's minimal adversarials within the budget fool that target. The success rate at {@code t} is over
 * the samples the target got right when clean, as in {@link Metrics}. Samples without a clean row for the
 * target are left out. Repetitions are averaged per sample before the samples are resampled.
 */
public final class BudgetCurves {

    /** One point: the value at an L2 budget, with its bootstrap interval over samples. */
    public record Point(double budget, Interval value) {
    }

    /** A target's curve under one unbounded condition. */
    public record Series(String target, Condition condition, List<Point> points) {

        public Series {
            points = List.copyOf(points);
        }
    }

    /** Share of the pooled perturbations that decide the axis end (the rest are a long tail). */
    static final double AXIS_QUANTILE = 0.98;

    private BudgetCurves() {
    }

    /**
     * The curves of every (target, condition) with ε = ∞ that {@code accept} takes, on one budget grid
     * shared by all of them: {@code points} budgets evenly from 0 to the {@value #AXIS_QUANTILE} quantile of
     * the L2 norms of the adversarials that fooled their target (outliers past it would flatten the rest).
     *
     * @param success the attack success rate instead of the accuracy
     * @param points  budgets on the grid, 2..1000
     */
    public static List<Series> of(List<ResultRow> rows, Predicate<Condition> accept, boolean success, int points,
                                  Bootstrap bootstrap) {
        Objects.requireNonNull(bootstrap, "bootstrap");
        if (points < 2 || points > 1000) {
            throw new IllegalArgumentException("points must be in 2..1000, got " + points);
        }
        // target → sample → repetition → clean judgement
        Map<String, Map<Integer, NavigableMap<Integer, Boolean>>> clean = new TreeMap<>();
        // "target\0condition" → rows
        Map<String, List<ResultRow>> groups = new TreeMap<>();
        Map<String, Condition> conditions = new TreeMap<>();
        for (ResultRow row : rows) {
            if (ResultRow.CLEAN.equals(row.attack())) {
                clean.computeIfAbsent(row.target(), t -> new TreeMap<>())
                        .computeIfAbsent(row.sample(), s -> new TreeMap<>()).put(row.repetition(), row.correct());
                continue;
            }
            Condition c = Condition.of(row);
            if (Double.isInfinite(c.epsilon()) && accept.test(c)) {
                String key = row.target() + '\0' + c.source() + '\0' + c.attack() + '\0' + c.rounded();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
                conditions.putIfAbsent(key, c);
            }
        }
        double end = axisEnd(groups.values(), clean);
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, List<ResultRow>> e : groups.entrySet()) {
            String target = e.getValue().get(0).target();
            Map<Integer, NavigableMap<Integer, Boolean>> baseline = clean.getOrDefault(target, Map.of());
            List<Point> curve = new ArrayList<>(points);
            for (int k = 0; k < points; k++) {
                double budget = end * k / (points - 1);
                curve.add(new Point(budget, bootstrap.interval(perSample(e.getValue(), baseline, budget, success), Statistic.MEAN)));
            }
            out.add(new Series(target, conditions.get(e.getKey()), curve));
        }
        return out;
    }

    /** Each sample's value at {@code budget}, averaged over its repetitions. */
    private static double[] perSample(List<ResultRow> rows, Map<Integer, NavigableMap<Integer, Boolean>> baseline,
                                      double budget, boolean success) {
        Map<Integer, double[]> sums = new TreeMap<>(); // sample → {sum, count}
        for (ResultRow r : rows) {
            Boolean wasRight = Metrics.cleanCorrect(baseline.get(r.sample()), r.repetition());
            if (wasRight == null || (success && !wasRight)) {
                continue;
            }
            boolean within = r.l2() <= budget;
            double v = success ? (within && !r.correct() ? 1 : 0) : (within ? (r.correct() ? 1 : 0) : (wasRight ? 1 : 0));
            double[] s = sums.computeIfAbsent(r.sample(), x -> new double[2]);
            s[0] += v;
            s[1]++;
        }
        return sums.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
    }

    /** The grid's end: a high quantile of the L2 of adversarials that fooled a target right when clean. */
    private static double axisEnd(Iterable<List<ResultRow>> groups, Map<String, Map<Integer, NavigableMap<Integer, Boolean>>> clean) {
        List<Double> fooling = new ArrayList<>();
        double largest = 0;
        for (List<ResultRow> g : groups) {
            for (ResultRow r : g) {
                if (!Float.isFinite(r.l2())) {
                    continue;
                }
                largest = Math.max(largest, r.l2());
                Boolean wasRight = Metrics.cleanCorrect(clean.getOrDefault(r.target(), Map.of()).get(r.sample()), r.repetition());
                if (Boolean.TRUE.equals(wasRight) && !r.correct()) {
                    fooling.add((double) r.l2());
                }
            }
        }
        if (fooling.isEmpty()) {
            return largest > 0 ? largest : 1;
        }
        double[] sorted = fooling.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        double q = sorted[(int) Math.min(sorted.length - 1, Math.ceil(AXIS_QUANTILE * sorted.length) - 1)];
        return q > 0 ? q : sorted[sorted.length - 1] > 0 ? sorted[sorted.length - 1] : 1;
    }
}
