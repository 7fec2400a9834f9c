package org.mrw.core.figure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

class FigureExportTest {

    private static final FigureSize SIZE = FigureSize.SINGLE_COLUMN;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static Drawing overlay() {
        return Drawing.of(RobustnessCurves.overlay(SampleFigures.curves(), RobustnessCurves.Options.defaults()));
    }

    @Test
    void svgIsWellFormedXmlSizedInPointsAndNamesEverySeriesAndEpsilon() throws Exception {
        String svg = FigureExport.svg(overlay(), SIZE);
        Files.createDirectories(SampleFigures.OUT);
        Files.writeString(SampleFigures.OUT.resolve("curves.svg"), svg);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("width")).matches("252(\\.0+)?pt");
        String text = doc.getDocumentElement().getTextContent();
        assertThat(text).contains("ε", "accuracy");
        for (Curve c : SampleFigures.curves()) {
            assertThat(text).contains(c.label());
        }
        assertThat(svg).contains("DejaVu Sans");
    }

    @Test
    void svgOfTheSameFigureIsTheSameBytesEveryTime() {
        // a regenerated figure must not show up as a change in version control
        assertThat(FigureExport.svg(overlay(), SIZE)).isEqualTo(FigureExport.svg(overlay(), SIZE)).contains("clip-path");
    }

    @Test
    void pdfIsOnePageOfTheRequestedSizeWithEmbeddedDejaVuAndExtractableEpsilon() throws Exception {
        Path file = SampleFigures.OUT.resolve("curves.pdf");
        FigureExport.write(overlay(), SIZE, 300, file);

        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(1);
            PDPage page = pdf.getPage(0);
            assertThat(page.getMediaBox().getWidth()).isEqualTo(252f);
            assertThat(page.getMediaBox().getHeight()).isEqualTo((float) (2.6 * 72));
            List<PDFont> fonts = new ArrayList<>();
            collectFonts(page.getResources(), fonts);
            assertThat(fonts).isNotEmpty().allSatisfy(f -> assertThat(f.isEmbedded()).isTrue());
            assertThat(fonts).extracting(PDFont::getName).anyMatch(n -> n.contains("DejaVuSans"));
            String text = new PDFTextStripper().getText(pdf);
            // The value-axis label is rotated: the stripper breaks it into pieces, but it is real text.
            assertThat(text).contains("ε");
            assertThat(text.replaceAll("\\s", "")).contains("accuracy");
            for (Curve c : SampleFigures.curves()) {
                assertThat(text).contains(c.label());
            }
        }
    }

    @Test
    void pngHasThePixelSizeOfTheDpiAndRecordsItInPhys() throws Exception {
        Path file = SampleFigures.OUT.resolve("curves.png");
        FigureExport.write(overlay(), SIZE, 300, file);

        try (InputStream in = Files.newInputStream(file); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            ImageReader reader = ImageIO.getImageReaders(iis).next();
            reader.setInput(iis);
            assertThat(reader.getWidth(0)).isEqualTo(1050); // 3.5 in × 300 dpi
            assertThat(reader.getHeight(0)).isEqualTo(780); // 2.6 in × 300 dpi
            IIOMetadata meta = reader.getImageMetadata(0);
            Node phys = child(meta.getAsTree("javax_imageio_png_1.0"), "pHYs");
            assertThat(phys).isNotNull();
            long ppm = Math.round(300 / 0.0254);
            assertThat(attr(phys, "pixelsPerUnitXAxis")).isEqualTo(Long.toString(ppm));
            assertThat(attr(phys, "pixelsPerUnitYAxis")).isEqualTo(Long.toString(ppm));
            assertThat(attr(phys, "unitSpecifier")).isEqualTo("meter");
            reader.dispose();
        }
    }

    @Test
    void groupedChartsAndTheImageGridExportThroughTheSameBackends() throws IOException {
        JFreeChart byFramework = RobustnessCurves.grouped(SampleFigures.curves(), RobustnessCurves.Grouping.FRAMEWORK,
                RobustnessCurves.Options.defaults().withEpsilonTicks(RobustnessCurves.EpsilonTicks.PIXEL_LEVELS));
        JFreeChart byDeployment = RobustnessCurves.grouped(SampleFigures.curves(),
                RobustnessCurves.Grouping.DEPLOYMENT, RobustnessCurves.Options.defaults()
                        .withUncertainty(RobustnessCurves.Uncertainty.ERROR_BARS));
        ImageGrid grid = SampleFigures.grid(1);
        ImageGrid rgb = SampleFigures.grid(3);
        for (String ext : List.of("svg", "pdf", "png")) {
            FigureExport.write(Drawing.of(byFramework), FigureSize.DOUBLE_COLUMN, 300,
                    SampleFigures.OUT.resolve("by-framework." + ext));
            FigureExport.write(Drawing.of(byDeployment), FigureSize.DOUBLE_COLUMN, 300,
                    SampleFigures.OUT.resolve("by-deployment." + ext));
            FigureExport.write(grid, grid.size(FigureSize.SINGLE_COLUMN.width()), 300,
                    SampleFigures.OUT.resolve("adversarials." + ext));
            FigureExport.write(rgb, rgb.size(FigureSize.SINGLE_COLUMN.width()), 300,
                    SampleFigures.OUT.resolve("adversarials-rgb." + ext));
        }
        try (PDDocument pdf = Loader.loadPDF(SampleFigures.OUT.resolve("adversarials.pdf").toFile())) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("Sneaker → Sandal", "‖δ‖∞");
        }
        try (PDDocument pdf = Loader.loadPDF(SampleFigures.OUT.resolve("by-framework.pdf").toFile())) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("PyTorch", "TensorFlow", "ONNX", "8/255",
                    "mobile · int8");
        }
    }

    @Test
    void pdfRendersLikeThePngBecauseBothDrawTheSameCallsInTheSameFont() throws IOException {
        Path file = SampleFigures.OUT.resolve("curves-same-path.pdf");
        FigureExport.write(overlay(), SIZE, 300, file);
        java.awt.image.BufferedImage png = FigureExport.render(overlay(), SIZE, 150);
        java.awt.image.BufferedImage fromPdf;
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            fromPdf = new org.apache.pdfbox.rendering.PDFRenderer(pdf).renderImageWithDPI(0, 150);
        }
        ImageIO.write(fromPdf, "png", SampleFigures.OUT.resolve("curves-pdf-rendered.png").toFile());
        // PDFRenderer truncates 187.2 pt × 150/72 to 389 rows where we round to 390.
        assertThat(fromPdf.getWidth()).isCloseTo(png.getWidth(), org.assertj.core.api.Assertions.within(1));
        assertThat(fromPdf.getHeight()).isCloseTo(png.getHeight(), org.assertj.core.api.Assertions.within(1));
        int w = Math.min(png.getWidth(), fromPdf.getWidth());
        int h = Math.min(png.getHeight(), fromPdf.getHeight());
        double diff = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = png.getRGB(x, y);
                int b = fromPdf.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    diff += Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF));
                }
            }
        }
        double mean = diff / (3.0 * w * h);
        // Anti-aliasing differs between the two rasterisers; a moved label or substituted font does not stay this low.
        assertThat(mean).isLessThan(6.0);
    }

    private static void collectFonts(PDResources res, List<PDFont> out) throws IOException {
        if (res == null) {
            return;
        }
        for (COSName name : res.getFontNames()) {
            out.add(res.getFont(name));
        }
        for (COSName name : res.getXObjectNames()) {
            PDXObject x = res.getXObject(name);
            if (x instanceof PDFormXObject form) {
                collectFonts(form.getResources(), out);
            }
        }
    }

    private static Node child(Node parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return n;
            }
        }
        return null;
    }

    private static String attr(Node n, String name) {
        return n.getAttributes().getNamedItem(name).getNodeValue();
    }
}
