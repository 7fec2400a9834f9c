package org.mrw.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.app.shell.ViewId;
import org.mrw.app.testing.WorkbenchFixture;
import org.mrw.core.figure.FigureExport;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.w3c.dom.Document;

/**
 * The Export view on the example run: curves as SVG, PDF and PNG at 300 dpi, the metrics table as CSV
 * and LaTeX, an adversarial sheet, the run bundle, and an unwritable folder that is named in the error.
 */
@ExtendWith(ApplicationExtension.class)
class ExportViewTest {

    private WorkbenchFixture bench;
    private ExportView view;
    private FxRobot robot;

    @TempDir
    Path out;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "export");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void exportsTheExampleRunsCurvesTablesImagesAndBundle(FxRobot robot) throws Exception {
        this.robot = robot;
        view = (ExportView) bench.show(ViewId.EXPORT, 300);
        assertThat(node("#preview", ImageView.class).getImage()).as("the curves preview is rendered").isNotNull();
        WorkbenchFixture.fx(() -> {
            node("#folder", TextField.class).setText(out.toString());
            return null;
        });

        // Curves: SVG parses, PDF embeds its font, PNG is the preset's size at 300 dpi.
        choose("#kind", ExportView.Kind.CURVES);
        choose("#size", ExportView.Preset.DOUBLE);
        choose("#figureFormat", FigureExport.Format.SVG);
        Path svg = exportByButton();
        assertThat(svg.getFileName().toString()).endsWith(".svg");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("504.0pt"); // 7 in
        assertThat(Files.readString(svg)).contains("resnet_int8_tflite");

        choose("#figureFormat", FigureExport.Format.PDF);
        Path pdf = export();
        byte[] pdfBytes = Files.readAllBytes(pdf);
        assertThat(new String(pdfBytes, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        try (org.apache.pdfbox.pdmodel.PDDocument doc2 = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
            assertThat(doc2.getNumberOfPages()).isEqualTo(1);
            assertThat(doc2.getPage(0).getMediaBox().getWidth()).isEqualTo(504f);
            List<org.apache.pdfbox.pdmodel.font.PDFont> fonts = new ArrayList<>();
            collectFonts(doc2.getPage(0).getResources(), fonts);
            assertThat(fonts).as("fonts embedded").isNotEmpty().allSatisfy(f -> assertThat(f.isEmbedded()).isTrue());
        }

        choose("#figureFormat", FigureExport.Format.PNG);
        choose("#value", "attack success rate");
        choose("#grouping", "a panel per deployment");
        WorkbenchFixture.fx(() -> {
            node("#dpi", Spinner.class).getValueFactory().setValue(300);
            return null;
        });
        Path png = export();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(7 * 300);
        assertThat(image.getHeight()).isEqualTo((int) Math.round(2.8 * 300));
        assertThat(png.getFileName().toString()).startsWith("success-curves");
        settle();
        assertThat(node("#previewCaption", Label.class).getText()).contains("2100 × 840 px at 300 dpi").contains(png.toString());
        bench.snapshot("export");

        // Tables.
        choose("#kind", ExportView.Kind.TABLE);
        choose("#tableFormat", "CSV");
        Path csv = export();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("target,source,attack,ε,8-bit,n,clean accuracy,clean accuracy_low");
        assertThat(lines.size()).as("7 targets × 2 attacks × 4 ε × float/8-bit").isGreaterThan(100);
        assertThat(String.join("\n", lines)).contains("resnet_int8_ptl,resnet_float_pt,fgsm");
        settle();
        assertThat(node("#previewText", TextArea.class).getText()).as("the preview is the file").isEqualTo(Files.readString(csv).replace("\r\n", "\n")); // a TextArea shows CRLF as LF
        choose("#tableFormat", "LaTeX (booktabs)");
        String tex = Files.readString(export());
        assertThat(tex).contains("\\toprule").contains("\\midrule").contains("\\bottomrule").contains("$\\varepsilon$");

        // Adversarial images: a sheet and NPY.
        choose("#kind", ExportView.Kind.IMAGES);
        choose("#imageFormat", ExportView.ImageFormat.SHEET);
        Path sheet = export();
        assertThat(ImageIO.read(sheet.toFile()).getHeight()).isGreaterThan(ImageIO.read(sheet.toFile()).getWidth());
        choose("#imageFormat", ExportView.ImageFormat.NPY);
        Path npy = export();
        assertThat(org.mrw.core.data.NpzArrays.readNpy(npy).shape()).containsExactly(6, 1, 28, 28);

        // The bundle.
        choose("#kind", ExportView.Kind.BUNDLE);
        Path zip = export();
        List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.add(e.getName());
            }
        }
        assertThat(entries).contains("results.db", "rows.csv", "rows.json", "spec.yaml", "run.json", "report/metrics.tex",
                "report/accuracy-curves.pdf");
        assertThat(entries.stream().filter(n -> n.startsWith("adversarials/") && n.endsWith(".npy")).count())
                .as("2 attacks × 4 ε × 2 batches of 50").isEqualTo(16);

        // An unwritable target: the error says what and where, and the choices stay.
        Path notAFolder = out.resolve("not-a-folder.txt");
        Files.writeString(notAFolder, "x");
        choose("#kind", ExportView.Kind.TABLE);
        WorkbenchFixture.fx(() -> {
            node("#folder", TextField.class).setText(notAFolder.toString());
            return null;
        });
        CompletableFuture<Path> failed = WorkbenchFixture.fx(() -> view.export());
        try {
            failed.get(60, TimeUnit.SECONDS);
            throw new AssertionError("writing below a regular file must fail");
        } catch (ExecutionException expected) {
            // the status line says why
        }
        WaitForAsyncUtils.waitForFxEvents();
        Label status = node("#status", Label.class);
        assertThat(status.getStyleClass()).contains("error-text");
        assertThat(status.getText()).contains("Could not write").contains(notAFolder.toString());
        assertThat(node("#kind", ChoiceBox.class).getValue()).isEqualTo(ExportView.Kind.TABLE);
    }

    private static void collectFonts(org.apache.pdfbox.pdmodel.PDResources res, List<org.apache.pdfbox.pdmodel.font.PDFont> out)
            throws java.io.IOException {
        if (res == null) {
            return;
        }
        for (org.apache.pdfbox.cos.COSName name : res.getFontNames()) {
            out.add(res.getFont(name));
        }
        for (org.apache.pdfbox.cos.COSName name : res.getXObjectNames()) {
            if (res.getXObject(name) instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form) {
                collectFonts(form.getResources(), out);
            }
        }
    }

    private Path export() throws Exception {
        CompletableFuture<Path> f = WorkbenchFixture.fx(() -> view.export());
        Path file = f.get(120, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(node("#status", Label.class).getText()).startsWith("Wrote " + file);
        assertThat(file).exists();
        return file;
    }

    private Path exportByButton() throws Exception {
        robot.clickOn("#exportButton");
        WaitForAsyncUtils.waitForFxEvents();
        Path file = view.lastExport().get(120, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(file).isNotNull().exists();
        return file;
    }

    @SuppressWarnings("unchecked")
    private <T> void choose(String id, T value) throws Exception {
        WorkbenchFixture.fx(() -> {
            ChoiceBox<T> box = node(id, ChoiceBox.class);
            assertThat(box.getItems()).contains(value);
            box.setValue(value);
            return null;
        });
    }

    private <T extends javafx.scene.Node> T node(String id, Class<T> type) {
        return robot.lookup(id).queryAs(type);
    }

    /** Waits until the preview shows the latest choice. */
    private void settle() throws Exception {
        waitUntil(() -> {
            try {
                return !WorkbenchFixture.fx(view::previewBusy);
            } catch (Exception e) {
                return false;
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
