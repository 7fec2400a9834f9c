package org.mrw.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How to read a dataset when the files alone do not say everything. Every field has a neutral default
 * ({@link #defaults()}); change one with the {@code with*} methods, e.g.
 * {@code DatasetOptions.defaults().withResize(256, 224).withChannels(3)}.
 *
 * @param resizeShorter image folders: resize each image so its shorter side has this many pixels
 *                      (bicubic, as PIL/torchvision do); 0 = no resize
 * @param crop          image folders: centre-crop {@code crop x crop} pixels after any resize; 0 = no
 *                      crop, except that a resize without a crop crops a square of the resized shorter side
 * @param channels      1 (grey) or 3 (RGB) to convert every image to; 0 = keep the data's channels (image
 *                      folders: 1 when every image is grey, else 3)
 * @param layout        NPY/NPZ: where the channel axis of a 4-d image array is; {@link Layout#AUTO} infers
 *                      it from which axis has size 1 or 3
 * @param labels        NPY/NPZ/IDX: the labels file, when it is not beside the images under a usual name;
 *                      {@code null} = find it
 * @param classNames    class names indexed by label; they win over {@code classes.txt} and format
 *                      defaults; empty = not given
 * @param split         {@code "train"} or {@code "test"} to choose between splits when a folder or NPZ
 *                      holds both; {@code null} = there must be only one
 * @param cacheImages   image folders: how many decoded images to keep (least recently used); 0 = none
 */
public record DatasetOptions(int resizeShorter, int crop, int channels, Layout layout, Path labels,
        List<String> classNames, String split, int cacheImages) {

    /** The paper's ImageNet preprocessing: shorter side 256, then a 224 x 224 centre crop. */
    public static final int PAPER_RESIZE = 256;

    /** See {@link #PAPER_RESIZE}. */
    public static final int PAPER_CROP = 224;

    /** Decoded images an image folder keeps by default (a few batches' worth of small images). */
    public static final int DEFAULT_CACHE_IMAGES = 256;

    /** Where the channel axis of a 4-d NPY image array is. */
    public enum Layout {
        /** Infer from the shape: the axis (1 or 3) whose size is 1 or 3. */
        AUTO,
        /** {@code [N, C, H, W]} (PyTorch). */
        NCHW,
        /** {@code [N, H, W, C]} (TensorFlow/Keras). */
        NHWC
    }

    public DatasetOptions {
        if (resizeShorter < 0 || resizeShorter > Limits.MAX_SIDE) {
            throw new IllegalArgumentException("resizeShorter must be 0 (off) or 1.." + Limits.MAX_SIDE + ", got " + resizeShorter);
        }
        if (crop < 0 || crop > Limits.MAX_SIDE) {
            throw new IllegalArgumentException("crop must be 0 (off) or 1.." + Limits.MAX_SIDE + ", got " + crop);
        }
        if (resizeShorter > 0 && crop > resizeShorter) {
            throw new IllegalArgumentException("crop " + crop + " is larger than the resized shorter side " + resizeShorter);
        }
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 0 (as stored), 1 (grey) or 3 (RGB), got " + channels);
        }
        if (layout == null) {
            throw new IllegalArgumentException("layout must not be null (use AUTO)");
        }
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (classNames.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("class names must not be blank: " + classNames);
        }
        if (split != null) {
            split = split.toLowerCase(Locale.ROOT);
            if (!split.equals("train") && !split.equals("test")) {
                throw new IllegalArgumentException("split must be train or test, got " + split);
            }
        }
        if (cacheImages < 0 || cacheImages > 100_000) {
            throw new IllegalArgumentException("cacheImages must be in 0..100000, got " + cacheImages);
        }
    }

    /** No resize or crop, channels and layout as stored, labels and class names found beside the data. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(0, 0, 0, Layout.AUTO, null, List.of(), null, DEFAULT_CACHE_IMAGES);
    }

    /** The defaults with the paper's resize and crop ({@value #PAPER_RESIZE}, then {@value #PAPER_CROP}). */
    public static DatasetOptions paperResizeCrop() {
        return defaults().withResize(PAPER_RESIZE, PAPER_CROP);
    }

    /** Shorter side to {@code shorter} pixels, then a {@code crop x crop} centre crop (0 = off). */
    public DatasetOptions withResize(int shorter, int cropSide) {
        return new DatasetOptions(shorter, cropSide, channels, layout, labels, classNames, split, cacheImages);
    }

    /** Convert every image to 1 (grey) or 3 (RGB) channels; 0 = as stored. */
    public DatasetOptions withChannels(int count) {
        return new DatasetOptions(resizeShorter, crop, count, layout, labels, classNames, split, cacheImages);
    }

    /** Where the channel axis of NPY image arrays is. */
    public DatasetOptions withLayout(Layout newLayout) {
        return new DatasetOptions(resizeShorter, crop, channels, newLayout, labels, classNames, split, cacheImages);
    }

    /** The labels file, when it cannot be found beside the images. */
    public DatasetOptions withLabels(Path labelsFile) {
        return new DatasetOptions(resizeShorter, crop, channels, layout, labelsFile, classNames, split, cacheImages);
    }

    /** Class names indexed by label. */
    public DatasetOptions withClassNames(List<String> names) {
        return new DatasetOptions(resizeShorter, crop, channels, layout, labels, names, split, cacheImages);
    }

    /** {@code "train"} or {@code "test"}, to choose a split when the data holds both. */
    public DatasetOptions withSplit(String newSplit) {
        return new DatasetOptions(resizeShorter, crop, channels, layout, labels, classNames, newSplit, cacheImages);
    }

    /** How many decoded images an image folder keeps (0 = none). */
    public DatasetOptions withCacheImages(int count) {
        return new DatasetOptions(resizeShorter, crop, channels, layout, labels, classNames, split, count);
    }

    /** True when a resize or crop was asked for (only image folders can honour it). */
    public boolean resizes() {
        return resizeShorter > 0 || crop > 0;
    }
}
