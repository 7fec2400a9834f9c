package org.mrw.core.model.tflite;

import java.util.Random;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;

/**
 * A network described the way PyTorch stores it (NCHW, {@code Conv2d.weight [O,I/groups,H,W]},
 * symmetric padding, flatten in C,H,W order) with a forward pass written in those terms:
 * conv 3x3 3->6 padding 1 + ReLU, depthwise 3x3 6->12 stride 2 padding 1, flatten, linear 300->10.
 */
final class TorchNet {

    static final int SIDE = 10;
    static final int CLASSES = 10;

    private final float[] convW = new float[6 * 3 * 3 * 3];
    private final float[] convB = new float[6];
    private final float[] dwW = new float[12 * 3 * 3];
    private final float[] dwB = new float[12];
    private final float[] linW = new float[CLASSES * 12 * 5 * 5];
    private final float[] linB = new float[CLASSES];

    TorchNet(long seed) {
        Random r = new Random(seed);
        for (float[] a : new float[][] {convW, convB, dwW, dwB, linW, linB}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (r.nextGaussian() * 0.3);
            }
        }
    }

    /** The same network through {@link WeightLayouts} and PyTorch-style padding; returns its input node. */
    Node build(TfliteModelWriter w) {
        Node x = w.input(SIDE, SIDE, 3);
        Node h = w.conv2d(x, WeightLayouts.conv2dFromTorch(convW, 6, 3, 3, 3), convB, 1, 1, Activation.RELU);
        Node d = w.depthwiseConv2d(h, WeightLayouts.depthwiseFromTorch(dwW, 12, 3, 3), dwB, 2, 1, Activation.NONE);
        Node y = w.fullyConnected(w.flatten(d), WeightLayouts.fullyConnectedAfterFlatten(linW, CLASSES, 12, 5, 5), linB,
                Activation.NONE);
        w.output(y);
        return x;
    }

    /** Logits of one canonical NCHW image. */
    float[] forward(float[] chw) {
        float[] h = conv(chw, 3, SIDE, convW, convB, 6, 1, 1, 1);
        for (int i = 0; i < h.length; i++) {
            h[i] = Math.max(0f, h[i]);
        }
        float[] d = conv(h, 6, SIDE, dwW, dwB, 12, 6, 2, 1);
        float[] out = new float[CLASSES];
        for (int o = 0; o < CLASSES; o++) {
            double sum = linB[o];
            for (int i = 0; i < d.length; i++) {
                sum += linW[o * d.length + i] * d[i];
            }
            out[o] = (float) sum;
        }
        return out;
    }

    /** {@code torch.nn.functional.conv2d} on one square CHW image, 3x3 kernels. */
    private static float[] conv(float[] in, int inC, int side, float[] w, float[] b, int outC, int groups, int stride, int pad) {
        int k = 3;
        int out = (side + 2 * pad - k) / stride + 1;
        int inPerGroup = inC / groups;
        int outPerGroup = outC / groups;
        float[] r = new float[outC * out * out];
        for (int o = 0; o < outC; o++) {
            int g = o / outPerGroup;
            for (int y = 0; y < out; y++) {
                for (int x = 0; x < out; x++) {
                    double sum = b[o];
                    for (int i = 0; i < inPerGroup; i++) {
                        int ic = g * inPerGroup + i;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = y * stride - pad + ky;
                                int ix = x * stride - pad + kx;
                                if (iy >= 0 && iy < side && ix >= 0 && ix < side) {
                                    sum += in[(ic * side + iy) * side + ix] * w[((o * inPerGroup + i) * k + ky) * k + kx];
                                }
                            }
                        }
                    }
                    r[(o * out + y) * out + x] = (float) sum;
                }
            }
        }
        return r;
    }
}
