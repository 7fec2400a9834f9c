package org.mrw.core.model.tflite;

import org.mrw.core.model.tflite.TfliteModelWriter.Weights;

/**
 * Converts PyTorch weight layouts to the ones {@link TfliteModelWriter} takes. PyTorch keeps images
 * NCHW, TFLite NHWC, so convolution kernels are transposed and a linear layer that follows a flatten
 * has its input columns permuted (PyTorch flattens C,H,W; TFLite H,W,C).
 */
public final class WeightLayouts {

    private WeightLayouts() {
    }

    /** {@code nn.Conv2d.weight} {@code [O,I,H,W]} to TFLite's CONV_2D {@code [O,H,W,I]}. */
    public static Weights conv2dFromTorch(float[] oihw, int out, int in, int height, int width) {
        check(oihw, (long) out * in * height * width, "conv2d");
        float[] r = new float[oihw.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        r[((o * height + y) * width + x) * in + i] = oihw[((o * in + i) * height + y) * width + x];
                    }
                }
            }
        }
        return Weights.of(r, out, height, width, in);
    }

    /**
     * Depthwise {@code nn.Conv2d(groups=C)} weight {@code [C*m,1,H,W]} to TFLite's DEPTHWISE_CONV_2D
     * {@code [1,H,W,C*m]}; both number output channel {@code c*m+k} after input channel {@code c}.
     */
    public static Weights depthwiseFromTorch(float[] o1hw, int out, int height, int width) {
        check(o1hw, (long) out * height * width, "depthwise");
        float[] r = new float[o1hw.length];
        for (int o = 0; o < out; o++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    r[(y * width + x) * out + o] = o1hw[(o * height + y) * width + x];
                }
            }
        }
        return Weights.of(r, 1, height, width, out);
    }

    /**
     * {@code nn.Linear.weight} {@code [O, C*H*W]} that reads a PyTorch flatten of a C x H x W map, with
     * columns reordered for TFLite's {@link TfliteModelWriter#flatten} of the same map (H,W,C order).
     */
    public static Weights fullyConnectedAfterFlatten(float[] weights, int out, int channels, int height, int width) {
        int in = channels * height * width;
        check(weights, (long) out * in, "fullyConnected");
        float[] r = new float[weights.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < height * width; p++) {
                    r[o * in + p * channels + c] = weights[o * in + c * height * width + p];
                }
            }
        }
        return Weights.of(r, out, in);
    }

    private static void check(float[] w, long expected, String what) {
        if (w.length != expected) {
            throw new IllegalArgumentException(what + " weights hold " + w.length + " values, the shape needs " + expected);
        }
    }
}
