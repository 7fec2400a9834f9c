package org.mrw.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a NumPy {@code .npz} archive (a zip of {@code .npy} entries, stored or deflated, as
 * {@code numpy.savez}/{@code savez_compressed} write) holding images and labels under the keys
 * {@code x}/{@code y}, {@code images}/{@code labels}, {@code x_test}/{@code y_test} or
 * {@code x_train}/{@code y_train}.
 */
final class NpzReader {

    static final String FORMAT = "NPZ";

    private static final List<List<String>> KEY_PAIRS = List.of(List.of("x", "y"), List.of("images", "labels"),
            List.of("x_test", "y_test"), List.of("x_train", "y_train"));

    /** Reads one entry as numpy would. */
    @FunctionalInterface
    interface EntryReading<T> {
        T read(NpyReader.Stream stream) throws IOException;
    }

    private NpzReader() {
    }

    static Dataset open(Path file, DatasetOptions options) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, ZipEntry> arrays = arrays(zip);
            List<String> pair = choosePair(file, arrays.keySet(), options);
            ZipEntry imageEntry = arrays.get(pair.get(0));
            NpyReader.ImageArray images = read(zip, imageEntry, file, s -> NpyReader.readImages(s, options.layout()));
            Path labelsWhere;
            int[] labels;
            if (options.labels() != null) {
                ByteSource source = ByteSource.of(options.labels());
                labelsWhere = options.labels();
                labels = source.read(NpyReader.FORMAT, o -> NpyReader.readLabels(
                        new NpyReader.Stream(o.in(), source.path(), o.gzip() ? -1 : source.size(), o.gzip() ? source.size() : -1)));
            } else {
                ZipEntry labelEntry = arrays.get(pair.get(1));
                labelsWhere = file.resolve(labelEntry.getName());
                labels = read(zip, labelEntry, file, NpyReader::readLabels);
            }
            String name = NpyReader.stem(file) + (pair.get(0).contains("_") ? "/" + pair.get(0).substring(2) : "");
            return NpyReader.dataset(name, file, images, labelsWhere, labels, file.toAbsolutePath().getParent(), options);
        } catch (ZipException e) {
            throw new DatasetFormatException(file, "an NPZ archive (a zip of .npy files, as numpy.savez writes)",
                    "an unreadable zip (" + e.getMessage() + ")", "Save the arrays again with numpy.savez.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read dataset " + file + ": " + e.getMessage(), e);
        }
    }

    /** Entries by key: numpy names them {@code <key>.npy}. */
    static Map<String, ZipEntry> arrays(ZipFile zip) {
        Map<String, ZipEntry> arrays = new LinkedHashMap<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            if (!e.isDirectory()) {
                arrays.put(e.getName().replaceFirst("\\.npy$", ""), e);
            }
        }
        return arrays;
    }

    private static List<String> choosePair(Path file, Set<String> keys, DatasetOptions options) {
        List<List<String>> present = new ArrayList<>();
        List<List<String>> generic = new ArrayList<>();
        for (List<String> pair : KEY_PAIRS) {
            String images = pair.get(0);
            if (!keys.contains(images)) {
                continue;
            }
            if (!images.contains("_")) {
                generic.add(pair);
            } else if (Splits.matches(options.split(), images)) {
                present.add(pair);
            }
        }
        // A split picks x_test/x_train when present; x or images serve any split.
        if (options.split() == null || present.isEmpty()) {
            present.addAll(0, generic);
        }
        String expected = "images and labels under the keys x/y, images/labels, x_test/y_test or x_train/y_train"
                + Splits.describe(options.split());
        if (present.isEmpty()) {
            throw new DatasetFormatException(file, expected, "the keys " + keys,
                    "Save with np.savez(path, x=images, y=labels).");
        }
        if (present.size() > 1) {
            throw new DatasetFormatException(file, "one images array", "several: "
                    + present.stream().map(p -> p.get(0)).toList(), "Choose a split (train or test).");
        }
        List<String> pair = present.get(0);
        if (!keys.contains(pair.get(1)) && options.labels() == null) {
            throw new DatasetFormatException(file, "the labels " + pair.get(1) + " beside the images " + pair.get(0),
                    "the keys " + keys, "Save the labels in the same archive, or give a labels .npy file in the options.");
        }
        return pair;
    }

    static <T> T read(ZipFile zip, ZipEntry entry, Path file, EntryReading<T> reading) throws IOException {
        Path where = file.resolve(entry.getName());
        long compressed = entry.getMethod() == ZipEntry.DEFLATED ? entry.getCompressedSize() : -1;
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
            return reading.read(new NpyReader.Stream(in, where, entry.getSize(), compressed));
        } catch (EOFException e) {
            throw new DatasetFormatException(where, "a complete compressed entry", "it cut short (" + e.getMessage() + ")",
                    "The archive is truncated; save it again.", e);
        }
    }
}
