package org.mrw.core.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.stats.Interval;
import org.mrw.core.stats.Statistic;
import org.mrw.core.store.ResultRow;

/**
 * Per-target robustness metrics over result rows, each with a bootstrap interval over samples.
 *
 * <p>Rows are grouped by (target, {@link Condition}); clean rows are not a group of their own but the
 * baseline: a sample counts as "right when clean" for a target from that target's clean row of the same
 * repetition, or, if the clean pass was run only once, from its clean row of the lowest repetition.
 * Success rate and flips therefore use each target's own clean baseline, so a quantized target's clean
 * errors are never counted as attack successes (the study's flaw: PAPER.md, "Where it leaves room").
 *
 * <p>Repetitions: one record per repetition, and one {@link GroupMetrics#POOLED} record per group in
 * which every per-sample quantity is first averaged over that sample's repetitions (e.g. a sample right
 * in 2 of 3 repetitions contributes 2/3 to the accuracy) and the samples are then resampled. Samples, not
 * judgements, are the resampling unit: repetitions of one image are not independent evidence. For the
 * success rate a sample's value is averaged over the repetitions in which it was right when clean;
 * flips pooled are expected counts per repetition.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * Metrics for every (target, attack condition) in {@code rows}: per repetition first, then pooled,
     * groups ordered by target and condition.
     *
     * @throws IllegalArgumentException if a (target, condition, repetition, sample) is judged twice
     */
    public static List<GroupMetrics> of(List<ResultRow> rows, Bootstrap bootstrap) {
        Objects.requireNonNull(bootstrap, "bootstrap");
        // target → sample → repetition → clean row correct
        Map<String, Map<Integer, NavigableMap<Integer, Boolean>>> clean = new TreeMap<>();
        // (target, condition) → repetition → sample → row
        Map<Group, NavigableMap<Integer, Map<Integer, ResultRow>>> groups = new TreeMap<>();
        for (ResultRow row : rows) {
            if (ResultRow.CLEAN.equals(row.attack())) {
                Boolean before = clean.computeIfAbsent(row.target(), t -> new TreeMap<>())
                        .computeIfAbsent(row.sample(), s -> new TreeMap<>()).put(row.repetition(), row.correct());
                if (before != null) {
                    throw duplicate(row);
                }
            } else {
                ResultRow before = groups.computeIfAbsent(new Group(row.target(), Condition.of(row)), g -> new TreeMap<>())
                        .computeIfAbsent(row.repetition(), r -> new TreeMap<>()).put(row.sample(), row);
                if (before != null) {
                    throw duplicate(row);
                }
            }
        }
        List<GroupMetrics> out = new ArrayList<>();
        for (Map.Entry<Group, NavigableMap<Integer, Map<Integer, ResultRow>>> e : groups.entrySet()) {
            Map<Integer, NavigableMap<Integer, Boolean>> baseline = clean.getOrDefault(e.getKey().target(), Map.of());
            for (Map.Entry<Integer, Map<Integer, ResultRow>> rep : e.getValue().entrySet()) {
                out.add(compute(e.getKey(), rep.getKey(), Map.of(rep.getKey(), rep.getValue()), baseline, bootstrap));
            }
            out.add(compute(e.getKey(), GroupMetrics.POOLED, e.getValue(), baseline, bootstrap));
        }
        return out;
    }

    private static GroupMetrics compute(Group group, int repetition, Map<Integer, Map<Integer, ResultRow>> byRepetition,
                                        Map<Integer, NavigableMap<Integer, Boolean>> baseline, Bootstrap bootstrap) {
        Set<Integer> samples = new TreeSet<>();
        byRepetition.values().forEach(m -> samples.addAll(m.keySet()));
        Values accuracy = new Values();
        Values cleanAccuracy = new Values();
        Values success = new Values();
        Values toWrong = new Values();
        Values toCorrect = new Values();
        Values l2 = new Values();
        Values fooledL2 = new Values();
        Values unperturbed = new Values();
        Values linf = new Values();
        for (int sample : samples) {
            Mean acc = new Mean();
            Mean cleanAcc = new Mean();
            Mean succ = new Mean();
            Mean wrong = new Mean();
            Mean right = new Mean();
            Mean dl2 = new Mean();
            Mean dl2Fooled = new Mean();
            Mean unchanged = new Mean();
            Mean dlinf = new Mean();
            for (Map.Entry<Integer, Map<Integer, ResultRow>> rep : byRepetition.entrySet()) {
                ResultRow row = rep.getValue().get(sample);
                if (row == null) {
                    continue;
                }
                acc.add(row.correct());
                dl2.add(row.l2());
                unchanged.add(row.l2() == 0 && row.linf() == 0);
                dlinf.add(row.linf());
                Boolean wasRight = cleanCorrect(baseline.get(sample), rep.getKey());
                if (wasRight != null) {
                    cleanAcc.add(wasRight);
                    wrong.add(wasRight && !row.correct());
                    right.add(!wasRight && row.correct());
                    if (wasRight) {
                        succ.add(!row.correct());
                        if (!row.correct()) {
                            dl2Fooled.add(row.l2());
                        }
                    }
                }
            }
            accuracy.add(acc);
            l2.add(dl2);
            fooledL2.add(dl2Fooled);
            unperturbed.add(unchanged);
            linf.add(dlinf);
            cleanAccuracy.add(cleanAcc);
            toWrong.add(wrong);
            toCorrect.add(right);
            success.add(succ);
        }
        return new GroupMetrics(group.target(), group.condition(), repetition, byRepetition.size(), samples.size(),
                bootstrap.interval(cleanAccuracy.array(), Statistic.MEAN),
                bootstrap.interval(accuracy.array(), Statistic.MEAN),
                bootstrap.interval(success.array(), Statistic.MEAN),
                bootstrap.interval(toWrong.array(), Statistic.SUM),
                bootstrap.interval(toCorrect.array(), Statistic.SUM),
                bootstrap.interval(unperturbed.array(), Statistic.SUM),
                bootstrap.interval(l2.array(), Statistic.MEAN),
                bootstrap.interval(l2.array(), Statistic.MEDIAN),
                bootstrap.interval(fooledL2.array(), Statistic.MEDIAN),
                bootstrap.interval(linf.array(), Statistic.MEAN),
                bootstrap.interval(linf.array(), Statistic.MEDIAN));
    }

    /** The clean judgement of the same repetition, else of the lowest repetition judged clean; null if none. */
    static Boolean cleanCorrect(NavigableMap<Integer, Boolean> byRepetition, int repetition) {
        if (byRepetition == null || byRepetition.isEmpty()) {
            return null;
        }
        Boolean same = byRepetition.get(repetition);
        return same != null ? same : byRepetition.firstEntry().getValue();
    }

    private static IllegalArgumentException duplicate(ResultRow row) {
        return new IllegalArgumentException("judged twice: target " + row.target() + ", " + Condition.of(row)
                + ", repetition " + row.repetition() + ", sample " + row.sample());
    }

    private record Group(String target, Condition condition) implements Comparable<Group> {
        private static final Comparator<Group> ORDER = Comparator.comparing(Group::target)
                .thenComparing(Group::condition);

        @Override
        public int compareTo(Group o) {
            return ORDER.compare(this, o);
        }
    }

    /** A running mean of one sample's values over its repetitions. */
    private static final class Mean {
        private double sum;
        private int count;

        void add(boolean v) {
            add(v ? 1 : 0);
        }

        void add(double v) {
            sum += v;
            count++;
        }
    }

    /** Per-sample values; samples with no value for a quantity are left out of it. */
    private static final class Values {
        private final List<Double> values = new ArrayList<>();

        void add(Mean m) {
            if (m.count > 0) {
                values.add(m.sum / m.count);
            }
        }

        double[] array() {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
