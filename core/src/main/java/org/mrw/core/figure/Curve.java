package org.mrw.core.figure;

import java.util.List;
import java.util.Objects;
import org.mrw.core.model.Variant;

/**
 * One robustness curve: a target's accuracy (or an attack's success rate) at each ε, with its 95 %
 * confidence interval. Framework, variant and platform only choose colour, line style and marker.
 *
 * @param label     legend text, e.g. "ResNet-20 · TFLite int8 · Pixel 7"
 * @param framework framework family or runtime name ("PyTorch", "TFLite", "ONNX Runtime", ...)
 * @param variant   float or int8 weights
 * @param platform  where the target ran
 * @param points    the measurements, in any order (drawn sorted by ε)
 */
public record Curve(String label, String framework, Variant variant, Platform platform, List<Point> points) {

    public Curve {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(platform, "platform");
        points = List.copyOf(points);
    }

    /** The deployment half of the encoding, e.g. "PC · float" — what line style and marker show. */
    public String deployment() {
        return platform.displayName() + " · " + variant.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * One measurement.
     *
     * @param epsilon the budget
     * @param value   accuracy or success rate in [0, 1]
     * @param low     lower end of the 95 % interval (NaN when unknown)
     * @param high    upper end of the 95 % interval (NaN when unknown)
     */
    public record Point(double epsilon, double value, double low, double high) {

        public Point {
            if (!Double.isFinite(epsilon) || !Double.isFinite(value)) {
                throw new IllegalArgumentException("ε and value must be finite: " + epsilon + ", " + value);
            }
            if (Double.isNaN(low) != Double.isNaN(high)) {
                throw new IllegalArgumentException("give both ends of the interval or neither");
            }
            if (!Double.isNaN(low) && (low > value || high < value)) {
                throw new IllegalArgumentException("interval [" + low + ", " + high + "] excludes " + value);
            }
        }

        /** A point without an interval. */
        public static Point of(double epsilon, double value) {
            return new Point(epsilon, value, Double.NaN, Double.NaN);
        }

        public boolean hasInterval() {
            return !Double.isNaN(low);
        }
    }
}
