package org.mrw.core.experiment;

import java.util.OptionalDouble;
import org.mrw.core.attack.AttackCost;

/**
 * The time a run has left, from the work its units still hold rather than from how many there are. A
 * Boundary batch runs for minutes where an FGSM batch takes a second, so a count of units would promise
 * seconds for hours of work; and after a resume the count includes units an earlier process did, at no
 * time in this one. Each unit is weighed by its estimated seconds ({@link AttackCost} passes at
 * {@link MachineRates}); the weights are put to this process's measured pace (seconds actually spent per
 * estimated second done here, counting the running unit's share from its attack's own steps).
 *
 * <p>Written by the run's thread and read by whoever shows progress; its methods are synchronized.
 */
final class RunPace {

    private final double[] weight;
    private final double[] attackShare;
    private double remaining;
    private double doneHere;
    private long clockStart = Long.MIN_VALUE;
    private int current = -1;
    private double currentFraction;

    /**
     * @param weight      estimated seconds of each unit, in run order (all positive)
     * @param attackShare of each unit's weight, the part its attack's steps report on (the rest is judging)
     */
    RunPace(double[] weight, double[] attackShare) {
        if (weight.length != attackShare.length) {
            throw new IllegalArgumentException("one weight and one attack share per unit");
        }
        this.weight = weight.clone();
        this.attackShare = attackShare.clone();
        for (double w : weight) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("unit weights must be positive and finite, got " + w);
            }
            remaining += w;
        }
    }

    /** A unit this process will not run: committed before, or another shard's. */
    synchronized void skip(int unit) {
        remaining -= weight[unit];
    }

    /** A unit starts; the clock starts with the first one (after the models have loaded). */
    synchronized void start(int unit, long nanos) {
        if (clockStart == Long.MIN_VALUE) {
            clockStart = nanos;
        }
        current = unit;
        currentFraction = 0;
    }

    /** The running unit's attack reports {@code done} of {@code total} steps. */
    synchronized void attackStep(long done, long total) {
        if (current >= 0 && total > 0) {
            currentFraction = attackShare[current] * Math.min(1, Math.max(0, (double) done / total));
        }
    }

    /** The running unit is committed on every target. */
    synchronized void finish(int unit) {
        remaining -= weight[unit];
        doneHere += weight[unit];
        current = -1;
        currentFraction = 0;
    }

    /** Seconds left at this process's pace so far; empty before any work has been measured. */
    synchronized OptionalDouble secondsLeft(long nanos) {
        double partial = current >= 0 ? weight[current] * currentFraction : 0;
        double work = doneHere + partial;
        double elapsed = (nanos - clockStart) / 1e9;
        if (clockStart == Long.MIN_VALUE || work <= 0 || elapsed <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, remaining - partial) * elapsed / work);
    }
}
