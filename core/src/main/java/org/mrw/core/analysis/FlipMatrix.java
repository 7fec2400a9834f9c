package org.mrw.core.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mrw.core.store.ResultRow;

/**
 * Disagreements between targets on the same images under one {@link Condition} and repetition: cell
 * (i, j) counts the samples target i judged right and target j judged wrong. Off the diagonal the
 * pair (i, j), (j, i) are McNemar's discordant counts b and c, so a lopsided pair means one target is
 * reliably more robust there; the diagonal is 0 by definition.
 *
 * @param condition  source, attack, ε and rounding (the clean condition shows clean-accuracy drift)
 * @param repetition the repetition compared
 * @param targets    row and column order: the order targets first appear in the rows (the spec's order)
 * @param counts     {@code counts[i][j]}: samples right on {@code targets[i]} and wrong on {@code targets[j]}
 * @param judged     {@code judged[i][j]}: samples both targets judged
 */
public record FlipMatrix(Condition condition, int repetition, List<String> targets, int[][] counts, int[][] judged) {

    public FlipMatrix {
        targets = List.copyOf(targets);
        Objects.requireNonNull(condition, "condition");
    }

    /**
     * The matrix of every target that judged {@code condition} in {@code repetition}.
     *
     * @throws IllegalArgumentException if a target judged the same sample twice there
     */
    public static FlipMatrix of(List<ResultRow> rows, Condition condition, int repetition) {
        Set<String> order = new LinkedHashSet<>();
        Map<String, Map<Integer, Boolean>> correct = new HashMap<>();
        for (ResultRow r : rows) {
            if (r.repetition() != repetition || !Condition.of(r).equals(condition)) {
                continue;
            }
            order.add(r.target());
            if (correct.computeIfAbsent(r.target(), t -> new HashMap<>()).put(r.sample(), r.correct()) != null) {
                throw new IllegalArgumentException("judged twice: target " + r.target() + ", " + condition
                        + ", repetition " + repetition + ", sample " + r.sample());
            }
        }
        List<String> targets = new ArrayList<>(order);
        int k = targets.size();
        int[][] counts = new int[k][k];
        int[][] judged = new int[k][k];
        for (int i = 0; i < k; i++) {
            Map<Integer, Boolean> a = correct.get(targets.get(i));
            for (int j = 0; j < k; j++) {
                Map<Integer, Boolean> b = correct.get(targets.get(j));
                for (Map.Entry<Integer, Boolean> e : a.entrySet()) {
                    Boolean other = b.get(e.getKey());
                    if (other == null) {
                        continue;
                    }
                    judged[i][j]++;
                    if (e.getValue() && !other) {
                        counts[i][j]++;
                    }
                }
            }
        }
        return new FlipMatrix(condition, repetition, targets, counts, judged);
    }

    /** Every condition in the rows, clean first, then by source, attack, ε and rounding. */
    public static List<Condition> conditions(List<ResultRow> rows) {
        Set<Condition> all = new TreeSet<>((x, y) -> x.clean() != y.clean() ? (x.clean() ? -1 : 1) : x.compareTo(y));
        for (ResultRow r : rows) {
            all.add(Condition.of(r));
        }
        return List.copyOf(all);
    }

    /** Repetition indices present in the rows, ascending. */
    public static List<Integer> repetitions(List<ResultRow> rows) {
        Set<Integer> reps = new TreeSet<>();
        rows.forEach(r -> reps.add(r.repetition()));
        return List.copyOf(reps);
    }

    public int size() {
        return targets.size();
    }

    /** Samples right on row {@code i}'s target and wrong on column {@code j}'s. */
    public int count(int i, int j) {
        return counts[i][j];
    }

    /** The largest off-diagonal count (what a colour scale spans). */
    public int max() {
        int m = 0;
        for (int i = 0; i < size(); i++) {
            for (int j = 0; j < size(); j++) {
                m = Math.max(m, counts[i][j]);
            }
        }
        return m;
    }

    /**
     * The run's paired comparison of the two targets of cell (i, j) under this matrix's condition and
     * repetition, in either order ({@link RunReport} compares only targets that judged one source's
     * adversarials, so it may be absent).
     */
    public Optional<Comparison> comparison(List<Comparison> comparisons, int i, int j) {
        String a = targets.get(i);
        String b = targets.get(j);
        return comparisons.stream()
                .filter(c -> c.condition().equals(condition) && c.repetition() == repetition
                        && (c.targetA().equals(a) && c.targetB().equals(b) || c.targetA().equals(b) && c.targetB().equals(a)))
                .findFirst();
    }
}
