package org.mrw.core.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A paper figure of adversarial examples: one row per sample with the original, the perturbation (in
 * a diverging colour map on one shared, symmetric scale, shown by a colour bar) and the adversarial
 * image, captioned "label → prediction" (red when the prediction flipped). Pixels come in as the
 * workbench holds them: float CHW in [0, 1], grey (C = 1) or RGB (C = 3).
 */
public final class ImageGrid implements Drawing {

    /**
     * One sample.
     *
     * @param original    clean image, CHW floats in [0, 1]
     * @param adversarial perturbed image, same shape
     * @param label       true class name
     * @param prediction  the target's class name on the adversarial
     */
    public record Row(float[] original, float[] adversarial, String label, String prediction) {
        public Row {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(adversarial, "adversarial");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(prediction, "prediction");
            if (original.length != adversarial.length) {
                throw new IllegalArgumentException("original and adversarial differ in size");
            }
        }

        public boolean flipped() {
            return !label.equals(prediction);
        }
    }

    private static final String[] HEADERS = {"original", "perturbation", "adversarial"};
    /** Nearest-neighbour upscaling before drawing, so SVG and PDF viewers cannot blur the pixels. */
    private static final int MIN_SOURCE_PIXELS = 224;

    private static final double PAD = 4;
    private static final double CAPTION_GAP = 2;

    private final List<Row> rows;
    private final int channels;
    private final int height;
    private final int width;
    private final String title;

    /**
     * @param rows     the samples, top to bottom
     * @param channels 1 (grey) or 3 (RGB)
     * @param height   image height in pixels
     * @param width    image width in pixels
     * @param title    a line above the grid (e.g. "FGSM, ε = 8/255, on TFLite int8"), or null
     */
    public ImageGrid(List<Row> rows, int channels, int height, int width, String title) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to draw");
        }
        for (Row r : rows) {
            if (r.original().length != channels * height * width) {
                throw new IllegalArgumentException("image has " + r.original().length + " values, expected "
                        + channels + "×" + height + "×" + width);
            }
        }
        this.rows = List.copyOf(rows);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.title = title;
    }

    /**
     * Rows from NCHW batches: sample {@code i} of {@code originals} and {@code adversarials} with
     * {@code labels[i]} and {@code predictions[i]}.
     */
    public static ImageGrid ofBatch(float[] originals, float[] adversarials, int n, int channels, int height,
                                    int width, List<String> labels, List<String> predictions, String title) {
        int size = channels * height * width;
        if (originals.length != n * size || adversarials.length != n * size) {
            throw new IllegalArgumentException("batch arrays must hold " + n + "×" + size + " values");
        }
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Row(java.util.Arrays.copyOfRange(originals, i * size, (i + 1) * size),
                    java.util.Arrays.copyOfRange(adversarials, i * size, (i + 1) * size),
                    labels.get(i), predictions.get(i)));
        }
        return new ImageGrid(rows, channels, height, width, title);
    }

    /** The largest |adversarial − original| over all rows: the colour map's scale. */
    public double maxPerturbation() {
        double m = 0;
        for (Row r : rows) {
            for (int i = 0; i < r.original().length; i++) {
                m = Math.max(m, Math.abs(r.adversarial()[i] - r.original()[i]));
            }
        }
        return m;
    }

    /** The size this grid needs at {@code width} points so that the images stay square. */
    public FigureSize size(double widthPoints) {
        double cell = cellSize(widthPoints);
        double h = headerHeight() + rows.size() * (cell * height / width + captionHeight() + PAD) + scaleBarHeight() + PAD;
        return new FigureSize(widthPoints, h);
    }

    @Override
    public void draw(Graphics2D g, Rectangle2D area) {
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g2.setColor(Color.WHITE);
            g2.fill(area);
            double cell = cellSize(area.getWidth());
            double imgH = cell * height / width;
            double x0 = area.getX() + PAD;
            double y = area.getY() + PAD;
            Font captionFont = FigureFonts.regular(FigureStyle.LEGEND_FONT_SIZE);
            Font headerFont = FigureFonts.bold(FigureStyle.LEGEND_FONT_SIZE);
            if (title != null) {
                g2.setFont(FigureFonts.regular(FigureStyle.LABEL_FONT_SIZE));
                g2.setColor(FigureStyle.INK);
                centred(g2, title, area.getCenterX(), y + g2.getFontMetrics().getAscent());
                y += g2.getFontMetrics().getHeight() + CAPTION_GAP;
            }
            g2.setFont(headerFont);
            g2.setColor(FigureStyle.INK);
            for (int c = 0; c < 3; c++) {
                centred(g2, HEADERS[c], x0 + c * (cell + PAD) + cell / 2, y + g2.getFontMetrics().getAscent());
            }
            y += g2.getFontMetrics().getHeight() + CAPTION_GAP;

            double scale = maxPerturbation();
            for (Row r : rows) {
                float[] delta = new float[r.original().length];
                for (int i = 0; i < delta.length; i++) {
                    delta[i] = r.adversarial()[i] - r.original()[i];
                }
                image(g2, toImage(r.original()), x0, y, cell, imgH);
                image(g2, perturbation(delta, scale), x0 + cell + PAD, y, cell, imgH);
                image(g2, toImage(r.adversarial()), x0 + 2 * (cell + PAD), y, cell, imgH);

                g2.setFont(captionFont);
                FontMetrics fm = g2.getFontMetrics();
                double base = y + imgH + CAPTION_GAP + fm.getAscent();
                g2.setColor(FigureStyle.INK);
                centred(g2, r.label(), x0 + cell / 2, base);
                centred(g2, "‖δ‖∞ = " + fmt(linf(delta)), x0 + cell + PAD + cell / 2, base);
                g2.setColor(r.flipped() ? FigureStyle.FLIP : FigureStyle.INK);
                centred(g2, r.label() + " → " + r.prediction(), x0 + 2 * (cell + PAD) + cell / 2, base);
                y += imgH + captionHeight() + PAD;
            }
            scaleBar(g2, x0 + cell + PAD, y, cell, scale);
        } finally {
            g2.dispose();
        }
    }

    private double cellSize(double areaWidth) {
        return (areaWidth - 4 * PAD) / 3;
    }

    private double headerHeight() {
        double line = FigureStyle.LEGEND_FONT_SIZE * 1.2 + CAPTION_GAP;
        double titleLine = title == null ? 0 : FigureStyle.LABEL_FONT_SIZE * 1.2 + CAPTION_GAP;
        return PAD + titleLine + line;
    }

    private double captionHeight() {
        return CAPTION_GAP + FigureStyle.LEGEND_FONT_SIZE * 1.25;
    }

    private double scaleBarHeight() {
        return 5 + 2 + FigureStyle.TICK_FONT_SIZE * 1.25;
    }

    private void scaleBar(Graphics2D g, double x, double y, double w, double scale) {
        int steps = 64;
        for (int i = 0; i < steps; i++) {
            double t = -1 + 2 * (i + 0.5) / steps;
            g.setColor(diverging(t));
            g.fill(new Rectangle2D.Double(x + w * i / steps, y, w / steps + 0.3, 5));
        }
        g.setColor(FigureStyle.INK);
        g.setStroke(new BasicStroke(0.4f));
        g.draw(new Rectangle2D.Double(x, y, w, 5));
        g.setFont(FigureFonts.regular(FigureStyle.TICK_FONT_SIZE));
        FontMetrics fm = g.getFontMetrics();
        float base = (float) (y + 5 + 1.5 + fm.getAscent());
        g.drawString("−" + shortFmt(scale), (float) x, base);
        centred(g, "0", x + w / 2, base);
        String hi = "+" + shortFmt(scale);
        g.drawString(hi, (float) (x + w - fm.stringWidth(hi)), base);
    }

    private static String fmt(double v) {
        long levels = Math.round(v * 255);
        String dec = String.format(Locale.ROOT, "%.3f", v);
        // Show the 8-bit form as well when the value is (nearly) a whole number of levels.
        return levels > 0 && Math.abs(v * 255 - levels) < 0.05 ? dec + " (" + levels + "/255)" : dec;
    }

    /** "8/255" when the value is a whole number of 8-bit levels, else "0.031". */
    private static String shortFmt(double v) {
        long levels = Math.round(v * 255);
        return levels > 0 && Math.abs(v * 255 - levels) < 0.05 ? levels + "/255" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static double linf(float[] delta) {
        double m = 0;
        for (float d : delta) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    private static void centred(Graphics2D g, String s, double cx, double baseline) {
        g.drawString(s, (float) (cx - g.getFontMetrics().getStringBounds(s, g).getWidth() / 2), (float) baseline);
    }

    private static void image(Graphics2D g, BufferedImage img, double x, double y, double w, double h) {
        AffineTransform at = new AffineTransform();
        at.translate(x, y);
        at.scale(w / img.getWidth(), h / img.getHeight());
        g.drawImage(img, at, null);
        g.setColor(FigureStyle.GRID);
        g.setStroke(new BasicStroke(0.4f));
        g.draw(new Rectangle2D.Double(x, y, w, h));
    }

    private BufferedImage toImage(float[] chw) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int yy = 0; yy < height; yy++) {
            for (int xx = 0; xx < width; xx++) {
                int p = yy * width + xx;
                int r = level(chw[p]);
                int gr = channels == 3 ? level(chw[plane + p]) : r;
                int b = channels == 3 ? level(chw[2 * plane + p]) : r;
                img.setRGB(xx, yy, (r << 16) | (gr << 8) | b);
            }
        }
        return upscale(img);
    }

    /** Signed perturbation, averaged over channels, through the diverging map with ±scale at the ends. */
    private BufferedImage perturbation(float[] delta, double scale) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            double d = 0;
            for (int c = 0; c < channels; c++) {
                d += delta[c * plane + p];
            }
            d /= channels;
            img.setRGB(p % width, p / width, diverging(scale > 0 ? d / scale : 0).getRGB());
        }
        return upscale(img);
    }

    private static Color diverging(double t) {
        return DivergingMap.at(t);
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    private static BufferedImage upscale(BufferedImage img) {
        int k = Math.max(1, (MIN_SOURCE_PIXELS + img.getWidth() - 1) / img.getWidth());
        if (k == 1) {
            return img;
        }
        BufferedImage big = new BufferedImage(img.getWidth() * k, img.getHeight() * k, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < big.getHeight(); y++) {
            for (int x = 0; x < big.getWidth(); x++) {
                big.setRGB(x, y, img.getRGB(x / k, y / k));
            }
        }
        return big;
    }
}
