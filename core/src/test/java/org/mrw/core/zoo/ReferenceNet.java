package org.mrw.core.zoo;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ZooGraph} run in plain Java with PyTorch's semantics (NCHW, symmetric zero padding for
 * convolutions, -inf padding for max pooling, grouped convolution by groups), in double precision:
 * the reference every export is compared with.
 */
final class ReferenceNet {

    /** An activation map of one image: C x H x W, or a vector (H = W = 1). */
    private record Map3(double[] v, int c, int h, int w) {
        double at(int ch, int y, int x) {
            return v[(ch * h + y) * w + x];
        }
    }

    private final ZooGraph graph;

    ReferenceNet(ZooGraph graph) {
        this.graph = graph;
    }

    /** Logits of {@code count} canonical NCHW images. */
    float[] logits(float[] images, int count) {
        int classes = graph.numClasses();
        float[] out = new float[count * classes];
        for (int i = 0; i < count; i++) {
            Map<String, Map3> values = run(images, i);
            double[] l = values.get(graph.output()).v();
            for (int k = 0; k < classes; k++) {
                out[i * classes + k] = (float) l[k];
            }
        }
        return out;
    }

    /** [min, max] of every node's output (and the input) over {@code count} images. */
    Map<String, float[]> ranges(float[] images, int count) {
        Map<String, float[]> ranges = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            for (Map.Entry<String, Map3> e : run(images, i).entrySet()) {
                float[] r = ranges.computeIfAbsent(e.getKey(), k -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
                for (double v : e.getValue().v()) {
                    r[0] = Math.min(r[0], (float) v);
                    r[1] = Math.max(r[1], (float) v);
                }
            }
        }
        return ranges;
    }

    private Map<String, Map3> run(float[] images, int index) {
        ZooGraph.Input in = graph.input();
        int per = in.channels() * in.height() * in.width();
        double[] x = new double[per];
        for (int p = 0; p < per; p++) {
            x[p] = images[index * per + p];
        }
        Map<String, Map3> values = new HashMap<>();
        values.put(ZooGraph.INPUT, new Map3(x, in.channels(), in.height(), in.width()));
        for (ZooGraph.Node node : graph.nodes()) {
            values.put(node.name(), forward(node, values));
        }
        return values;
    }

    private Map3 forward(ZooGraph.Node node, Map<String, Map3> values) {
        if (node instanceof ZooGraph.Conv2d c) {
            return conv(values.get(c.input()), c);
        }
        if (node instanceof ZooGraph.Add a) {
            Map3 x = values.get(a.a());
            Map3 y = values.get(a.b());
            double[] v = new double[x.v().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = act(x.v()[i] + y.v()[i], a.activation());
            }
            return new Map3(v, x.c(), x.h(), x.w());
        }
        if (node instanceof ZooGraph.Concat c) {
            Map3 first = values.get(c.inputs().get(0));
            int channels = c.inputs().stream().mapToInt(n -> values.get(n).c()).sum();
            double[] v = new double[channels * first.h() * first.w()];
            int at = 0;
            for (String n : c.inputs()) {
                double[] part = values.get(n).v();
                System.arraycopy(part, 0, v, at, part.length);
                at += part.length;
            }
            return new Map3(v, channels, first.h(), first.w());
        }
        if (node instanceof ZooGraph.MaxPool m) {
            Map3 x = values.get(m.input());
            int oh = (x.h() + 2 * m.padding() - m.kernel()) / m.stride() + 1;
            int ow = (x.w() + 2 * m.padding() - m.kernel()) / m.stride() + 1;
            double[] v = new double[x.c() * oh * ow];
            for (int ch = 0; ch < x.c(); ch++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < m.kernel(); ky++) {
                            for (int kx = 0; kx < m.kernel(); kx++) {
                                int y = oy * m.stride() - m.padding() + ky;
                                int xx = ox * m.stride() - m.padding() + kx;
                                if (y >= 0 && y < x.h() && xx >= 0 && xx < x.w()) {
                                    best = Math.max(best, x.at(ch, y, xx));
                                }
                            }
                        }
                        v[(ch * oh + oy) * ow + ox] = best;
                    }
                }
            }
            return new Map3(v, x.c(), oh, ow);
        }
        if (node instanceof ZooGraph.GlobalAvgPool g) {
            Map3 x = values.get(g.input());
            double[] v = new double[x.c()];
            int area = x.h() * x.w();
            for (int ch = 0; ch < x.c(); ch++) {
                for (int p = 0; p < area; p++) {
                    v[ch] += x.v()[ch * area + p] / area;
                }
            }
            return new Map3(v, x.c(), 1, 1);
        }
        ZooGraph.Linear l = (ZooGraph.Linear) node;
        Map3 x = values.get(l.input());
        float[] w = graph.weight(l.weight()).values();
        float[] b = graph.weight(l.bias()).values();
        int in = x.v().length;
        double[] v = new double[l.outFeatures()];
        for (int o = 0; o < v.length; o++) {
            double s = b[o];
            for (int i = 0; i < in; i++) {
                s += w[o * in + i] * x.v()[i];
            }
            v[o] = s;
        }
        return new Map3(v, v.length, 1, 1);
    }

    private Map3 conv(Map3 x, ZooGraph.Conv2d c) {
        float[] w = graph.weight(c.weight()).values();
        float[] b = graph.weight(c.bias()).values();
        int k = c.kernel();
        int perGroupIn = x.c() / c.groups();
        int perGroupOut = c.outChannels() / c.groups();
        int oh = (x.h() + 2 * c.padding() - k) / c.stride() + 1;
        int ow = (x.w() + 2 * c.padding() - k) / c.stride() + 1;
        double[] v = new double[c.outChannels() * oh * ow];
        for (int o = 0; o < c.outChannels(); o++) {
            int group = o / perGroupOut;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double s = b[o];
                    for (int i = 0; i < perGroupIn; i++) {
                        int ch = group * perGroupIn + i;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int y = oy * c.stride() - c.padding() + ky;
                                int xx = ox * c.stride() - c.padding() + kx;
                                if (y >= 0 && y < x.h() && xx >= 0 && xx < x.w()) {
                                    s += w[((o * perGroupIn + i) * k + ky) * k + kx] * x.at(ch, y, xx);
                                }
                            }
                        }
                    }
                    v[(o * oh + oy) * ow + ox] = act(s, c.activation());
                }
            }
        }
        return new Map3(v, c.outChannels(), oh, ow);
    }

    private static double act(double v, ZooGraph.Activation a) {
        return switch (a) {
            case NONE -> v;
            case RELU -> Math.max(0, v);
            case RELU6 -> Math.min(6, Math.max(0, v));
        };
    }
}
