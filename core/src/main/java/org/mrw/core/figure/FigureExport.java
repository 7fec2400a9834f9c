package org.mrw.core.figure;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUnits;
import org.jfree.svg.ViewBox;

/**
 * Writes a {@link Drawing} (a chart, an image grid) as SVG, PDF or PNG. All three get the same
 * Graphics2D calls in the same point-based coordinates, and the PDF embeds the bundled DejaVu Sans that
 * the drawing itself uses, so ε, ∞ and × print as they look on screen.
 */
public final class FigureExport {

    /** The output formats. */
    public enum Format {
        SVG, PDF, PNG;

        /** The format a file name's extension names. */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (name.endsWith("." + f.name().toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown figure format (want .svg, .pdf or .png): " + file);
        }
    }

    /** Default PNG resolution: print quality. */
    public static final double DEFAULT_DPI = 300;

    private static final double METRES_PER_INCH = 0.0254;

    private FigureExport() {
    }

    /** Writes to {@code file} in the format its extension names; {@code dpi} only matters for PNG. */
    public static void write(Drawing drawing, FigureSize size, double dpi, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            write(drawing, size, Format.of(file), dpi, out);
        }
    }

    /** Writes to a stream (left open). */
    public static void write(Drawing drawing, FigureSize size, Format format, double dpi, OutputStream out)
            throws IOException {
        switch (format) {
            case SVG:
                out.write(svg(drawing, size).getBytes(StandardCharsets.UTF_8));
                break;
            case PDF:
                pdf(drawing, size, out);
                break;
            default:
                png(drawing, size, dpi, out);
        }
        out.flush();
    }

    /** A standalone SVG document whose width and height are in points. */
    public static String svg(Drawing drawing, FigureSize size) {
        SVGGraphics2D g = new SVGGraphics2D(size.width(), size.height(), SVGUnits.PT);
        // JFreeSVG prefixes clip-path ids with the clock: a fixed prefix makes a regenerated figure the same bytes
        g.setDefsKeyPrefix("mrw");
        // JFreeSVG quotes attributes with ' so family names take ". Viewers without DejaVu fall back to Vera's metric twin, then any sans-serif.
        g.setFontFunction(family -> FigureFonts.FAMILY.equals(family)
                ? "\"DejaVu Sans\", \"Bitstream Vera Sans\", Verdana, sans-serif" : family);
        hints(g);
        drawing.draw(g, new Rectangle2D.Double(0, 0, size.width(), size.height()));
        g.dispose();
        // The viewBox maps user units to points, so 1 unit drawn = 1 pt on the page, as in the PDF.
        String element = g.getSVGElement(null, true, new ViewBox(0, 0, size.width(), size.height()),
                null, null);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element + "\n";
    }

    /** A one-page PDF of exactly {@code size} with the figure fonts embedded (subset). */
    public static void pdf(Drawing drawing, FigureSize size, OutputStream out) throws IOException {
        float w = (float) size.width();
        float h = (float) size.height();
        try (PDDocument doc = new PDDocument(); PdfBoxGraphics2DFontTextDrawer fonts = new PdfBoxGraphics2DFontTextDrawer()) {
            PDPage page = new PDPage(new PDRectangle(w, h));
            doc.addPage(page);
            // Map the AWT fonts the drawing uses, by name, to the same TrueType files embedded in the PDF.
            fonts.registerFont(FigureFonts.regular(1).getFontName(), embed(doc, false));
            fonts.registerFont(FigureFonts.bold(1).getFontName(), embed(doc, true));
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, w, h);
            g.setFontTextDrawer(fonts);
            hints(g);
            drawing.draw(g, new Rectangle2D.Double(0, 0, size.width(), size.height()));
            g.dispose();
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.drawForm(g.getXFormObject());
            }
            doc.getDocumentInformation().setCreator("Mobile Robustness Workbench");
            doc.save(out);
        }
    }

    private static PDType0Font embed(PDDocument doc, boolean bold) throws IOException {
        try (InputStream in = FigureFonts.openTrueType(bold)) {
            return PDType0Font.load(doc, in, true);
        }
    }

    /** Renders at {@code dpi} on white: {@code size × dpi / 72} pixels, the drawing scaled to fit. */
    public static BufferedImage render(Drawing drawing, FigureSize size, double dpi) {
        if (!(dpi > 0)) {
            throw new IllegalArgumentException("dpi must be positive: " + dpi);
        }
        BufferedImage img = new BufferedImage(size.pixelWidth(dpi), size.pixelHeight(dpi), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            hints(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.scale(img.getWidth() / size.width(), img.getHeight() / size.height());
            drawing.draw(g, new Rectangle2D.Double(0, 0, size.width(), size.height()));
        } finally {
            g.dispose();
        }
        return img;
    }

    /** A PNG at {@code dpi}, with the resolution recorded in its pHYs chunk so layout tools size it right. */
    public static void png(Drawing drawing, FigureSize size, double dpi, OutputStream out) throws IOException {
        writePng(render(drawing, size, dpi), dpi, out);
    }

    /** Writes an image as PNG with a pHYs chunk for {@code dpi}. */
    public static void writePng(BufferedImage img, double dpi, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG writer in this JDK");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            String ppm = Long.toString(Math.round(dpi / METRES_PER_INCH));
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", ppm);
            phys.setAttribute("pixelsPerUnitYAxis", ppm);
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            meta.mergeTree("javax_imageio_png_1.0", root);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, meta), param);
        } catch (IIOInvalidTreeException e) {
            throw new IOException("cannot set the PNG resolution", e);
        } finally {
            writer.dispose();
        }
    }

    private static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        // Fractional metrics and pure strokes: text widths and line positions independent of resolution,
        // so the PNG lays out exactly like the vector exports.
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }
}
