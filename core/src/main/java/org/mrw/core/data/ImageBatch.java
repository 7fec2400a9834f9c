package org.mrw.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of images in the workbench's one canonical form: NCHW, float, every value in [0,1], with
 * one label per image. Models convert from this form themselves (see {@code InputSpec}), so attacks
 * and datasets never care about a runtime's layout or normalisation.
 *
 * @param pixels   {@code n * channels * height * width} values, NCHW row-major
 * @param labels   one class index per image ({@code -1} when unknown)
 * @param channels channels per image (1 grey, 3 RGB)
 * @param height   rows per image
 * @param width    columns per image
 */
public record ImageBatch(float[] pixels, int[] labels, int channels, int height, int width) {

    public ImageBatch {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " values but " + labels.length
                    + " images of " + channels + "x" + height + "x" + width + " need " + expected);
        }
    }

    /** Number of images in the batch. */
    public int size() {
        return labels.length;
    }

    /** Values per image ({@code channels * height * width}). */
    public int imageSize() {
        return channels * height * width;
    }

    /** Images {@code [from, to)} as a new batch (copies). */
    public ImageBatch slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int per = imageSize();
        return new ImageBatch(Arrays.copyOfRange(pixels, from * per, to * per),
                Arrays.copyOfRange(labels, from, to), channels, height, width);
    }

    /** The same labels and shape with other pixel values (e.g. an adversarial batch). */
    public ImageBatch withPixels(float[] newPixels) {
        return new ImageBatch(newPixels, labels, channels, height, width);
    }

    /** Shape as {@code [n, c, h, w]}. */
    public long[] shape() {
        return new long[] {size(), channels, height, width};
    }
}
