package org.mrw.core.zoo;

/**
 * How a padded max pool is exported. PyTorch pads max pooling with -inf, so padded pixels never win.
 * Both TensorFlow's and TFLite's {@code SAME} pooling ignore padded pixels too, so {@code SAME} is exact
 * where it yields PyTorch's windows. Other paddings are refused rather than approximated: TFLite can only
 * pad with zeros, and both exports of a graph should compute the same windows the same way.
 */
final class PoolPadding {

    private PoolPadding() {
    }

    /**
     * True for SAME, false for VALID (no padding).
     *
     * @throws ZooGraphException when neither computes PyTorch's windows
     */
    static boolean same(ZooGraph graph, ZooGraph.MaxPool m) {
        if (m.padding() == 0) {
            return false;
        }
        int[] s = graph.shape(m.input());
        if (sameMatches(s[1], m.kernel(), m.stride(), m.padding()) && sameMatches(s[2], m.kernel(), m.stride(), m.padding())) {
            return true;
        }
        throw new ZooGraphException(graph.file(), m.name(), "max pooling with padding " + m.padding() + " (kernel " + m.kernel()
                + ", stride " + m.stride() + ", " + s[1] + "x" + s[2] + " input) cannot be exported: only padding that "
                + "TensorFlow's SAME reproduces (e.g. kernel 3, stride 1, padding 1)");
    }

    /** SAME yields as many outputs as PyTorch and pads as much before (it puts any odd pixel after). */
    private static boolean sameMatches(int in, int k, int stride, int p) {
        int out = (in + stride - 1) / stride;
        int before = Math.max((out - 1) * stride + k - in, 0) / 2;
        return out == (in + 2 * p - k) / stride + 1 && before == p;
    }
}
