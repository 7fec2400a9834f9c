package org.mrw.core.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.stats.Interval;
import org.mrw.core.stats.Statistic;
import org.mrw.core.stats.Wilcoxon;
import org.mrw.core.store.ResultRow;

/**
 * Everything {@code mrw report} says about one run: metrics per target and condition, and paired
 * comparisons between every two targets that judged the same adversarials.
 *
 * @param metrics     per target × attack condition (per repetition and pooled)
 * @param baselines   per target: its accuracy on the clean images, pooled over repetitions (every target a
 *                    run judged, also in a run without attacks)
 * @param comparisons per pair of targets × condition × repetition
 */
public record RunReport(List<GroupMetrics> metrics, List<Baseline> baselines, List<Comparison> comparisons) {

    /**
     * A target's clean accuracy: each sample's clean judgements averaged over its repetitions, samples
     * resampled (the same interval as {@link GroupMetrics#cleanAccuracy()} over all samples).
     */
    public record Baseline(String target, int n, Interval accuracy) {
    }

    /** The bootstrap seed every report uses unless told otherwise (CLI, workbench, run bundles agree). */
    public static final long DEFAULT_SEED = 2021;

    /** Computes the report with a seeded bootstrap; Wilcoxon drops zero differences (Wilcoxon's convention). */
    public static RunReport of(List<ResultRow> rows, long seed) {
        Bootstrap bootstrap = Bootstrap.seeded(seed);
        List<GroupMetrics> metrics = Metrics.of(rows, bootstrap);
        // targets that judged the same source's adversarials are compared pairwise
        Map<String, Set<String>> targetsBySource = new TreeMap<>();
        for (ResultRow r : rows) {
            if (!r.attack().equals(ResultRow.CLEAN)) {
                targetsBySource.computeIfAbsent(r.source(), s -> new LinkedHashSet<>()).add(r.target());
            }
        }
        // a run without attacks compares every two targets on the clean images
        if (targetsBySource.isEmpty()) {
            rows.stream().map(ResultRow::target).distinct().sorted()
                    .forEach(t -> targetsBySource.computeIfAbsent("", s -> new LinkedHashSet<>()).add(t));
        }
        Set<List<String>> pairs = new LinkedHashSet<>();
        for (Set<String> targets : targetsBySource.values()) {
            List<String> t = new ArrayList<>(targets);
            for (int a = 0; a < t.size(); a++) {
                for (int b = a + 1; b < t.size(); b++) {
                    pairs.add(List.of(t.get(a), t.get(b)));
                }
            }
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (List<String> p : pairs) {
            comparisons.addAll(Comparisons.paired(rows, p.get(0), p.get(1), bootstrap, Wilcoxon.Zeros.WILCOX));
        }
        return new RunReport(metrics, baselines(rows, bootstrap), comparisons);
    }

    private static List<Baseline> baselines(List<ResultRow> rows, Bootstrap bootstrap) {
        Map<String, Map<Integer, double[]>> byTarget = new TreeMap<>(); // target → sample → {right, judged}
        for (ResultRow r : rows) {
            if (ResultRow.CLEAN.equals(r.attack())) {
                double[] s = byTarget.computeIfAbsent(r.target(), t -> new TreeMap<>()).computeIfAbsent(r.sample(), x -> new double[2]);
                s[0] += r.correct() ? 1 : 0;
                s[1]++;
            }
        }
        List<Baseline> out = new ArrayList<>();
        byTarget.forEach((target, samples) -> out.add(new Baseline(target, samples.size(), bootstrap.interval(
                samples.values().stream().mapToDouble(s -> s[0] / s[1]).toArray(), Statistic.MEAN))));
        return out;
    }
}
