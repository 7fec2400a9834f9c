package org.mrw.core.model.tflite;

import java.util.Random;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Padding;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;

/**
 * A small DAG that uses every operator the writer supports, on 12x12x3 images:
 * <ol>
 *   <li>stem: conv 3x3x8 stride 2 with PyTorch padding 1 (written as PAD + VALID), ReLU6;</li>
 *   <li>residual: stem + depthwise 3x3 SAME ReLU (stem), ADD with ReLU;</li>
 *   <li>two branches of the sum: max pool 2/2 VALID, and depthwise x2 then average pool 3/2 SAME
 *       (a partial window at the border), concatenated to 3x3x24;</li>
 *   <li>conv 1x1x16 ReLU, max pool 2/2 SAME, global average, dense 10, softmax.</li>
 * </ol>
 */
final class DagNet {

    static final int SIDE = 12;
    static final int CHANNELS = 3;
    static final int CLASSES = 10;

    private final Weights stem;
    private final float[] stemBias;
    private final Weights dw1;
    private final float[] dw1Bias;
    private final Weights dw2;
    private final float[] dw2Bias;
    private final Weights mix;
    private final float[] mixBias;
    private final Weights dense;
    private final float[] denseBias;

    DagNet(long seed) {
        Random r = new Random(seed);
        stem = Fixtures.weights(r, 27, 8, 3, 3, CHANNELS);
        stemBias = Fixtures.bias(r, 8);
        dw1 = Fixtures.weights(r, 9, 1, 3, 3, 8);
        dw1Bias = Fixtures.bias(r, 8);
        dw2 = Fixtures.weights(r, 9, 1, 3, 3, 16);
        dw2Bias = Fixtures.bias(r, 16);
        mix = Fixtures.weights(r, 24, 16, 1, 1, 24);
        mixBias = Fixtures.bias(r, 16);
        dense = Fixtures.weights(r, 4, CLASSES, 16);
        denseBias = Fixtures.bias(r, CLASSES);
    }

    /** The graph, its input, the concatenation (to inspect) and the output. */
    record Graph(TfliteModelWriter writer, Node input, Node concat, Node output) {
    }

    Graph graph() {
        TfliteModelWriter w = new TfliteModelWriter("dag");
        Node x = w.input(SIDE, SIDE, CHANNELS);
        Node s = w.conv2d(x, stem, stemBias, 2, 1, Activation.RELU6);
        Node d = w.depthwiseConv2d(s, dw1, dw1Bias, 1, Padding.SAME, Activation.RELU);
        Node sum = w.add(s, d, Activation.RELU);
        Node left = w.maxPool(sum, 2, 2, Padding.VALID);
        Node right = w.averagePool(w.depthwiseConv2d(sum, dw2, dw2Bias, 1, Padding.SAME, Activation.NONE), 3, 2, Padding.SAME);
        Node cat = w.concatenate(left, right);
        Node m = w.maxPool(w.conv2d(cat, mix, mixBias, 1, Padding.VALID, Activation.RELU), 2, 2, Padding.SAME);
        Node y = w.softmax(w.fullyConnected(w.globalAveragePool(m), dense, denseBias, Activation.NONE));
        w.output(y);
        return new Graph(w, x, cat, y);
    }

    Nhwc forward(Nhwc x) {
        Nhwc s = x.pad(1, 1, 1, 1).conv2d(stem, stemBias, 2, Padding.VALID, Activation.RELU6);
        Nhwc sum = s.add(s.depthwise(dw1, dw1Bias, 1, Padding.SAME, Activation.RELU), Activation.RELU);
        Nhwc left = sum.pool(true, 2, 2, Padding.VALID);
        Nhwc right = sum.depthwise(dw2, dw2Bias, 1, Padding.SAME, Activation.NONE).pool(false, 3, 2, Padding.SAME);
        Nhwc m = left.concatenate(right).conv2d(mix, mixBias, 1, Padding.VALID, Activation.RELU).pool(true, 2, 2, Padding.SAME);
        return m.globalAverage().fullyConnected(dense, denseBias, Activation.NONE).softmax();
    }
}
