package org.mrw.core.task;

import java.util.Locale;

/** Durations for people: as precise as an estimate deserves. */
public final class Durations {

    private Durations() {
    }

    /** "45 s", "12 min", "3.4 h", "2.1 days" (an estimate: no false precision). */
    public static String rough(double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) {
            throw new IllegalArgumentException("a duration is a non-negative number of seconds, got " + seconds);
        }
        if (seconds < 90) {
            return Math.max(1, Math.round(seconds)) + " s";
        }
        if (seconds < 90 * 60) {
            return Math.round(seconds / 60) + " min";
        }
        if (seconds < 48 * 3600) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
    }
}
