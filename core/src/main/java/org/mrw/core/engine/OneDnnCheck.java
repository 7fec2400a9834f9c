package org.mrw.core.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Checks libtorch's oneDNN kernels on this CPU at the instruction-set cap this JVM started with
 * ({@code DNNL_MAX_CPU_ISA}): a diagnostic, run as
 * {@code DNNL_MAX_CPU_ISA=AVX2 java -cp ... org.mrw.core.engine.OneDnnCheck}.
 *
 * <p>Why: on this project's machines oneDNN's AVX-512 convolution backward gave input gradients that
 * changed from call to call and held NaNs, which this check catches (a 3-channel convolution at batch
 * 100 differs by 70 % between two calls). It is necessary, not sufficient: at AVX2 it passes, yet the
 * zoo's Inception got wrong scores and NaN FGSM gradients there with contiguous activations (oneDNN's
 * channel-blocked kernels, channel counts off the 8-channel block); the workbench therefore feeds
 * TorchScript models channels-last, which AVX2 runs right (see TorchScriptClassifier).
 *
 * <p>The check runs convolutions (plain, strided, depthwise) feeding padded 3×3 max pooling (stride 2,
 * and stride 1 as in Inception's pooling branch) and a ReLU, forward and backward to the input, twice,
 * at several batch sizes, and compares libtorch with a plain-Java computation of the same layers. It
 * passes when nothing is NaN, both calls agree, and both match the reference.
 */
public final class OneDnnCheck {

    /** Largest relative difference (to the largest magnitude) tolerated against the Java reference. */
    static final double TOLERANCE = 1e-4;

    /**
     * One layer configuration: batch, input channels, size, output channels, conv stride, groups, and the
     * padded 3×3 max pooling's stride (2 halves the map; 1 keeps it, as Inception's pooling branch does).
     */
    record Case(int batch, int channels, int size, int outChannels, int stride, int groups, int poolStride) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "conv %dx%dx%dx%d→%d stride %d groups %d, max pool 3x3/%d", batch, channels,
                    size, size, outChannels, stride, groups, poolStride);
        }
    }

    static final List<Case> CASES = List.of(
            new Case(1, 1, 28, 8, 1, 1, 2),
            new Case(7, 8, 14, 16, 2, 1, 2),
            new Case(64, 16, 14, 16, 1, 16, 2),
            new Case(33, 16, 7, 32, 1, 1, 2),
            new Case(100, 3, 28, 8, 1, 1, 2),
            new Case(100, 16, 14, 16, 1, 1, 1),
            new Case(100, 32, 7, 32, 1, 1, 1),
            new Case(64, 24, 14, 24, 1, 24, 1));

    /** What the check found: pass, and one line per failed case. */
    public record Result(boolean passed, List<String> failures) {
    }

    private OneDnnCheck() {
    }

    /** Runs every case in this JVM's libtorch (at whatever oneDNN instruction set it started with). */
    public static Result run() {
        Engines.pytorch();
        List<String> failures = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(20211);
        for (Case c : CASES) {
            Layers layers = Layers.random(c, random);
            float[] x = uniform(random, c.batch() * c.channels() * c.size() * c.size(), 0, 1);
            Reference expected = layers.reference(x);
            Reference first = libtorch(layers, x);
            Reference second = libtorch(layers, x);
            String problem = compare(c, expected, first, second);
            if (problem != null) {
                failures.add(problem);
            }
        }
        return new Result(failures.isEmpty(), List.copyOf(failures));
    }

    /** Null when both libtorch runs are finite, agree with each other and match the reference. */
    static String compare(Case c, Reference expected, Reference first, Reference second) {
        for (Reference r : List.of(first, second)) {
            if (!finite(r.output()) || !finite(r.gradient())) {
                return c + ": NaN or infinity in libtorch's output or input gradient";
            }
        }
        double repeat = Math.max(relativeError(first.gradient(), second.gradient()), relativeError(first.output(), second.output()));
        if (repeat > TOLERANCE) {
            return String.format(Locale.ROOT, "%s: two identical calls differ by %.3g (relative)", c, repeat);
        }
        double output = relativeError(expected.output(), first.output());
        double gradient = relativeError(expected.gradient(), first.gradient());
        if (output > TOLERANCE || gradient > TOLERANCE) {
            return String.format(Locale.ROOT, "%s: output off by %.3g, input gradient off by %.3g (relative)", c, output, gradient);
        }
        return null;
    }

    static double relativeError(float[] expected, float[] actual) {
        double scale = 1e-12;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
        }
        return expected.length == actual.length ? worst / scale : Double.POSITIVE_INFINITY;
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static Reference libtorch(Layers l, float[] input) {
        Case c = l.shape();
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = manager.create(input, new Shape(c.batch(), c.channels(), c.size(), c.size()));
            x.setRequiresGradient(true);
            NDArray w = manager.create(l.weight(), new Shape(c.outChannels(), c.channels() / c.groups(), 3, 3));
            NDArray b = manager.create(l.bias());
            NDArray y = Conv2d.conv2d(x, w, b, new Shape(c.stride(), c.stride()), new Shape(1, 1), new Shape(1, 1), c.groups()).singletonOrThrow();
            NDArray pooled = Pool.maxPool2d(y, new Shape(3, 3), new Shape(c.poolStride(), c.poolStride()), new Shape(1, 1), false).maximum(0f);
            NDArray weights = manager.create(l.head(), pooled.getShape());
            collector.backward(pooled.mul(weights).sum());
            return new Reference(pooled.toFloatArray(), x.getGradient().toFloatArray());
        }
    }

    /** Output after conv → max pool → ReLU, and the gradient of Σ head·output with respect to the input. */
    record Reference(float[] output, float[] gradient) {
    }

    /** Random layer parameters, and the same layers computed in plain Java. */
    record Layers(Case shape, float[] weight, float[] bias, float[] head) {

        static Layers random(Case c, SplittableRandom random) {
            int fanIn = c.channels() / c.groups() * 9;
            float bound = (float) (1 / Math.sqrt(fanIn));
            int conv = (c.size() + 2 - 3) / c.stride() + 1;
            int pooled = (conv + 2 - 3) / c.poolStride() + 1;
            return new Layers(c, uniform(random, c.outChannels() * fanIn, -bound, bound),
                    uniform(random, c.outChannels(), -bound, bound),
                    uniform(random, c.batch() * c.outChannels() * pooled * pooled, -1, 1));
        }

        Reference reference(float[] x) {
            Case c = shape;
            int n = c.batch();
            int in = c.channels();
            int out = c.outChannels();
            int h = c.size();
            int s = c.stride();
            int perGroupIn = in / c.groups();
            int perGroupOut = out / c.groups();
            int ch = (h + 2 - 3) / s + 1;
            int ps = c.poolStride();
            int ph = (ch + 2 - 3) / ps + 1;
            double[] y = new double[n * out * ch * ch];
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < out; o++) {
                    int g = o / perGroupOut;
                    for (int i = 0; i < ch; i++) {
                        for (int j = 0; j < ch; j++) {
                            double sum = bias[o];
                            for (int k = 0; k < perGroupIn; k++) {
                                int cIn = g * perGroupIn + k;
                                for (int u = 0; u < 3; u++) {
                                    int r = i * s - 1 + u;
                                    if (r < 0 || r >= h) {
                                        continue;
                                    }
                                    for (int v = 0; v < 3; v++) {
                                        int q = j * s - 1 + v;
                                        if (q >= 0 && q < h) {
                                            sum += (double) weight[((o * perGroupIn + k) * 3 + u) * 3 + v]
                                                    * x[((b * in + cIn) * h + r) * h + q];
                                        }
                                    }
                                }
                            }
                            y[((b * out + o) * ch + i) * ch + j] = sum;
                        }
                    }
                }
            }
            float[] output = new float[n * out * ph * ph];
            double[] dy = new double[y.length];
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < out; o++) {
                    int plane = (b * out + o) * ch * ch;
                    for (int i = 0; i < ph; i++) {
                        for (int j = 0; j < ph; j++) {
                            int arg = -1;
                            for (int u = 0; u < 3; u++) {
                                int r = ps * i - 1 + u;
                                for (int v = 0; v < 3; v++) {
                                    int q = ps * j - 1 + v;
                                    if (r >= 0 && r < ch && q >= 0 && q < ch && (arg < 0 || y[plane + r * ch + q] > y[arg])) {
                                        arg = plane + r * ch + q;
                                    }
                                }
                            }
                            int at = ((b * out + o) * ph + i) * ph + j;
                            output[at] = (float) Math.max(0, y[arg]);
                            if (y[arg] > 0) {
                                dy[arg] += head[at];
                            }
                        }
                    }
                }
            }
            double[] dx = new double[x.length];
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < out; o++) {
                    int g = o / perGroupOut;
                    for (int i = 0; i < ch; i++) {
                        for (int j = 0; j < ch; j++) {
                            double d = dy[((b * out + o) * ch + i) * ch + j];
                            if (d == 0) {
                                continue;
                            }
                            for (int k = 0; k < perGroupIn; k++) {
                                int cIn = g * perGroupIn + k;
                                for (int u = 0; u < 3; u++) {
                                    int r = i * s - 1 + u;
                                    for (int v = 0; v < 3 && r >= 0 && r < h; v++) {
                                        int q = j * s - 1 + v;
                                        if (q >= 0 && q < h) {
                                            dx[((b * in + cIn) * h + r) * h + q] += d * weight[((o * perGroupIn + k) * 3 + u) * 3 + v];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            float[] gradient = new float[dx.length];
            for (int i = 0; i < dx.length; i++) {
                gradient[i] = (float) dx[i];
            }
            return new Reference(output, gradient);
        }
    }

    private static float[] uniform(SplittableRandom random, int n, double low, double high) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return values;
    }

    /** Runs the check in this JVM and exits 0 when it passes, 1 when it fails; what failed goes to stderr. */
    public static void main(String[] args) {
        String isa = System.getenv(Engines.ONEDNN_ISA_VARIABLE);
        Result result;
        try {
            result = run();
        } catch (RuntimeException | LinkageError e) {
            result = new Result(false, List.of("the check could not run: " + e));
        }
        for (String failure : result.failures()) {
            System.err.println("oneDNN check failed: " + failure);
        }
        System.err.println("oneDNN check " + (result.passed() ? "passed" : "failed") + " at "
                + Engines.ONEDNN_ISA_VARIABLE + "=" + (isa == null ? "(unset)" : isa));
        System.exit(result.passed() ? 0 : 1);
    }
}
