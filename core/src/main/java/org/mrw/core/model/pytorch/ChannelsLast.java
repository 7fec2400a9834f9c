package org.mrw.core.model.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Channels-last memory for libtorch through DJL, which has no memory-format call: an NCHW tensor is
 * permuted to NHWC, made contiguous by a reshape that cannot be a view, and permuted back. The result
 * has the NCHW shape and NHWC strides, so convolutions pick oneDNN's NHWC kernels and their outputs stay
 * channels-last through the network; gradients flow back through the permutes to the NCHW input.
 */
final class ChannelsLast {

    private ChannelsLast() {
    }

    /** {@code x} (N, C, H, W) with channels-last strides. */
    static NDArray of(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.transpose(0, 2, 3, 1).reshape(n, h * w * c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }

    /** Whether libtorch refused a channels-last activation (a {@code view} that needs contiguous memory). */
    static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("view size is not compatible") || m.contains("Use .reshape(...) instead"))) {
                return true;
            }
        }
        return false;
    }
}
