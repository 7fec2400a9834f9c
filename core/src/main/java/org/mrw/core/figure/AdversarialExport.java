package org.mrw.core.figure;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mrw.core.data.NpyWriter;
import org.mrw.core.data.NpzArrays.FloatArray;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.RunAdversarials;

/**
 * Adversarial images of a run as files: an {@link ImageGrid} sheet, one PNG per image (8-bit, pixel for
 * pixel, so a PNG holds exactly the 8-bit rounded adversarial), or NPY arrays for numpy.
 */
public final class AdversarialExport {

    private AdversarialExport() {
    }

    /** A sheet of the samples (original, perturbation, adversarial, "label → prediction" on {@code target}). */
    public static ImageGrid sheet(RunAdversarials.Samples s, Map<Integer, ResultRow> judged, String target) {
        List<ImageGrid.Row> rows = new ArrayList<>();
        for (RunAdversarials.Sample x : s.samples()) {
            ResultRow r = judged.get(x.datasetIndex());
            String prediction = r == null ? "?" : s.className(r.prediction());
            rows.add(new ImageGrid.Row(x.original(), x.adversarial(), s.className(x.label()), prediction));
        }
        String title = s.unit().attack() + ", ε = " + RunAdversarials.epsilonText(s.unit().epsilon()) + (s.rounded() ? ", 8-bit" : "")
                + ", on " + target;
        return new ImageGrid(rows, s.channels(), s.height(), s.width(), title);
    }

    /**
     * One PNG per image into {@code folder}: {@code NNNNN_original.png} and {@code NNNNN_adversarial.png}
     * (NNNNN the dataset index), plus {@code samples.csv} (index, label, prediction). Returns the files written.
     */
    public static List<Path> pngs(RunAdversarials.Samples s, Map<Integer, ResultRow> judged, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        StringBuilder csv = new StringBuilder("dataset_index,label,prediction,confidence\r\n");
        for (RunAdversarials.Sample x : s.samples()) {
            String stem = String.format(Locale.ROOT, "%05d", x.datasetIndex());
            for (String kind : new String[] {"original", "adversarial"}) {
                Path f = folder.resolve(stem + "_" + kind + ".png");
                try (OutputStream out = Files.newOutputStream(f)) {
                    FigureExport.writePng(image(kind.equals("original") ? x.original() : x.adversarial(), s.channels(), s.height(), s.width()),
                            72, out);
                }
                written.add(f);
            }
            ResultRow r = judged.get(x.datasetIndex());
            csv.append(x.datasetIndex()).append(',').append(Tables.csvField(s.className(x.label()))).append(',')
                    .append(r == null ? "" : Tables.csvField(s.className(r.prediction()))).append(',')
                    .append(r == null ? "" : String.format(Locale.ROOT, "%.4f", r.confidence())).append("\r\n");
        }
        Path f = folder.resolve("samples.csv");
        Files.writeString(f, csv, StandardCharsets.UTF_8);
        written.add(f);
        return written;
    }

    /** The adversarials as one float32 NPY, shaped {@code [n, c, h, w]}, values in [0, 1]. */
    public static void npy(RunAdversarials.Samples s, boolean originals, OutputStream out) throws IOException {
        int size = s.channels() * s.height() * s.width();
        float[] all = new float[s.samples().size() * size];
        for (int i = 0; i < s.samples().size(); i++) {
            RunAdversarials.Sample x = s.samples().get(i);
            System.arraycopy(originals ? x.original() : x.adversarial(), 0, all, i * size, size);
        }
        NpyWriter.write(out, new FloatArray(new int[] {s.samples().size(), s.channels(), s.height(), s.width()}, all));
    }

    /** A CHW image in [0, 1] as an 8-bit image (grey or RGB). */
    public static BufferedImage image(float[] chw, int channels, int height, int width) {
        BufferedImage img = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            int r = level(chw[p]);
            if (channels == 1) {
                img.getRaster().setSample(p % width, p / width, 0, r);
            } else {
                img.setRGB(p % width, p / width, (r << 16) | (level(chw[plane + p]) << 8) | level(chw[2 * plane + p]));
            }
        }
        return img;
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
