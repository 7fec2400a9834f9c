package org.mrw.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where class names come from, in order: the options, a {@code classes.txt} beside the data (one name
 * per line), then what the format itself says (CIFAR's {@code batches.meta.txt}, folder names, known
 * datasets), and label numbers as a last resort.
 */
final class ClassNames {

    /** The file of class names a user can put beside any dataset. */
    static final String CLASSES_TXT = "classes.txt";

    static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final List<String> CIFAR10 = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    static final List<String> DIGITS = numbers(10);

    /**
     * Names and where they came from, for messages.
     *
     * @param names  class names indexed by label
     * @param origin e.g. {@code "classes.txt"} or {@code "the options"}
     */
    record Resolved(List<String> names, String origin) {
    }

    private ClassNames() {
    }

    /** {@code "0".."count-1"}. */
    static List<String> numbers(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString).toList();
    }

    /**
     * The names for data in {@code folder}: the options' names, else {@code folder/classes.txt}, else
     * {@code formatNames} (from {@code formatOrigin}).
     */
    static Resolved resolve(DatasetOptions options, Path folder, List<String> formatNames, String formatOrigin) {
        if (!options.classNames().isEmpty()) {
            return new Resolved(options.classNames(), "the options");
        }
        if (folder != null) {
            Path file = folder.resolve(CLASSES_TXT);
            if (Files.isRegularFile(file)) {
                return new Resolved(readLines(file), file.toString());
            }
        }
        return new Resolved(formatNames, formatOrigin);
    }

    /** Non-blank lines of a small UTF-8 text file, trimmed; at least one, at most {@link Limits#MAX_CLASSES}. */
    static List<String> readLines(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(Limits.MAX_TEXT_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read class names " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > Limits.MAX_TEXT_BYTES) {
            throw new DatasetFormatException(file, "a list of class names of at most " + Limits.MAX_TEXT_BYTES + " bytes",
                    "a larger file", "Put one class name per line.");
        }
        List<String> names = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
            String name = line.strip();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        if (names.isEmpty() || names.size() > Limits.MAX_CLASSES) {
            throw new DatasetFormatException(file, "1.." + Limits.MAX_CLASSES + " class names, one per line",
                    names.size() + " names", "Put one class name per line.");
        }
        return List.copyOf(names);
    }

    /** Fails naming the first label that has no class name. */
    static void checkLabels(Path file, int[] labels, Resolved classes) {
        int count = classes.names().size();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= count) {
                throw new DatasetFormatException(file, "labels in 0.." + (count - 1) + " (" + count + " class names from "
                        + classes.origin() + ")", "label " + labels[i] + " for image " + i,
                        "Give one class name per label (classes.txt beside the data, one per line) or fix the labels.");
            }
        }
    }

    /** Largest label plus one (at least 1), after checking no label is negative. */
    static int labelCount(Path file, int[] labels) {
        int max = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= Limits.MAX_CLASSES) {
                throw new DatasetFormatException(file, "labels in 0.." + (Limits.MAX_CLASSES - 1),
                        "label " + labels[i] + " for image " + i, "Labels must be class indices.");
            }
            max = Math.max(max, labels[i]);
        }
        return max + 1;
    }
}
