package org.mrw.core.analysis;

import org.mrw.core.stats.Interval;

/**
 * Robustness of one target under one attack {@link Condition}, for one repetition or pooled over all.
 * Each interval's {@link Interval#method()} names how it was computed; its {@link Interval#n()} is the
 * number of samples it was computed over. Rates are in [0, 1]; NaN where nothing was there to count.
 *
 * @param target              the target that judged the adversarials
 * @param condition           source, attack, ε and rounding
 * @param repetition          the repetition index, or {@link #POOLED}
 * @param repetitions         how many repetitions went in (1 unless pooled)
 * @param n                   samples judged under this condition
 * @param cleanAccuracy       the target's accuracy on the clean versions of the samples it has a clean row for
 * @param adversarialAccuracy the target's accuracy on the adversarials (all n samples)
 * @param successRate         fraction of the samples the target got right when clean that the attack made wrong
 * @param flipsToWrong        number of samples right when clean and wrong under attack
 * @param flipsToCorrect      number of samples wrong when clean and right under attack
 * @param unperturbed         number of samples shown their clean image: the attack found no adversarial (e.g.
 *                            Boundary without a start: no noise draw was misclassified) or had nothing to do
 * @param meanL2              mean L2 norm of the perturbations (all n samples)
 * @param medianL2            median L2 norm of all n perturbations (what the target was shown)
 * @param medianL2Fooled      median L2 norm over the samples this target got right when clean and wrong
 *                            under attack: the size of the perturbations that fooled it ({@code mrw attack}'s
 *                            "medianL2" for the source); NaN when none did
 * @param meanLinf            mean L∞ norm (the effective ε, e.g. after rounding)
 * @param medianLinf          median L∞ norm
 */
public record GroupMetrics(String target, Condition condition, int repetition, int repetitions, int n,
                           Interval cleanAccuracy, Interval adversarialAccuracy, Interval successRate,
                           Interval flipsToWrong, Interval flipsToCorrect, Interval unperturbed,
                           Interval meanL2, Interval medianL2, Interval medianL2Fooled, Interval meanLinf, Interval medianLinf) {

    /** {@link #repetition()} of a record pooled over all repetitions. */
    public static final int POOLED = -1;

    /** Whether this record pools all repetitions. */
    public boolean pooled() {
        return repetition == POOLED;
    }

    /** How the intervals were computed and what the resampling unit is. */
    public String method() {
        return adversarialAccuracy.method() + "; samples resampled"
                + (pooled() ? ", each sample's values averaged over its " + repetitions + " repetition(s)" : "");
    }
}
