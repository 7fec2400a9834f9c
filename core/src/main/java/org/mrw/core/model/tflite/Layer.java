package org.mrw.core.model.tflite;

import java.util.List;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Padding;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;

/**
 * One operator of a {@link TfliteModelWriter} graph, kept with its float weights so the same graph
 * can be emitted as float32 and as int8. Arguments were checked by the writer.
 */
sealed interface Layer {

    /** Activation tensors read, in operator input order. */
    List<Node> inputs();

    /** The activation tensor written. */
    Node output();

    /**
     * True when TFLite's int8 kernel copies or compares values without requantizing, so inputs and
     * output must share one scale and zero point (2.6's concatenation, pooling, reshape and pad).
     */
    default boolean sharesQuantization() {
        return false;
    }

    /** CONV_2D: weights [O,H,W,I]. */
    record Conv2d(Node input, Node output, Weights weights, float[] bias, int stride, Padding padding,
                  Activation activation) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(input);
        }
    }

    /** DEPTHWISE_CONV_2D: weights [1,H,W,C*multiplier]. */
    record DepthwiseConv2d(Node input, Node output, Weights weights, float[] bias, int stride, Padding padding,
                           Activation activation, int multiplier) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(input);
        }
    }

    /** FULLY_CONNECTED: weights [O,I]. */
    record FullyConnected(Node input, Node output, Weights weights, float[] bias, Activation activation) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(input);
        }
    }

    /** ADD of two tensors of one shape. */
    record Add(Node left, Node right, Node output, Activation activation) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(left, right);
        }
    }

    /** CONCATENATION along the last (channel) axis. */
    record Concatenation(List<Node> inputs, Node output) implements Layer {
        @Override
        public boolean sharesQuantization() {
            return true;
        }
    }

    /** MAX_POOL_2D or AVERAGE_POOL_2D with a square window. */
    record Pool2d(boolean max, Node input, Node output, int size, int stride, Padding padding) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(input);
        }

        @Override
        public boolean sharesQuantization() {
            return true;
        }
    }

    /** MEAN over height and width: global average pooling to [N,C]. */
    record Mean(Node input, Node output) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(input);
        }
    }

    /** RESHAPE to {@code newShape} (may hold one -1). */
    record Reshape(Node input, Node output, int[] newShape) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(input);
        }

        @Override
        public boolean sharesQuantization() {
            return true;
        }
    }

    /** SOFTMAX over the last axis (beta 1). */
    record Softmax(Node input, Node output) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(input);
        }
    }

    /** PAD of height and width with zeros: {@code top, bottom, left, right}. */
    record Pad(Node input, Node output, int top, int bottom, int left, int right) implements Layer {
        @Override
        public List<Node> inputs() {
            return List.of(input);
        }

        @Override
        public boolean sharesQuantization() {
            return true;
        }
    }
}
