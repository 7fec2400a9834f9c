package org.mrw.core.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import org.mrw.core.model.Variant;

/**
 * The workbench's visual encoding (docs: UI.md), shared by charts, image grids and the app: colour =
 * framework family from the colour-blind-safe Okabe–Ito palette (Okabe &amp; Ito 2008), line style =
 * variant (solid float, dashed int8), marker = platform (circle PC, square mobile, triangle host device).
 * Sizes are in points; red (vermillion) is kept for flips and never names a framework.
 */
public final class FigureStyle {

    public static final Color BLACK = new Color(0x000000);
    public static final Color ORANGE = new Color(0xE69F00);
    public static final Color SKY_BLUE = new Color(0x56B4E9);
    public static final Color BLUISH_GREEN = new Color(0x009E73);
    public static final Color YELLOW = new Color(0xF0E442);
    public static final Color BLUE = new Color(0x0072B2);
    public static final Color VERMILLION = new Color(0xD55E00);
    public static final Color REDDISH_PURPLE = new Color(0xCC79A7);

    /** A prediction that flipped under attack. */
    public static final Color FLIP = VERMILLION;
    /** Text and axes. */
    public static final Color INK = new Color(0x222222);
    public static final Color GRID = new Color(0xDDDDDD);

    /** Colours for framework families nobody named yet, in order (yellow is too faint for lines on white). */
    private static final List<Color> SPARE = List.of(REDDISH_PURPLE, SKY_BLUE, BLACK);

    public static final float TICK_FONT_SIZE = 7f;
    public static final float LABEL_FONT_SIZE = 8f;
    public static final float LEGEND_FONT_SIZE = 7f;
    public static final float TITLE_FONT_SIZE = 9f;
    public static final float LINE_WIDTH = 1.2f;
    public static final double MARKER_SIZE = 3.4;

    private FigureStyle() {
    }

    /**
     * The family a framework or runtime name belongs to: "TensorFlow", "PyTorch", "ONNX", or the name
     * itself when unknown. TFLite counts as TensorFlow and PyTorch Mobile as PyTorch.
     */
    public static String family(String framework) {
        String f = framework.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        if (f.startsWith("tensorflow") || f.startsWith("tflite") || f.equals("tf") || f.startsWith("litert")) {
            return "TensorFlow";
        }
        if (f.startsWith("pytorch") || f.startsWith("torch") || f.startsWith("executorch")) {
            return "PyTorch";
        }
        if (f.startsWith("onnx")) {
            return "ONNX";
        }
        return framework;
    }

    /**
     * The colour of a framework family: TensorFlow orange, PyTorch blue, ONNX bluish green; other
     * families take the spare colours by their position in {@code others} (the unknown families of one
     * figure, in a stable order) so one figure never repeats a colour.
     */
    public static Color colour(String framework, List<String> others) {
        switch (family(framework)) {
            case "TensorFlow":
                return ORANGE;
            case "PyTorch":
                return BLUE;
            case "ONNX":
                return BLUISH_GREEN;
            default:
                int i = Math.max(0, others.indexOf(family(framework)));
                return SPARE.get(i % SPARE.size());
        }
    }

    /** Colour of a framework family known to the palette (unknown families get the first spare colour). */
    public static Color colour(String framework) {
        return colour(framework, List.of());
    }

    /** Position of a family in legends and panels: TensorFlow, PyTorch, ONNX, then the rest. */
    public static int familyOrder(String framework) {
        switch (family(framework)) {
            case "TensorFlow":
                return 0;
            case "PyTorch":
                return 1;
            case "ONNX":
                return 2;
            default:
                return 3;
        }
    }

    /** Solid for float, dashed for int8. */
    public static Stroke stroke(Variant variant) {
        if (variant == Variant.INT8) {
            return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {4.5f, 2.5f}, 0f);
        }
        return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** Circle for PC, square for mobile, triangle for a host device; centred on the origin. */
    public static Shape marker(Platform platform) {
        double s = MARKER_SIZE;
        switch (platform) {
            case MOBILE: {
                double q = s * 0.88; // a square looks larger than a circle of the same width
                return new Rectangle2D.Double(-q / 2, -q / 2, q, q);
            }
            case HOST_DEVICE: {
                double h = s * 1.1;
                Path2D.Double t = new Path2D.Double();
                t.moveTo(0, -h * 0.6);
                t.lineTo(h * 0.58, h * 0.4);
                t.lineTo(-h * 0.58, h * 0.4);
                t.closePath();
                return t;
            }
            default:
                return new Ellipse2D.Double(-s / 2, -s / 2, s, s);
        }
    }

    /** The same colour with the given alpha (0–1), for bands and fills. */
    public static Color withAlpha(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(alpha * 255));
    }
}
