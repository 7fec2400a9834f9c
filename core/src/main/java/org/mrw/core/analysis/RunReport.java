package org.mrw.core.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.stats.Wilcoxon;
import org.mrw.core.store.ResultRow;

/**
 * Everything {@code mrw report} says about one run: metrics per target and condition, and paired
 * comparisons between every two targets that judged the same adversarials.
 *
 * @param metrics     per target × condition (per repetition and pooled)
 * @param comparisons per pair of targets × condition × repetition
 */
public record RunReport(List<GroupMetrics> metrics, List<Comparison> comparisons) {

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
        return new RunReport(metrics, comparisons);
    }
}
