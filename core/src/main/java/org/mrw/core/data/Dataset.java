package org.mrw.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A labelled image dataset that hands out batches in canonical form ({@link ImageBatch}: NCHW, [0,1]).
 * Implementations may hold everything in memory (IDX, CIFAR, NPY) or decode on demand (image folders).
 */
public interface Dataset {

    /** Short human-readable name, e.g. {@code fashion-mnist-test}. */
    String name();

    /** The file or folder the dataset was read from. */
    Path source();

    /** Number of images. */
    int size();

    int channels();

    int height();

    int width();

    /** Class names, indexed by label. */
    List<String> classNames();

    /** Label of image {@code index}. */
    int label(int index);

    /** Images {@code [from, from + count)}. */
    ImageBatch batch(int from, int count);

    /** The images at {@code indices}, in that order (for seeded sample selections). */
    ImageBatch batch(int[] indices);
}
