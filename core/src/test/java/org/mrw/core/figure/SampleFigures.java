package org.mrw.core.figure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mrw.core.model.Variant;

/** Plausible robustness data for figure tests, and the folder where tests leave figures to look at. */
final class SampleFigures {

    static final Path OUT = Path.of("target", "figures");

    private static final double[] EPSILONS = {0, 1 / 255.0, 2 / 255.0, 4 / 255.0, 6 / 255.0, 8 / 255.0, 12 / 255.0, 16 / 255.0};

    private SampleFigures() {
    }

    /** Six targets: PyTorch, TensorFlow and ONNX on PC, float and int8, and two phones. */
    static List<Curve> curves() {
        return List.of(
                curve("PyTorch float · PC", "PyTorch", Variant.FLOAT, Platform.PC, 0.92, 0.022),
                curve("PyTorch int8 · PC", "PyTorch", Variant.INT8, Platform.PC, 0.91, 0.019),
                curve("PyTorch Mobile int8 · Pixel 7", "PyTorch Mobile", Variant.INT8, Platform.MOBILE, 0.905, 0.018),
                curve("TensorFlow float · PC", "TensorFlow", Variant.FLOAT, Platform.PC, 0.90, 0.026),
                curve("TFLite int8 · Pixel 7", "TFLite", Variant.INT8, Platform.MOBILE, 0.89, 0.021),
                curve("ONNX Runtime float · PC", "ONNX Runtime", Variant.FLOAT, Platform.PC, 0.92, 0.024));
    }

    private static Curve curve(String label, String fw, Variant v, Platform p, double clean, double tau) {
        int n = 1000;
        List<Curve.Point> points = new ArrayList<>();
        for (double e : EPSILONS) {
            double acc = 0.1 + (clean - 0.1) * Math.exp(-Math.pow(e / tau, 1.4));
            double half = 1.96 * Math.sqrt(acc * (1 - acc) / n);
            points.add(new Curve.Point(e, acc, Math.max(0, acc - half), Math.min(1, acc + half)));
        }
        return new Curve(label, fw, v, p, points);
    }

    /** Four 28×28 grey "images" (smooth blobs) and their sign-pattern FGSM-like perturbations. */
    static ImageGrid grid(int channels) {
        int h = 28;
        int w = 28;
        int n = 3;
        int size = channels * h * w;
        float[] x = new float[n * size];
        float[] adv = new float[n * size];
        double eps = 8 / 255.0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        int k = i * size + c * h * w + y * w + xx;
                        double r = Math.hypot(y - 14 + 3 * i - 3, xx - 14 + 2 * c);
                        x[k] = (float) Math.max(0, Math.min(1, 1 - r / (7 + 2 * i)));
                        double s = Math.signum(Math.sin(xx * 0.9 + i) * Math.cos(y * 0.7 - c));
                        adv[k] = (float) Math.max(0, Math.min(1, x[k] + eps * s));
                    }
                }
            }
        }
        return ImageGrid.ofBatch(x, adv, n, channels, h, w, List.of("Sneaker", "Bag", "Coat"),
                List.of("Sandal", "Bag", "Pullover"), "FGSM, ε = 8/255, on TFLite int8 · Pixel 7");
    }
}
