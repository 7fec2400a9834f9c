package org.mrw.core.model.tflite;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Real-valued ranges of the activation tensors of a {@link TfliteModelWriter} graph, from which the
 * int8 model's per-tensor scales and zero points are derived. Either measured by
 * {@link TfliteModelWriter#calibrate} or supplied by the caller with {@link #with}; the two combine
 * (e.g. measure everything, then pin the input to its known domain [0,1]). Immutable.
 */
public final class Calibration {

    /**
     * The observed values of one tensor.
     *
     * @param min smallest value seen
     * @param max largest value seen
     */
    public record Range(float min, float max) {

        public Range {
            if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
                throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
            }
        }

        /** The smallest range holding both. */
        public Range union(Range other) {
            return new Range(Math.min(min, other.min), Math.max(max, other.max));
        }
    }

    private static final Calibration EMPTY = new Calibration(Map.of());

    private final Map<TfliteModelWriter.Node, Range> ranges;

    private Calibration(Map<TfliteModelWriter.Node, Range> ranges) {
        this.ranges = ranges;
    }

    /** No ranges yet: start of caller-supplied calibration. */
    public static Calibration empty() {
        return EMPTY;
    }

    /** A copy in which {@code node} covers {@code [min, max]}. */
    public Calibration with(TfliteModelWriter.Node node, float min, float max) {
        Objects.requireNonNull(node, "node");
        Map<TfliteModelWriter.Node, Range> copy = new LinkedHashMap<>(ranges);
        copy.put(node, new Range(min, max));
        return new Calibration(Collections.unmodifiableMap(copy));
    }

    /** The range of {@code node}, or null when it has none. */
    public Range range(TfliteModelWriter.Node node) {
        return ranges.get(node);
    }

    /** Every range, by node, in insertion order. */
    public Map<TfliteModelWriter.Node, Range> ranges() {
        return ranges;
    }

    @Override
    public String toString() {
        return "Calibration" + ranges;
    }
}
