package org.mrw.core.data;

import java.nio.file.Path;

/** Channel conversions between grey and RGB planes, as PIL's {@code convert("L")} / {@code convert("RGB")} do. */
final class Pixels {

    private Pixels() {
    }

    /** Fails unless {@code from} channels can be converted to {@code to} (same, grey to RGB, RGB to grey). */
    static void checkConvertible(Path file, int from, int to) {
        if (from != to && !(from == 1 && to == 3) && !(from == 3 && to == 1)) {
            throw new DatasetFormatException(file, "images with 1 or 3 channels to convert to " + to,
                    from + " channels", "Leave the channels option unset to keep the stored channels.");
        }
    }

    /**
     * Copies one image of {@code from} planes at {@code src[srcOffset]} into {@code to} planes at
     * {@code dst[dstOffset]}: grey is repeated into R, G and B; RGB becomes grey with the ITU-R 601-2 luma
     * weights PIL uses (0.299 R + 0.587 G + 0.114 B).
     */
    static void convert(float[] src, int srcOffset, int from, float[] dst, int dstOffset, int to, int planeSize) {
        if (from == to) {
            System.arraycopy(src, srcOffset, dst, dstOffset, from * planeSize);
        } else if (from == 1 && to == 3) {
            for (int ch = 0; ch < 3; ch++) {
                System.arraycopy(src, srcOffset, dst, dstOffset + ch * planeSize, planeSize);
            }
        } else if (from == 3 && to == 1) {
            for (int p = 0; p < planeSize; p++) {
                dst[dstOffset + p] = 0.299f * src[srcOffset + p] + 0.587f * src[srcOffset + planeSize + p]
                        + 0.114f * src[srcOffset + 2 * planeSize + p];
            }
        } else {
            throw new IllegalArgumentException("cannot convert " + from + " channels to " + to);
        }
    }
}
