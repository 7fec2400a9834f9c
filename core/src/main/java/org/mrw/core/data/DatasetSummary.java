package org.mrw.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mrw.core.task.Cancellation;

/**
 * What a dataset holds, for a person deciding whether it is the right one: its format, size, image
 * shape, class names and how many images each class has (an unbalanced set skews accuracy).
 *
 * @param name        the dataset's name
 * @param format      IDX, CIFAR-10 binary, image folder, NPY or NPZ
 * @param source      the file or folder it was read from
 * @param size        images
 * @param channels    channels per image
 * @param height      rows per image
 * @param width       columns per image
 * @param classNames  class names by label
 * @param classCounts images per label, as long as {@code classNames} (labels beyond the names are counted
 *                    in extra slots so nothing is hidden)
 */
public record DatasetSummary(String name, String format, Path source, int size, int channels, int height, int width,
                             List<String> classNames, int[] classCounts) {

    public DatasetSummary {
        classNames = List.copyOf(classNames);
        classCounts = classCounts.clone();
    }

    /** Counts the labels of every image (checking {@code cancellation} every 4096 images). */
    public static DatasetSummary of(Dataset data, Cancellation cancellation) {
        int classes = data.classNames().size();
        int max = classes - 1;
        for (int i = 0; i < data.size(); i++) {
            max = Math.max(max, data.label(i));
        }
        int[] counts = new int[Math.max(classes, max + 1)];
        for (int i = 0; i < data.size(); i++) {
            if ((i & 4095) == 0) {
                cancellation.check();
            }
            int label = data.label(i);
            if (label >= 0) {
                counts[label]++;
            }
        }
        return new DatasetSummary(data.name(), format(data), data.source(), data.size(), data.channels(), data.height(),
                data.width(), data.classNames(), counts);
    }

    /** Images of class {@code label}. */
    public int count(int label) {
        return label >= 0 && label < classCounts.length ? classCounts[label] : 0;
    }

    /** The name of class {@code label} (its number when the data names none). */
    public String className(int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : Integer.toString(label);
    }

    /** "1×28×28" (channels × height × width). */
    public String shape() {
        return channels + "×" + height + "×" + width;
    }

    /** The reader's format name, recognised the way {@link Datasets#open} chose the reader. */
    private static String format(Dataset data) {
        if (data instanceof ImageFolderDataset) {
            return ImageFolderDataset.FORMAT;
        }
        Path source = data.source();
        String name = source.getFileName() == null ? "" : source.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            return NpzReader.FORMAT;
        }
        if (name.endsWith(".npy") || name.endsWith(".npy.gz")) {
            return NpyReader.FORMAT;
        }
        if (CifarReader.isBatchName(name) || (Files.isDirectory(source) && hasCifarBatch(source))) {
            return CifarReader.FORMAT;
        }
        return IdxReader.FORMAT;
    }

    private static boolean hasCifarBatch(Path folder) {
        try (var list = Files.list(folder)) {
            return list.anyMatch(p -> CifarReader.isBatchName(p.getFileName().toString()));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
