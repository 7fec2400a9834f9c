package org.mrw.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads MNIST-style IDX pairs ({@code <prefix>-images-idx3-ubyte} + {@code <prefix>-labels-idx1-ubyte},
 * raw or gzip), the format of MNIST and Fashion-MNIST. Only unsigned-byte data is accepted.
 */
final class IdxReader {

    static final String FORMAT = "IDX";

    // Original MNIST mirrors also spell it "train-images.idx3-ubyte".
    private static final Pattern IMAGES = Pattern.compile("(.+)-images[.-]idx3-ubyte(\\.gz)?");
    private static final Pattern LABELS = Pattern.compile("(.+)-labels[.-]idx1-ubyte(\\.gz)?");

    private static final int UNSIGNED_BYTE = 0x08;

    /** Pixels of an IDX images file, one byte per pixel, image after image. */
    record Images(byte[] pixels, int count, int height, int width) {
    }

    /** An images file and the labels file that belongs to it. */
    private record Pair(Path images, Path labels, String prefix) {
    }

    private IdxReader() {
    }

    /** True for names like {@code t10k-images-idx3-ubyte.gz} or {@code train-labels.idx1-ubyte}. */
    static boolean isIdxName(String fileName) {
        return IMAGES.matcher(fileName).matches() || LABELS.matcher(fileName).matches();
    }

    /** True when the first bytes look like an IDX magic number (two zero bytes, a known type, 1..4 dimensions). */
    static boolean looksLikeIdx(byte[] head) {
        if (head.length < 4 || head[0] != 0 || head[1] != 0) {
            return false;
        }
        return typeName(head[2] & 0xFF) != null && head[3] >= 1 && head[3] <= 4;
    }

    /** Opens an IDX images or labels file (its partner is found beside it) or a folder holding one pair. */
    static Dataset open(Path path, DatasetOptions options) {
        Pair pair = Files.isDirectory(path) ? pairInFolder(path, options) : pairOf(path, options);
        Path folder = pair.images().toAbsolutePath().getParent();
        String folderName = folder == null || folder.getFileName() == null ? "" : folder.getFileName().toString();
        boolean fashion = (folderName + "/" + pair.images().getFileName()).toLowerCase(Locale.ROOT).contains("fashion");
        ClassNames.Resolved classes = ClassNames.resolve(options, folder,
                fashion ? ClassNames.FASHION_MNIST : ClassNames.DIGITS,
                fashion ? "the Fashion-MNIST names (the path mentions fashion)" : "the MNIST digits");
        String name = folderName.isEmpty() ? pair.prefix() : folderName + "/" + pair.prefix();
        return read(ByteSource.of(pair.images()), ByteSource.of(pair.labels()), name, classes, options.channels());
    }

    /** Reads an images source and its labels source into memory. */
    static InMemoryDataset read(ByteSource imageSource, ByteSource labelSource, String name, ClassNames.Resolved classes,
            int channels) {
        Images images = readImages(imageSource);
        int[] labels = readLabels(labelSource);
        if (labels.length != images.count()) {
            throw new DatasetFormatException(labelSource.path(), Limits.count(images.count(), "label") + " (one per image in "
                    + imageSource.fileName() + ")", Limits.count(labels.length, "label"),
                    "The images and labels files do not belong together; use the pair with the same prefix.");
        }
        ClassNames.checkLabels(labelSource.path(), labels, classes);
        return InMemoryDataset.ofBytes(name, imageSource.path(), images.pixels(), labels, 1, images.height(),
                images.width(), classes.names(), channels);
    }

    static Images readImages(ByteSource source) {
        Path file = source.path();
        return source.read("IDX images", opened -> {
            InputStream in = opened.in();
            byte[] head = new byte[16];
            source.readFully(in, head, 0, 4, "IDX magic number");
            checkMagic(file, head, 3, "IDX images");
            source.readFully(in, head, 4, 12, "IDX image dimensions");
            long count = unsigned(head, 4);
            long height = unsigned(head, 8);
            long width = unsigned(head, 12);
            Limits.checkCount(file, "image", count);
            Limits.checkSide(file, "image height", height);
            Limits.checkSide(file, "image width", width);
            int total = Limits.checkTotal(file, count, 1, height, width);
            String what = "an IDX header and " + Limits.count(count, "image") + " of " + height + "x" + width;
            source.checkDeclaredSize(opened.gzip(), 16L + total, what);
            Limits.checkHeap(file, total);
            byte[] pixels = new byte[total];
            source.readFully(in, pixels, 0, total, Limits.count(count, "image") + " of " + height + "x" + width);
            source.checkEnd(opened, 16L + total, what);
            return new Images(pixels, (int) count, (int) height, (int) width);
        });
    }

    static int[] readLabels(ByteSource source) {
        Path file = source.path();
        return source.read("IDX labels", opened -> {
            InputStream in = opened.in();
            byte[] head = new byte[8];
            source.readFully(in, head, 0, 4, "IDX magic number");
            checkMagic(file, head, 1, "IDX labels");
            source.readFully(in, head, 4, 4, "IDX label count");
            long count = unsigned(head, 4);
            Limits.checkCount(file, "label", count);
            String what = "an IDX header and " + Limits.count(count, "label");
            source.checkDeclaredSize(opened.gzip(), 8L + count, what);
            byte[] raw = new byte[(int) count];
            source.readFully(in, raw, 0, raw.length, Limits.count(count, "label"));
            source.checkEnd(opened, 8L + count, what);
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        });
    }

    private static void checkMagic(Path file, byte[] head, int dimensions, String what) {
        String expected = what + " (magic 0x000008" + String.format("%02x", dimensions) + ": unsigned bytes, "
                + dimensions + (dimensions == 1 ? " dimension)" : " dimensions)");
        if (head[0] != 0 || head[1] != 0) {
            throw new DatasetFormatException(file, expected, "magic " + hex(head) + Magic.describe(head),
                    "Point at an IDX file such as t10k-images-idx3-ubyte.gz.");
        }
        int type = head[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            String name = typeName(type);
            throw new DatasetFormatException(file, expected, "IDX data of type " + (name == null ? "unknown" : name)
                    + " (magic " + hex(head) + ")",
                    "Only unsigned-byte IDX files are supported; convert the data to uint8 or save it as NPY.");
        }
        if (head[3] != dimensions) {
            String guess = head[3] == 1 ? " (a labels file?)" : head[3] == 3 ? " (an images file?)" : "";
            throw new DatasetFormatException(file, expected, "IDX data with " + head[3] + (head[3] == 1 ? " dimension" : " dimensions") + guess,
                    "Point at the images file (<prefix>-images-idx3-ubyte); its labels file is found beside it.");
        }
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "16-bit integer";
            case 0x0C -> "32-bit integer";
            case 0x0D -> "32-bit float";
            case 0x0E -> "64-bit float";
            default -> null;
        };
    }

    private static String hex(byte[] head) {
        return String.format("0x%02x%02x%02x%02x", head[0], head[1], head[2], head[3]);
    }

    private static long unsigned(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static Pair pairOf(Path file, DatasetOptions options) {
        String fileName = file.getFileName().toString();
        Matcher images = IMAGES.matcher(fileName);
        Matcher labels = LABELS.matcher(fileName);
        if (options.labels() != null) {
            String prefix = images.matches() ? images.group(1) : fileName;
            return new Pair(file, options.labels(), prefix);
        }
        if (images.matches()) {
            return new Pair(file, partner(file, images.group(1), "labels", "idx1"), images.group(1));
        }
        if (labels.matches()) {
            return new Pair(partner(file, labels.group(1), "images", "idx3"), file, labels.group(1));
        }
        throw new DatasetFormatException(file, "IDX files named <prefix>-images-idx3-ubyte[.gz] and"
                + " <prefix>-labels-idx1-ubyte[.gz]", "the name " + fileName,
                "Rename the pair so each can be found from the other, or give the labels file in the options.");
    }

    /** The other file of a pair, in the same folder, raw or gzip, with '-' or '.' before "idx". */
    private static Path partner(Path file, String prefix, String kind, String idx) {
        List<Path> candidates = partnerCandidates(file, prefix, kind, idx);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new DatasetFormatException(file, "its " + kind + " file beside it (" + candidates.get(0).getFileName()
                + " or " + candidates.get(1).getFileName() + ")", "none",
                "Put the " + kind + " file in the same folder, or give its path in the options.");
    }

    private static List<Path> partnerCandidates(Path file, String prefix, String kind, String idx) {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        List<Path> candidates = new ArrayList<>();
        for (String separator : List.of("-", ".")) {
            String base = prefix + "-" + kind + separator + idx + "-ubyte";
            candidates.add(file.resolveSibling(gzip ? base + ".gz" : base));
            candidates.add(file.resolveSibling(gzip ? base : base + ".gz"));
        }
        return candidates;
    }

    private static Pair pairInFolder(Path folder, DatasetOptions options) {
        List<Path> imageFiles;
        try (Stream<Path> files = Files.list(folder)) {
            imageFiles = files.filter(Files::isRegularFile)
                    .filter(p -> IMAGES.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Splits.matches(options.split(), IMAGES.matcher(p.getFileName().toString()).replaceAll("$1")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list dataset folder " + folder + ": " + e.getMessage(), e);
        }
        if (imageFiles.isEmpty()) {
            throw new DatasetFormatException(folder, "an IDX images file (<prefix>-images-idx3-ubyte[.gz])"
                    + Splits.describe(options.split()), "none", "Point at the images file itself.");
        }
        if (imageFiles.size() > 1) {
            throw new DatasetFormatException(folder, "one IDX images file", imageFiles.size() + ": "
                    + imageFiles.stream().map(p -> p.getFileName().toString()).toList(),
                    "Point at one of them, or choose a split (train or test).");
        }
        return pairOf(imageFiles.get(0), options);
    }
}
