import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Draws the workbench's icon: a phone outline on an indigo tile with a falling robustness curve
 * (accuracy over ε) that leaves the phone. Run at build time as a single-file program
 * ({@code java MakeIcon.java OUT.png [SIZE]}), so no binary image is committed.
 */
public final class MakeIcon {

    private MakeIcon() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java MakeIcon.java OUT.png [SIZE]");
            System.exit(2);
        }
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        File out = new File(args[0]);
        if (out.getAbsoluteFile().getParentFile() != null) {
            out.getAbsoluteFile().getParentFile().mkdirs();
        }
        ImageIO.write(draw(size), "png", out);
    }

    /** The icon at {@code size}×{@code size}, drawn on a 256-unit grid so every size has the same shapes. */
    static BufferedImage draw(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(size / 256.0, size / 256.0);

        // tile
        g.setPaint(new GradientPaint(0, 0, new Color(0x3F51B5), 256, 256, new Color(0x1A237E)));
        g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 56, 56));

        // phone: thick white outline so it survives 48 px
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(14, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new RoundRectangle2D.Double(66, 34, 104, 188, 28, 28));
        g.fill(new RoundRectangle2D.Double(104, 192, 28, 9, 9, 9));

        // the robustness curve: high on the left, falling through the phone, ending outside it
        Path2D curve = new Path2D.Double();
        curve.moveTo(40, 82);
        curve.curveTo(110, 82, 128, 104, 150, 150);
        curve.curveTo(164, 180, 186, 196, 220, 198);
        g.setColor(new Color(0x1A237E));
        g.setStroke(new BasicStroke(34, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(curve); // a dark halo separates the curve from the phone's outline
        g.setColor(new Color(0xFFB300));
        g.setStroke(new BasicStroke(18, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(curve);
        g.setColor(new Color(0xFF5252));
        g.fill(new Ellipse2D.Double(220 - 17, 198 - 17, 34, 34));
        g.dispose();
        return img;
    }
}
