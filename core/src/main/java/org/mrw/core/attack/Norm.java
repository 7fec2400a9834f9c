package org.mrw.core.attack;

import java.util.Locale;

/** The distance an attack's budget ε is measured in, over the canonical [0,1] pixels of one image. */
public enum Norm {
    /** Largest absolute pixel change. */
    LINF,
    /** Euclidean length of the change. */
    L2;

    /** Distance between images {@code i} of {@code a} and {@code b}, each {@code size} values long. */
    public double distance(float[] a, float[] b, int i, int size) {
        int base = i * size;
        double out = 0;
        for (int j = base; j < base + size; j++) {
            double d = Math.abs((double) a[j] - b[j]);
            out = this == LINF ? Math.max(out, d) : out + d * d;
        }
        return this == LINF ? out : Math.sqrt(out);
    }

    /** Per-image distances. */
    public double[] distances(float[] a, float[] b, int n, int size) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = distance(a, b, i, size);
        }
        return out;
    }

    /** {@code linf} or {@code l2}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code linf}/{@code l2} (also {@code inf}, {@code Linf}, {@code L2}). */
    public static Norm parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "linf", "inf", "l_inf", "l-inf" -> LINF;
            case "l2", "2" -> L2;
            default -> throw new IllegalArgumentException("unknown norm '" + text + "': use linf or l2");
        };
    }
}
