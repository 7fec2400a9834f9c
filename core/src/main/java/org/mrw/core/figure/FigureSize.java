package org.mrw.core.figure;

/**
 * A figure's size on paper, in points (1/72 in). PDF and SVG pages get exactly this size; PNGs get
 * {@code size × dpi / 72} pixels.
 *
 * @param width  width in points
 * @param height height in points
 */
public record FigureSize(double width, double height) {

    public static final double POINTS_PER_INCH = 72;

    /** One column of a two-column paper: 3.5 in × 2.6 in. */
    public static final FigureSize SINGLE_COLUMN = inches(3.5, 2.6);
    /** Full text width of a two-column paper: 7 in × 2.8 in. */
    public static final FigureSize DOUBLE_COLUMN = inches(7, 2.8);
    /** A 16:9 slide: 10 in × 5.625 in. */
    public static final FigureSize SLIDE = inches(10, 5.625);

    public FigureSize {
        if (!(width > 0) || !(height > 0) || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException("figure size must be positive and finite: " + width + " × " + height);
        }
    }

    public static FigureSize inches(double width, double height) {
        return new FigureSize(width * POINTS_PER_INCH, height * POINTS_PER_INCH);
    }

    public FigureSize withHeight(double points) {
        return new FigureSize(width, points);
    }

    /** Pixel width at a resolution. */
    public int pixelWidth(double dpi) {
        return (int) Math.round(width * dpi / POINTS_PER_INCH);
    }

    /** Pixel height at a resolution. */
    public int pixelHeight(double dpi) {
        return (int) Math.round(height * dpi / POINTS_PER_INCH);
    }
}
