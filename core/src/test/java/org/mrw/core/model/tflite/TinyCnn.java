package org.mrw.core.model.tflite;

import java.util.Random;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Padding;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;

/**
 * The tests' tiny CNN: 28x28x1 -> conv 3x3x8 stride 2 SAME + ReLU -> flatten -> dense 10, seeded
 * random weights, and the same network as a plain-Java forward pass.
 */
final class TinyCnn {

    static final int SIDE = 28;
    static final int CLASSES = 10;

    final Weights conv;
    final float[] convBias;
    final Weights dense;
    final float[] denseBias;

    TinyCnn(long seed) {
        Random r = new Random(seed);
        conv = Fixtures.weights(r, 9, 8, 3, 3, 1);
        convBias = Fixtures.bias(r, 8);
        dense = Fixtures.weights(r, 14 * 14 * 8, CLASSES, 14 * 14 * 8);
        denseBias = Fixtures.bias(r, CLASSES);
    }

    /** A graph of this network, its input and output nodes. */
    record Graph(TfliteModelWriter writer, Node input, Node output) {
    }

    /**
     * @param resizable false writes the flatten with a fixed batch of 1, as some exported models have
     */
    Graph graph(boolean resizable) {
        TfliteModelWriter w = new TfliteModelWriter("tiny cnn");
        Node x = w.input(SIDE, SIDE, 1);
        Node h = w.conv2d(x, conv, convBias, 2, Padding.SAME, Activation.RELU);
        Node flat = resizable ? w.flatten(h) : w.reshape(h, 1, 14 * 14 * 8);
        Node y = w.fullyConnected(flat, dense, denseBias, Activation.NONE);
        w.output(y);
        return new Graph(w, x, y);
    }

    Nhwc forward(Nhwc x) {
        Nhwc h = x.conv2d(conv, convBias, 2, Padding.SAME, Activation.RELU);
        return Nhwc.vector(h.v()).fullyConnected(dense, denseBias, Activation.NONE);
    }
}
