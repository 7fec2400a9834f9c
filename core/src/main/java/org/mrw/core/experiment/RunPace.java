package org.mrw.core.experiment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.mrw.core.attack.AttackCost;

/**
 * The time a run has left, from the work its units still hold rather than from how many there are. A
 * Boundary batch runs for minutes where an FGSM batch takes a second, so a count of units would promise
 * seconds for hours of work; and after a resume the count includes units an earlier process did, at no
 * time in this one. Each unit is weighed by its estimated seconds ({@link AttackCost} passes at
 * {@link MachineRates}), and the weights are put to the pace this process measured.
 *
 * <p>The pace is measured per kind of unit (an attack on a source), because the estimates are off by
 * different factors for different kinds: a cheap FGSM batch is mostly model loading and judging, which
 * the estimate hardly counts, so a pace taken from it made Boundary batches look six times longer than
 * they were. A kind's own pace counts once it has run for {@value #MEASURED_SECONDS} s (the running
 * unit's share from its attack's steps); until then the family's (the same attack on any source), and
 * else the whole run's.
 *
 * <p>Written by the run's thread and read by whoever shows progress; its methods are synchronized.
 */
final class RunPace {

    /** Seconds of a kind's own work before its pace replaces the family's or the run's. */
    static final double MEASURED_SECONDS = 5;

    private final double[] weight;
    private final double[] attackShare;
    private final int[] kind;
    private final int[] family;
    private final int[] familyOfKind;
    private final double[] remainingByKind;
    private final Measured[] byKind;
    private final Measured[] byFamily;
    private double doneHere;
    private long clockStart = Long.MIN_VALUE;
    private int current = -1;
    private long currentStart;
    private double currentFraction;

    /** Units of one kind (the whole run's pace for all). */
    RunPace(double[] weight, double[] attackShare) {
        this(weight, attackShare, new String[weight.length], new String[weight.length]);
    }

    /**
     * @param weight      estimated seconds of each unit, in run order (all positive)
     * @param attackShare of each unit's weight, the part its attack's steps report on (the rest is judging)
     * @param kinds       each unit's kind, e.g. "boundary on resnet_float_pt" (null: one shared kind)
     * @param families    each unit's family, e.g. "boundary" (null: one shared family)
     */
    RunPace(double[] weight, double[] attackShare, String[] kinds, String[] families) {
        if (weight.length != attackShare.length || weight.length != kinds.length || weight.length != families.length) {
            throw new IllegalArgumentException("one weight, attack share, kind and family per unit");
        }
        this.weight = weight.clone();
        this.attackShare = attackShare.clone();
        this.kind = indices(kinds);
        this.family = indices(families);
        int k = Arrays.stream(kind).max().orElse(-1) + 1;
        int f = Arrays.stream(family).max().orElse(-1) + 1;
        remainingByKind = new double[k];
        byKind = new Measured[k];
        byFamily = new Measured[f];
        Arrays.fill(byKind, Measured.NONE);
        Arrays.fill(byFamily, Measured.NONE);
        familyOfKind = new int[k];
        for (int i = 0; i < weight.length; i++) {
            familyOfKind[kind[i]] = family[i];
            if (!(weight[i] > 0) || Double.isInfinite(weight[i])) {
                throw new IllegalArgumentException("unit weights must be positive and finite, got " + weight[i]);
            }
            remainingByKind[kind[i]] += weight[i];
        }
    }

    private static int[] indices(String[] names) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        int[] out = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = seen.computeIfAbsent(names[i] == null ? "" : names[i], n -> seen.size());
        }
        return out;
    }

    /** A unit this process will not run: committed before, or another shard's. */
    synchronized void skip(int unit) {
        remainingByKind[kind[unit]] -= weight[unit];
    }

    /** A unit starts; the clock starts with the first one (after the models have loaded). */
    synchronized void start(int unit, long nanos) {
        if (clockStart == Long.MIN_VALUE) {
            clockStart = nanos;
        }
        current = unit;
        currentStart = nanos;
        currentFraction = 0;
    }

    /** The running unit's attack reports {@code done} of {@code total} steps. */
    synchronized void attackStep(long done, long total) {
        if (current >= 0 && total > 0) {
            currentFraction = attackShare[current] * Math.min(1, Math.max(0, (double) done / total));
        }
    }

    /** The running unit is committed on every target, at {@code nanos}. */
    synchronized void finish(int unit, long nanos) {
        double seconds = unit == current ? Math.max(0, (nanos - currentStart) / 1e9) : 0;
        remainingByKind[kind[unit]] -= weight[unit];
        Measured unitDone = new Measured(weight[unit], seconds);
        byKind[kind[unit]] = byKind[kind[unit]].plus(unitDone);
        byFamily[family[unit]] = byFamily[family[unit]].plus(unitDone);
        doneHere += weight[unit];
        current = -1;
        currentFraction = 0;
    }

    /** Seconds left at this process's pace so far; empty before any work has been measured. */
    synchronized OptionalDouble secondsLeft(long nanos) {
        // The running unit counts with the share of its work its attack reported, in the seconds so far.
        Measured running = current >= 0
                ? new Measured(weight[current] * currentFraction, Math.max(0, (nanos - currentStart) / 1e9))
                : Measured.NONE;
        double work = doneHere + running.work();
        double elapsed = (nanos - clockStart) / 1e9;
        if (clockStart == Long.MIN_VALUE || work <= 0 || elapsed <= 0) {
            return OptionalDouble.empty();
        }
        double runPace = elapsed / work;
        double left = 0;
        for (int k = 0; k < remainingByKind.length; k++) {
            boolean runningKind = current >= 0 && kind[current] == k;
            double rest = remainingByKind[k] - (runningKind ? running.work() : 0);
            if (rest <= 0) {
                continue;
            }
            double pace = (runningKind ? byKind[k].plus(running) : byKind[k]).pace();
            if (Double.isNaN(pace)) {
                int f = familyOfKind[k];
                pace = (current >= 0 && family[current] == f ? byFamily[f].plus(running) : byFamily[f]).pace();
            }
            left += rest * (Double.isNaN(pace) ? runPace : pace);
        }
        return OptionalDouble.of(left);
    }

    /** Estimated seconds of work done and the seconds it took. */
    private record Measured(double work, double seconds) {
        static final Measured NONE = new Measured(0, 0);

        Measured plus(Measured other) {
            return new Measured(work + other.work, seconds + other.seconds);
        }

        /** Seconds taken per estimated second, once {@value RunPace#MEASURED_SECONDS} s were measured; else NaN. */
        double pace() {
            return work > 0 && seconds >= MEASURED_SECONDS ? seconds / work : Double.NaN;
        }
    }
}
