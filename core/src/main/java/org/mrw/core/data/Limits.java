package org.mrw.core.data;

import java.nio.file.Path;

/**
 * The bounds every declared size is checked against before anything is allocated, so a corrupt or
 * hostile header fails with a message instead of an {@link OutOfMemoryError}.
 */
final class Limits {

    /** Largest image side held in memory (canonical images, after any resize or crop). */
    static final int MAX_SIDE = 4096;

    /** Largest channel count (grey, RGB, RGBA). */
    static final int MAX_CHANNELS = 4;

    /** Largest image count in one dataset. */
    static final int MAX_COUNT = 100_000_000;

    /** Largest Java array the JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Largest side of an image-folder file before resizing (decoding guard against decompression bombs). */
    static final int MAX_SOURCE_SIDE = 16_384;

    /** Largest pixel count of an image-folder file before resizing (about 256 MB decoded as ARGB). */
    static final long MAX_SOURCE_PIXELS = 1L << 26;

    /** Most class names a dataset may have. */
    static final int MAX_CLASSES = 100_000;

    /** Largest text file read (classes.txt, batches.meta.txt). */
    static final int MAX_TEXT_BYTES = 1 << 20;

    /** Largest NPY header (numpy writes well under 1 KiB for plain arrays). */
    static final int MAX_NPY_HEADER = 1 << 16;

    /** Deflate cannot expand data more than about 1032:1, so a small gzip cannot hold a huge payload. */
    static final long MAX_DEFLATE_RATIO = 1032;

    private Limits() {
    }

    /** {@code "1 image"}, {@code "3 images"}: counts in messages read as English. */
    static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    static void checkCount(Path file, String what, long count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new DatasetFormatException(file, what + " count in 1.." + MAX_COUNT, String.valueOf(count),
                    "The header is corrupt or the file is not what its name says.");
        }
    }

    static void checkSide(Path file, String what, long side) {
        if (side < 1 || side > MAX_SIDE) {
            throw new DatasetFormatException(file, what + " in 1.." + MAX_SIDE + " pixels", String.valueOf(side),
                    "The header is corrupt, or the images are too large to hold in memory; resize them first.");
        }
    }

    static void checkChannels(Path file, long channels) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new DatasetFormatException(file, "1.." + MAX_CHANNELS + " channels", String.valueOf(channels),
                    "Store images as grey (1 channel) or RGB (3 channels).");
        }
    }

    /**
     * The number of values {@code n x c x h x w}, after checking it fits one Java array (each factor
     * must already be within its own limit, so the product cannot overflow a long).
     */
    static int checkTotal(Path file, long n, long c, long h, long w) {
        long total = n * c * h * w;
        if (total > MAX_ARRAY) {
            throw new DatasetFormatException(file, "at most " + MAX_ARRAY + " pixel values (one Java array)",
                    count(n, "image") + " of " + c + "x" + h + "x" + w + " = " + total + " values",
                    "Split the data into smaller files or use a subset of the images.");
        }
        return (int) total;
    }

    /** Fails before allocating {@code bytes} that the JVM's heap can certainly not hold. */
    static void checkHeap(Path file, long bytes) {
        long max = Runtime.getRuntime().maxMemory();
        if (max != Long.MAX_VALUE && bytes > max) {
            throw new DatasetFormatException(file, "data that fits the Java heap (at most " + max / (1 << 20) + " MiB)",
                    "data needing " + bytes / (1 << 20) + " MiB",
                    "Give the JVM more memory (e.g. JAVA_OPTS=-Xmx16g) or use a subset of the images.");
        }
    }

    /** Values for a batch of {@code count} images, or a clear error when they do not fit one array. */
    static int batchValues(int count, int imageSize) {
        long total = (long) count * imageSize;
        if (total > MAX_ARRAY) {
            throw new IllegalArgumentException("a batch of " + count + " images of " + imageSize + " values needs "
                    + total + " floats, more than one Java array holds (" + MAX_ARRAY + "); request smaller batches");
        }
        return (int) total;
    }
}
