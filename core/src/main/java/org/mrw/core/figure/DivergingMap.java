package org.mrw.core.figure;

import java.awt.Color;

/**
 * The diverging colour map of perturbations, purple–white–orange (ColorBrewer PuOr ends): colour-blind
 * safe, and not red, which means "flip". The paper figures ({@link ImageGrid}) and the workbench's
 * inspector colour perturbations through it.
 */
public final class DivergingMap {

    /** Colour of −scale. */
    public static final Color NEGATIVE = new Color(0x5E3C99);
    /** Colour of +scale. */
    public static final Color POSITIVE = new Color(0xE66101);

    private DivergingMap() {
    }

    /** The colour of {@code t} in [−1, 1] (clamped): white at 0. */
    public static Color at(double t) {
        double u = Double.isNaN(t) ? 0 : Math.max(-1, Math.min(1, t));
        Color end = u < 0 ? NEGATIVE : POSITIVE;
        double a = Math.abs(u);
        return new Color((int) Math.round(255 + (end.getRed() - 255) * a),
                (int) Math.round(255 + (end.getGreen() - 255) * a),
                (int) Math.round(255 + (end.getBlue() - 255) * a));
    }

    /**
     * A signed perturbation (CHW), averaged over channels, as opaque ARGB pixels (row-major, H×W) with
     * ±{@code scale} at the ends of the map.
     */
    public static int[] argb(float[] delta, int channels, int height, int width, double scale) {
        int plane = height * width;
        int[] out = new int[plane];
        for (int p = 0; p < plane; p++) {
            double d = 0;
            for (int c = 0; c < channels; c++) {
                d += delta[c * plane + p];
            }
            d /= channels;
            out[p] = 0xFF000000 | at(scale > 0 ? d / scale : 0).getRGB();
        }
        return out;
    }

    /** A CHW image in [0, 1] (grey or RGB) as opaque ARGB pixels, each value on its nearest 8-bit level. */
    public static int[] imageArgb(float[] chw, int channels, int height, int width) {
        int plane = height * width;
        int[] out = new int[plane];
        for (int p = 0; p < plane; p++) {
            int r = level(chw[p]);
            int g = channels == 3 ? level(chw[plane + p]) : r;
            int b = channels == 3 ? level(chw[2 * plane + p]) : r;
            out[p] = 0xFF000000 | (r << 16) | (g << 8) | b;
        }
        return out;
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
