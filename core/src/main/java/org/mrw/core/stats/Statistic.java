package org.mrw.core.stats;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A named function of a sample of values, such as the mean or the median; the name ends up in
 * {@link Interval#method()}.
 *
 * @param name     how the statistic prints, e.g. "mean"
 * @param function the computation; must not modify its argument
 */
public record Statistic(String name, ToDoubleFunction<double[]> function) {

    /** Arithmetic mean; the accuracy when the values are 0/1 correctness. NaN for no values. */
    public static final Statistic MEAN = new Statistic("mean", Statistic::mean);
    /** Median: the middle value, or the mean of the two middle values (R's {@code median}). NaN for no values. */
    public static final Statistic MEDIAN = new Statistic("median", Statistic::median);
    /** Sum; a count when the values are 0/1 indicators. 0 for no values. */
    public static final Statistic SUM = new Statistic("sum", v -> Arrays.stream(v).sum());

    public Statistic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(function, "function");
    }

    /** The statistic of {@code values}. */
    public double of(double[] values) {
        return function.applyAsDouble(values);
    }

    @Override
    public String toString() {
        return name;
    }

    static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
