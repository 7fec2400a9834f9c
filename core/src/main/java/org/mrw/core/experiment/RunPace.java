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
    private final double[] workByKind;
    private final double[] secondsByKind;
    private final double[] workByFamily;
    private final double[] secondsByFamily;
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
        workByKind = new double[k];
        secondsByKind = new double[k];
        workByFamily = new double[f];
        secondsByFamily = new double[f];
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
        workByKind[kind[unit]] += weight[unit];
        secondsByKind[kind[unit]] += seconds;
        workByFamily[family[unit]] += weight[unit];
        secondsByFamily[family[unit]] += seconds;
        doneHere += weight[unit];
        current = -1;
        currentFraction = 0;
    }

    /** Seconds left at this process's pace so far; empty before any work has been measured. */
    synchronized OptionalDouble secondsLeft(long nanos) {
        double partial = current >= 0 ? weight[current] * currentFraction : 0;
        double partialSeconds = current >= 0 ? Math.max(0, (nanos - currentStart) / 1e9) : 0;
        double work = doneHere + partial;
        double elapsed = (nanos - clockStart) / 1e9;
        if (clockStart == Long.MIN_VALUE || work <= 0 || elapsed <= 0) {
            return OptionalDouble.empty();
        }
        double runPace = elapsed / work;
        double left = 0;
        for (int k = 0; k < remainingByKind.length; k++) {
            double kindWork = workByKind[k];
            double kindSeconds = secondsByKind[k];
            double rest = remainingByKind[k];
            if (current >= 0 && kind[current] == k) {
                kindWork += partial;
                kindSeconds += partialSeconds;
                rest -= partial;
            }
            if (rest <= 0) {
                continue;
            }
            left += rest * pace(k, kindWork, kindSeconds, partial, partialSeconds, runPace);
        }
        return OptionalDouble.of(left);
    }

    private double pace(int k, double kindWork, double kindSeconds, double partial, double partialSeconds, double runPace) {
        if (kindWork > 0 && kindSeconds >= MEASURED_SECONDS) {
            return kindSeconds / kindWork;
        }
        int f = familyOfKind[k];
        double familyWork = workByFamily[f];
        double familySeconds = secondsByFamily[f];
        if (current >= 0 && family[current] == f) {
            familyWork += partial;
            familySeconds += partialSeconds;
        }
        return familyWork > 0 && familySeconds >= MEASURED_SECONDS ? familySeconds / familyWork : runPace;
    }
}
