package org.mrw.core.model.tensorflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.InputSpec;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.FusedBatchNorm;
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
     * @param functionCall true to put the layers (plus a batch norm) in a graph function, as Keras does
     */
    public record Architecture(InputSpec.Layout layout, int channels, int size, int classes, int fixedBatch, long seed,
                               boolean functionCall) {

        public Architecture {
            if (size % 4 != 0 || size < 4) {
                throw new IllegalArgumentException("size must be a positive multiple of 4, got " + size);
            }
        }

        /** Fashion-MNIST-shaped: NHWC {@code [-1,28,28,1]}, 10 classes. */
        public static Architecture fashion() {
            return new Architecture(InputSpec.Layout.NHWC, 1, 28, 10, 0, 42L, false);
        }

        /** The same network with another input layout and shape. */
        public static Architecture of(InputSpec.Layout layout, int channels, int size) {
            return new Architecture(layout, channels, size, 10, 0, 7L, false);
        }

        /** A copy whose input shape fixes the batch size. */
        public Architecture withFixedBatch(int batch) {
            return new Architecture(layout, channels, size, classes, batch, seed, functionCall);
        }

        /** A copy whose layers sit in a called graph function, Keras-style. */
        public Architecture withFunctionCall() {
            return new Architecture(layout, channels, size, classes, fixedBatch, seed, true);
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
        Engines.tensorflow();
        Random random = new Random(arch.seed());
        int flat = (arch.size() / 4) * (arch.size() / 4) * CONV2_FILTERS;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.withName("input").placeholder(TFloat32.class, Placeholder.shape(arch.inputShape()));
            Operand<TFloat32> nhwc = arch.layout() == InputSpec.Layout.NCHW
                    ? tf.linalg.transpose(input, tf.constant(new int[] {0, 2, 3, 1})) : input;
            List<Operand<TFloat32>> params = List.of(
                    weights(tf, "conv1_kernel", random, 9 * arch.channels(), 3, 3, arch.channels(), CONV1_FILTERS),
                    bias(tf, "conv1_bias", random, CONV1_FILTERS),
                    weights(tf, "conv2_kernel", random, 9 * CONV1_FILTERS, 3, 3, CONV1_FILTERS, CONV2_FILTERS),
                    bias(tf, "conv2_bias", random, CONV2_FILTERS),
                    weights(tf, "dense_kernel", random, flat, flat, arch.classes()),
                    bias(tf, "dense_bias", random, arch.classes()));
            Operand<TFloat32> logits = tf.withName("logits").identity(arch.functionCall()
                    ? callLayers(tf, nhwc, params, arch, random) : layers(tf, nhwc, params, flat, null));
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

    /** The network on NHWC input; {@code batchNorm} (scale, offset, mean, variance) adds an inference-mode batch norm. */
    private static Operand<TFloat32> layers(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> params, int flat,
                                            List<Operand<TFloat32>> batchNorm) {
        List<Long> stride1 = List.of(1L, 1L, 1L, 1L);
        List<Long> stride2 = List.of(1L, 2L, 2L, 1L);
        Operand<TFloat32> h = tf.nn.biasAdd(tf.nn.conv2d(x, params.get(0), stride1, "SAME"), params.get(1));
        if (batchNorm != null) {
            h = tf.nn.fusedBatchNorm(h, batchNorm.get(0), batchNorm.get(1), batchNorm.get(2), batchNorm.get(3),
                    FusedBatchNorm.isTraining(false)).y();
        }
        h = tf.nn.maxPool(tf.nn.relu(h), tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
        h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h, params.get(2), stride2, "SAME"), params.get(3)));
        h = tf.reshape(h, tf.constant(new int[] {-1, flat}));
        return tf.nn.biasAdd(tf.linalg.matMul(h, params.get(4)), params.get(5));
    }

    /**
     * The layers as a graph function called from the serving graph, the way Keras exports models
     * ({@code PartitionedCall} with the weights as arguments), with a batch norm inside: the op whose
     * gradient the FINDINGS probe saw missing for Keras models.
     */
    private static Operand<TFloat32> callLayers(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> params,
                                                Architecture arch, Random random) {
        int flat = (arch.size() / 4) * (arch.size() / 4) * CONV2_FILTERS;
        float[][] norm = new float[4][CONV1_FILTERS];
        for (int c = 0; c < CONV1_FILTERS; c++) {
            norm[0][c] = 1f + 0.2f * (float) random.nextGaussian();
            norm[1][c] = 0.1f * (float) random.nextGaussian();
            norm[2][c] = 0.1f * (float) random.nextGaussian();
            norm[3][c] = 1f + 0.5f * random.nextFloat();
        }
        ConcreteFunction function = ConcreteFunction.create(ftf -> {
            Signature.Builder signature = Signature.builder().key("layers");
            Placeholder<TFloat32> fx = ftf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, arch.size(), arch.size(), arch.channels())));
            signature.input("x", fx);
            List<Operand<TFloat32>> fparams = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                Placeholder<TFloat32> p = ftf.placeholder(TFloat32.class);
                fparams.add(p);
                signature.input("w" + i, p);
            }
            List<Operand<TFloat32>> batchNorm = new ArrayList<>();
            for (float[] values : norm) {
                batchNorm.add(ftf.constant(values));
            }
            return signature.output("logits", layers(ftf, fx, fparams, flat, batchNorm)).build();
        });
        Map<String, Operand<?>> arguments = new HashMap<>();
        arguments.put("x", x);
        for (int i = 0; i < params.size(); i++) {
            arguments.put("w" + i, params.get(i));
        }
        return function.call(tf, arguments).get("logits").asOutput().expect(TFloat32.class);
    }

    /**
     * Exports a linear classifier of 8x8 grey NHWC images that rounds its input first: TensorFlow has
     * no gradient for {@code Round}, so the model runs but cannot be differentiated.
     */
    public static Path roundingModel(Path dir) {
        Engines.tensorflow();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.withName("input").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
            Operand<TFloat32> flat = tf.reshape(tf.math.round(input), tf.constant(new int[] {-1, 64}));
            Operand<TFloat32> logits = tf.withName("logits").identity(tf.linalg.matMul(flat, weights(tf, "kernel", new Random(1), 64, 64, 3)));
            try (Session session = new Session(graph)) {
                session.initialize();
                Signature signature = Signature.builder().key("serving_default").input("input", input).output("logits", logits).build();
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
