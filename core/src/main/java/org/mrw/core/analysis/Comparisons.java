package org.mrw.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.stats.McNemar;
import org.mrw.core.stats.Wilcoxon;
import org.mrw.core.store.ResultRow;

/**
 * Paired comparisons of two targets on the samples both judged: per {@link Condition} (the clean one
 * included, which shows clean-accuracy drift, e.g. float vs quantized) and per repetition.
 *
 * <p>Repetitions are not pooled here: McNemar's test needs one right/wrong judgement per sample and
 * target, and averaging over repetitions would break that. Repetition r of A is paired with repetition r
 * of B (same adversarial images when the spec generates them once per repetition).
 */
public final class Comparisons {

    private Comparisons() {
    }

    /**
     * One {@link Comparison} per (condition, repetition) in which both targets judged at least one common
     * sample, ordered by condition then repetition.
     *
     * @throws IllegalArgumentException if a target judges the same (condition, repetition, sample) twice
     */
    public static List<Comparison> paired(List<ResultRow> rows, String targetA, String targetB,
                                          Bootstrap bootstrap, Wilcoxon.Zeros zeros) {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(zeros, "zeros");
        if (targetA.equals(targetB)) {
            throw new IllegalArgumentException("comparing a target with itself: " + targetA);
        }
        Map<Key, Map<Integer, ResultRow>> a = index(rows, targetA);
        Map<Key, Map<Integer, ResultRow>> b = index(rows, targetB);
        List<Comparison> out = new ArrayList<>();
        for (Map.Entry<Key, Map<Integer, ResultRow>> e : a.entrySet()) {
            Map<Integer, ResultRow> other = b.get(e.getKey());
            if (other == null) {
                continue;
            }
            List<ResultRow[]> pairs = new ArrayList<>();
            for (Map.Entry<Integer, ResultRow> s : e.getValue().entrySet()) {
                ResultRow rb = other.get(s.getKey());
                if (rb != null) {
                    pairs.add(new ResultRow[] {s.getValue(), rb});
                }
            }
            if (!pairs.isEmpty()) {
                out.add(compare(targetA, targetB, e.getKey(), pairs, bootstrap, zeros));
            }
        }
        return out;
    }

    private static Comparison compare(String targetA, String targetB, Key key, List<ResultRow[]> pairs,
                                      Bootstrap bootstrap, Wilcoxon.Zeros zeros) {
        int n = pairs.size();
        boolean[] correctA = new boolean[n];
        boolean[] correctB = new boolean[n];
        List<Double> marginDifferences = new ArrayList<>();
        int rightA = 0;
        int rightB = 0;
        for (int i = 0; i < n; i++) {
            ResultRow ra = pairs.get(i)[0];
            ResultRow rb = pairs.get(i)[1];
            correctA[i] = ra.correct();
            correctB[i] = rb.correct();
            rightA += correctA[i] ? 1 : 0;
            rightB += correctB[i] ? 1 : 0;
            if (!Float.isNaN(ra.margin()) && !Float.isNaN(rb.margin())) {
                marginDifferences.add((double) ra.margin() - rb.margin());
            }
        }
        double[] d = marginDifferences.stream().mapToDouble(Double::doubleValue).toArray();
        return new Comparison(targetA, targetB, key.condition(), key.repetition(), n,
                (double) rightA / n, (double) rightB / n,
                bootstrap.accuracyDifference(correctA, correctB),
                McNemar.test(correctA, correctB),
                Wilcoxon.test(d, zeros));
    }

    private static Map<Key, Map<Integer, ResultRow>> index(List<ResultRow> rows, String target) {
        Map<Key, Map<Integer, ResultRow>> out = new TreeMap<>();
        for (ResultRow row : rows) {
            if (!row.target().equals(target)) {
                continue;
            }
            ResultRow before = out.computeIfAbsent(new Key(Condition.of(row), row.repetition()), k -> new TreeMap<>())
                    .put(row.sample(), row);
            if (before != null) {
                throw new IllegalArgumentException("judged twice: target " + target + ", " + Condition.of(row)
                        + ", repetition " + row.repetition() + ", sample " + row.sample());
            }
        }
        return out;
    }

    private record Key(Condition condition, int repetition) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = condition.compareTo(o.condition);
            return c != 0 ? c : Integer.compare(repetition, o.repetition);
        }
    }
}
