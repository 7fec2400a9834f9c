package org.mrw.core.model.tflite;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Padding;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;

/**
 * One image as plain Java floats, NHWC without the batch dimension, with a straightforward float
 * implementation of every operator {@link TfliteModelWriter} writes, following TFLite's documented
 * semantics (SAME pads the odd pixel at the bottom/right; SAME average pooling divides by the pixels
 * inside the image). The reference the interpreter's results are checked against.
 */
record Nhwc(float[] v, int h, int w, int c) {

    Nhwc {
        if (v.length != h * w * c) {
            throw new IllegalArgumentException(v.length + " values for " + h + "x" + w + "x" + c);
        }
    }

    float at(int y, int x, int ch) {
        return v[(y * w + x) * c + ch];
    }

    /** A flat vector (after flatten or a fully-connected layer): 1 x 1 x n. */
    static Nhwc vector(float[] v) {
        return new Nhwc(v, 1, 1, v.length);
    }

    Nhwc conv2d(Weights weights, float[] bias, int stride, Padding padding, Activation act) {
        int[] s = weights.shape();
        float[] k = weights.values();
        int outC = s[0];
        int kh = s[1];
        int kw = s[2];
        Window wy = Window.of(h, kh, stride, padding);
        Window wx = Window.of(w, kw, stride, padding);
        float[] out = new float[wy.out * wx.out * outC];
        for (int oy = 0; oy < wy.out; oy++) {
            for (int ox = 0; ox < wx.out; ox++) {
                for (int o = 0; o < outC; o++) {
                    double sum = bias[o];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * stride - wy.before + ky;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * stride - wx.before + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                for (int i = 0; i < c; i++) {
                                    sum += at(iy, ix, i) * k[((o * kh + ky) * kw + kx) * c + i];
                                }
                            }
                        }
                    }
                    out[(oy * wx.out + ox) * outC + o] = activate(sum, act);
                }
            }
        }
        return new Nhwc(out, wy.out, wx.out, outC);
    }

    Nhwc depthwise(Weights weights, float[] bias, int stride, Padding padding, Activation act) {
        int[] s = weights.shape();
        float[] k = weights.values();
        int kh = s[1];
        int kw = s[2];
        int outC = s[3];
        int multiplier = outC / c;
        Window wy = Window.of(h, kh, stride, padding);
        Window wx = Window.of(w, kw, stride, padding);
        float[] out = new float[wy.out * wx.out * outC];
        for (int oy = 0; oy < wy.out; oy++) {
            for (int ox = 0; ox < wx.out; ox++) {
                for (int o = 0; o < outC; o++) {
                    double sum = bias[o];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * stride - wy.before + ky;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * stride - wx.before + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                sum += at(iy, ix, o / multiplier) * k[(ky * kw + kx) * outC + o];
                            }
                        }
                    }
                    out[(oy * wx.out + ox) * outC + o] = activate(sum, act);
                }
            }
        }
        return new Nhwc(out, wy.out, wx.out, outC);
    }

    /** Fully connected on the flattened values (NHWC order). */
    Nhwc fullyConnected(Weights weights, float[] bias, Activation act) {
        int[] s = weights.shape();
        float[] k = weights.values();
        float[] out = new float[s[0]];
        for (int o = 0; o < s[0]; o++) {
            double sum = bias[o];
            for (int i = 0; i < s[1]; i++) {
                sum += v[i] * k[o * s[1] + i];
            }
            out[o] = activate(sum, act);
        }
        return vector(out);
    }

    Nhwc add(Nhwc other, Activation act) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = activate((double) v[i] + other.v[i], act);
        }
        return new Nhwc(out, h, w, c);
    }

    Nhwc concatenate(Nhwc other) {
        int oc = c + other.c;
        float[] out = new float[h * w * oc];
        for (int p = 0; p < h * w; p++) {
            System.arraycopy(v, p * c, out, p * oc, c);
            System.arraycopy(other.v, p * other.c, out, p * oc + c, other.c);
        }
        return new Nhwc(out, h, w, oc);
    }

    Nhwc pool(boolean max, int size, int stride, Padding padding) {
        Window wy = Window.of(h, size, stride, padding);
        Window wx = Window.of(w, size, stride, padding);
        float[] out = new float[wy.out * wx.out * c];
        for (int oy = 0; oy < wy.out; oy++) {
            for (int ox = 0; ox < wx.out; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int ky = 0; ky < size; ky++) {
                        int iy = oy * stride - wy.before + ky;
                        for (int kx = 0; kx < size; kx++) {
                            int ix = ox * stride - wx.before + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                acc = max ? Math.max(acc, at(iy, ix, ch)) : acc + at(iy, ix, ch);
                                count++;
                            }
                        }
                    }
                    out[(oy * wx.out + ox) * c + ch] = (float) (max ? acc : acc / count);
                }
            }
        }
        return new Nhwc(out, wy.out, wx.out, c);
    }

    Nhwc globalAverage() {
        float[] out = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int p = 0; p < h * w; p++) {
                sum += v[p * c + ch];
            }
            out[ch] = (float) (sum / (h * w));
        }
        return vector(out);
    }

    Nhwc pad(int top, int bottom, int left, int right) {
        int oh = h + top + bottom;
        int ow = w + left + right;
        float[] out = new float[oh * ow * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(v, y * w * c, out, ((y + top) * ow + left) * c, w * c);
        }
        return new Nhwc(out, oh, ow, c);
    }

    Nhwc softmax() {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : v) {
            sum += Math.exp(x - max);
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (Math.exp(v[i] - max) / sum);
        }
        return vector(out);
    }

    Nhwc map(DoubleUnaryOperator f) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) f.applyAsDouble(v[i]);
        }
        return new Nhwc(out, h, w, c);
    }

    static float activate(double x, Activation act) {
        return (float) switch (act) {
            case NONE -> x;
            case RELU -> Math.max(0, x);
            case RELU6 -> Math.min(6, Math.max(0, x));
        };
    }

    @Override
    public String toString() {
        return "Nhwc[" + h + "x" + w + "x" + c + "]" + Arrays.toString(Arrays.copyOf(v, Math.min(v.length, 8)));
    }

    /** Output size and leading padding of one spatial dimension, as TFLite computes them. */
    private record Window(int out, int before) {
        static Window of(int in, int k, int stride, Padding padding) {
            if (padding == Padding.VALID) {
                return new Window((in - k) / stride + 1, 0);
            }
            int out = (in + stride - 1) / stride;
            return new Window(out, Math.max((out - 1) * stride + k - in, 0) / 2);
        }
    }
}
