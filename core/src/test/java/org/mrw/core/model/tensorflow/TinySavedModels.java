package org.mrw.core.model.tensorflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.InputSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Builds tiny SavedModels with TF Java alone (no TensorFlow Python here), for tests of anything that
 * reads SavedModels. The network is conv 3x3 → ReLU → max-pool 2x2 → conv 3x3 stride 2 → ReLU →
 * dense → logits, with seeded random weights held in variables (so the folder has a real
 * {@code variables/} checkpoint). The serving signature {@code serving_default} takes {@code input}
 * and returns {@code logits} and {@code probabilities}.
 */
public final class TinySavedModels {

    private static final int CONV1_FILTERS = 8;
    private static final int CONV2_FILTERS = 16;

    private TinySavedModels() {
    }

    /**
     * Shape and seed of a tiny CNN.
     *
     * @param layout     layout of the input placeholder ({@code NCHW} is transposed inside the graph,
     *                   because TensorFlow's CPU convolutions take NHWC only)
     * @param channels   input channels
     * @param size       image height and width, a multiple of 4
     * @param classes    number of logits
     * @param fixedBatch batch size fixed in the input shape, or 0 for {@code -1} (any)
     * @param seed       seed of the weights
     */
    public record Architecture(InputSpec.Layout layout, int channels, int size, int classes, int fixedBatch, long seed) {

        public Architecture {
            if (size % 4 != 0 || size < 4) {
                throw new IllegalArgumentException("size must be a positive multiple of 4, got " + size);
            }
        }

        /** Fashion-MNIST-shaped: NHWC {@code [-1,28,28,1]}, 10 classes. */
        public static Architecture fashion() {
            return new Architecture(InputSpec.Layout.NHWC, 1, 28, 10, 0, 42L);
        }

        /** The same network with another input layout and shape. */
        public static Architecture of(InputSpec.Layout layout, int channels, int size) {
            return new Architecture(layout, channels, size, 10, 0, 7L);
        }

        /** A copy whose input shape fixes the batch size. */
        public Architecture withFixedBatch(int batch) {
            return new Architecture(layout, channels, size, classes, batch, seed);
        }

        Shape inputShape() {
            long n = fixedBatch > 0 ? fixedBatch : -1;
            return layout == InputSpec.Layout.NCHW ? Shape.of(n, channels, size, size) : Shape.of(n, size, size, channels);
        }
    }

    /** Exports the Fashion-MNIST-shaped CNN to {@code dir} and returns {@code dir}. */
    public static Path fashionCnn(Path dir) {
        return export(dir, Architecture.fashion());
    }

    /** Exports a CNN to {@code dir} (created; must not hold a SavedModel yet) and returns {@code dir}. */
    public static Path export(Path dir, Architecture arch) {
        int channels = arch.channels();
        int size = arch.size();
        int classes = arch.classes();
        Engines.tensorflow();
        Random random = new Random(arch.seed());
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.withName("input").placeholder(TFloat32.class, Placeholder.shape(arch.inputShape()));
            Operand<TFloat32> h = arch.layout() == InputSpec.Layout.NCHW
                    ? tf.linalg.transpose(input, tf.constant(new int[] {0, 2, 3, 1})) : input;

            List<Long> stride1 = List.of(1L, 1L, 1L, 1L);
            List<Long> stride2 = List.of(1L, 2L, 2L, 1L);
            h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h,
                    weights(tf, "conv1_kernel", random, 9 * channels, 3, 3, channels, CONV1_FILTERS), stride1, "SAME"),
                    bias(tf, "conv1_bias", random, CONV1_FILTERS)));
            h = tf.nn.maxPool(h, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
            h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h,
                    weights(tf, "conv2_kernel", random, 9 * CONV1_FILTERS, 3, 3, CONV1_FILTERS, CONV2_FILTERS), stride2, "SAME"),
                    bias(tf, "conv2_bias", random, CONV2_FILTERS)));
            int flat = (size / 4) * (size / 4) * CONV2_FILTERS;
            h = tf.reshape(h, tf.constant(new int[] {-1, flat}));
            Operand<TFloat32> logits = tf.withName("logits").identity(tf.nn.biasAdd(
                    tf.linalg.matMul(h, weights(tf, "dense_kernel", random, flat, flat, classes)),
                    bias(tf, "dense_bias", random, classes)));
            Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);

            try (Session session = new Session(graph)) {
                session.initialize();
                Signature signature = Signature.builder().key("serving_default").input("input", input)
                        .output("logits", logits).output("probabilities", probabilities).build();
                SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(signature).export();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export a SavedModel to " + dir, e);
        }
        return dir;
    }

    /** He-normal weights: std sqrt(2/fanIn) keeps the ReLU activations and the logits of order one. */
    private static Operand<TFloat32> weights(Ops tf, String name, Random random, int fanIn, long... shape) {
        return variable(tf, name, random, (float) Math.sqrt(2.0 / fanIn), shape);
    }

    /** Small non-zero biases, so no unit sits exactly on a ReLU kink for a black image. */
    private static Operand<TFloat32> bias(Ops tf, String name, Random random, long size) {
        return variable(tf, name, random, 0.05f, size);
    }

    private static Operand<TFloat32> variable(Ops tf, String name, Random random, float std, long... shape) {
        Shape s = Shape.of(shape);
        float[] values = new float[(int) s.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * std;
        }
        return tf.withName(name).variable(tf.constant(s, DataBuffers.of(values, true, false)));
    }
}
