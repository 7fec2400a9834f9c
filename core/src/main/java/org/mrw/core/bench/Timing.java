package org.mrw.core.bench;

import java.util.Arrays;

/**
 * Medians of repeated wall-clock measurements, after warm-up runs that are thrown away (JIT, native
 * allocator and thread pools settle in the first runs).
 */
public final class Timing {

    private Timing() {
    }

    /** Runs {@code task} {@code warmup + repeats} times; returns the median seconds of the last {@code repeats}. */
    public static double medianSeconds(int warmup, int repeats, Runnable task) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            task.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return median(seconds);
    }

    /**
     * Runs the tasks one after the other, {@code warmup + repeats} rounds, and returns each task's median
     * seconds over the last {@code repeats} rounds. Interleaving keeps drift and order effects (a pass
     * runs slower or faster for what ran just before it) out of the tasks' ratio, which timing them in
     * blocks does not.
     */
    public static double[] interleavedMedianSeconds(int warmup, int repeats, Runnable... tasks) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        double[][] seconds = new double[tasks.length][repeats];
        for (int round = 0; round < warmup + repeats; round++) {
            for (int t = 0; t < tasks.length; t++) {
                long start = System.nanoTime();
                tasks[t].run();
                if (round >= warmup) {
                    seconds[t][round - warmup] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        double[] medians = new double[tasks.length];
        for (int t = 0; t < tasks.length; t++) {
            medians[t] = median(seconds[t]);
        }
        return medians;
    }

    /** The median of {@code values} (not modified). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
