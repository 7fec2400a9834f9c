package org.mrw.core.analysis;

import org.mrw.core.stats.Interval;
import org.mrw.core.stats.McNemar;
import org.mrw.core.stats.Wilcoxon;

/**
 * Two targets judged on the same samples under one {@link Condition} in one repetition.
 *
 * @param targetA            first target
 * @param targetB            second target
 * @param condition          source, attack, ε and rounding (may be the clean condition)
 * @param repetition         repetition index; A's and B's judgements of that repetition are paired
 * @param n                  samples both targets judged
 * @param accuracyA          A's accuracy on those samples
 * @param accuracyB          B's accuracy on those samples
 * @param accuracyDifference accuracy(A) − accuracy(B) with a paired bootstrap interval
 * @param mcnemar            McNemar's test on per-sample correctness
 * @param wilcoxon           Wilcoxon's signed-rank test on per-sample margins (A − B); pairs with a NaN
 *                           margin are left out of it
 */
public record Comparison(String targetA, String targetB, Condition condition, int repetition, int n,
                         double accuracyA, double accuracyB, Interval accuracyDifference,
                         McNemar.Result mcnemar, Wilcoxon.Result wilcoxon) {

    /** The three methods, in the order accuracy difference; correctness; margins. */
    public String method() {
        return accuracyDifference.method() + "; " + mcnemar.method() + "; " + wilcoxon.method()
                + " [" + wilcoxon.zeros().description() + "]";
    }
}
