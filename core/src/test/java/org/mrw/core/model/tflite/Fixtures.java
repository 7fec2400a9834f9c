package org.mrw.core.model.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Logits;
import org.mrw.core.model.Variant;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;

/** Seeded random weights and images, and writing a graph as a float or int8 file. */
final class Fixtures {

    private Fixtures() {
    }

    /** {@code n} canonical images (NCHW, uniform in [0,1]). */
    static ImageBatch images(long seed, int n, int channels, int height, int width) {
        Random r = new Random(seed);
        float[] px = new float[n * channels * height * width];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        return new ImageBatch(px, new int[n], channels, height, width);
    }

    /** He-normal weights: activations keep their scale through ReLU layers. */
    static Weights weights(Random r, int fanIn, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return Weights.of(v, shape);
    }

    static float[] bias(Random r, int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = (float) (r.nextGaussian() * 0.1);
        }
        return b;
    }

    /** The plain [0,1] NHWC spec of a graph input node. */
    static InputSpec spec(Node input) {
        int[] s = input.shape();
        return InputSpec.plain(InputSpec.Layout.NHWC, s[3], s[1], s[2], List.of());
    }

    /**
     * A written model. {@code outputQuantization} is null for float models.
     */
    record Written(Path file, AffineQuantization outputQuantization) {
    }

    /**
     * Writes {@code writer}'s graph to {@code dir/name.tflite}; int8 ranges are calibrated on
     * {@code calibration} with the input pinned to [0,1].
     */
    static Written write(Variant variant, TfliteModelWriter writer, Node input, ImageBatch calibration,
                         Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".tflite");
        if (variant == Variant.FLOAT) {
            writer.writeFloat32(file);
            return new Written(file, null);
        }
        writer.writeInt8(file, writer.calibrate(calibration, spec(input)).with(input, 0f, 1f));
        return new Written(file, outputQuantization(file));
    }

    /** The quantization of output 0 as stored in the file. */
    static AffineQuantization outputQuantization(Path file) throws IOException {
        Model model = Model.getRootAsModel(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN));
        SubGraph graph = model.subgraphs(0);
        QuantizationParameters q = graph.tensors(graph.outputs(0)).quantization();
        return AffineQuantization.int8(q.scale(0), (int) q.zeroPoint(0));
    }

    /** Reference outputs of every image of a batch, row-major, from a per-image forward pass. */
    static float[] reference(ImageBatch batch, Function<Nhwc, Nhwc> forward) {
        int per = batch.imageSize();
        float[] out = null;
        for (int n = 0; n < batch.size(); n++) {
            float[] nhwc = new float[per];
            int hw = batch.height() * batch.width();
            for (int ch = 0; ch < batch.channels(); ch++) {
                for (int p = 0; p < hw; p++) {
                    nhwc[p * batch.channels() + ch] = batch.pixels()[n * per + ch * hw + p];
                }
            }
            float[] y = forward.apply(new Nhwc(nhwc, batch.height(), batch.width(), batch.channels())).v();
            if (out == null) {
                out = new float[batch.size() * y.length];
            }
            System.arraycopy(y, 0, out, n * y.length, y.length);
        }
        return out;
    }

    /** Largest element-wise difference (arrays of one length), for assertions that print one number. */
    static double maxAbsDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " vs " + b.length + " values");
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /** Share of rows whose arg-max agrees. */
    static double argMaxAgreement(float[] a, float[] b, int n, int classes) {
        int[] pa = Logits.argMax(a, n, classes);
        int[] pb = Logits.argMax(b, n, classes);
        int same = 0;
        for (int i = 0; i < n; i++) {
            same += pa[i] == pb[i] ? 1 : 0;
        }
        return same / (double) n;
    }
}
