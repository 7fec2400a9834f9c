package org.mrw.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A dataset held whole in memory in NCHW order, as unsigned bytes (IDX, CIFAR, uint8 NPY: a quarter of
 * the memory of floats, converted {@code v -> v / 255f} per batch) or as floats already in [0,1].
 * Immutable, so batches may be taken from several threads.
 */
final class InMemoryDataset implements Dataset {

    private final String name;
    private final Path source;
    private final byte[] bytes;
    private final float[] floats;
    private final int[] labels;
    private final int storedChannels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    private InMemoryDataset(String name, Path source, byte[] bytes, float[] floats, int[] labels, int storedChannels,
            int height, int width, List<String> classNames, int channels) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.bytes = bytes;
        this.floats = floats;
        this.labels = labels;
        this.storedChannels = storedChannels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        this.channels = channels == 0 ? storedChannels : channels;
        long expected = (long) labels.length * storedChannels * height * width;
        int stored = bytes != null ? bytes.length : floats.length;
        if (stored != expected) {
            throw new IllegalArgumentException(stored + " pixel values for " + labels.length + " images of "
                    + storedChannels + "x" + height + "x" + width);
        }
        Pixels.checkConvertible(source, storedChannels, this.channels);
    }

    /**
     * Unsigned bytes in NCHW order.
     *
     * @param channels channels to hand out (0 = as stored; else 1 or 3, converted per batch)
     */
    static InMemoryDataset ofBytes(String name, Path source, byte[] pixels, int[] labels, int storedChannels,
            int height, int width, List<String> classNames, int channels) {
        return new InMemoryDataset(name, source, pixels, null, labels, storedChannels, height, width, classNames, channels);
    }

    /** Floats in [0,1], NCHW order; see {@link #ofBytes}. */
    static InMemoryDataset ofFloats(String name, Path source, float[] pixels, int[] labels, int storedChannels,
            int height, int width, List<String> classNames, int channels) {
        return new InMemoryDataset(name, source, null, pixels, labels, storedChannels, height, width, classNames, channels);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    @Override
    public ImageBatch batch(int from, int count) {
        Objects.checkFromIndexSize(from, count, labels.length);
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = from + i;
        }
        return batch(indices);
    }

    @Override
    public ImageBatch batch(int[] indices) {
        int per = channels * height * width;
        float[] out = new float[Limits.batchValues(indices.length, per)];
        int[] batchLabels = new int[indices.length];
        int plane = height * width;
        int storedPer = storedChannels * plane;
        float[] image = new float[storedPer];
        for (int i = 0; i < indices.length; i++) {
            int index = Objects.checkIndex(indices[i], labels.length);
            long start = (long) index * storedPer;
            if (bytes != null) {
                for (int p = 0; p < storedPer; p++) {
                    // Exactly v / 255f, so uint8 data round-trips bit for bit with numpy's x / 255 in float32.
                    image[p] = (bytes[(int) start + p] & 0xFF) / 255f;
                }
            } else {
                System.arraycopy(floats, (int) start, image, 0, storedPer);
            }
            Pixels.convert(image, 0, storedChannels, out, i * per, channels, plane);
            batchLabels[i] = labels[index];
        }
        return new ImageBatch(out, batchLabels, channels, height, width);
    }

    @Override
    public String toString() {
        return name + " (" + labels.length + " images, " + channels + "x" + height + "x" + width + ", " + source + ")";
    }
}
