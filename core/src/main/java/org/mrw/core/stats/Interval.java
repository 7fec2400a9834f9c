package org.mrw.core.stats;

/**
 * A point estimate with a confidence interval. When there were no values to estimate from, all three
 * numbers are NaN (for example a success rate over a target that got no sample right).
 *
 * @param estimate the statistic on the observed values
 * @param lower    lower bound
 * @param upper    upper bound
 * @param level    confidence level, e.g. 0.95
 * @param n        number of values (resampling units) the estimate was computed from
 * @param method   how the interval was computed, printable as is
 */
public record Interval(double estimate, double lower, double upper, double level, int n, String method) {

    /** Whether {@code x} lies in [lower, upper]. */
    public boolean contains(double x) {
        return x >= lower && x <= upper;
    }

    /** upper − lower. */
    public double width() {
        return upper - lower;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4g [%.4g, %.4g] (%s)", estimate, lower, upper, method);
    }
}
