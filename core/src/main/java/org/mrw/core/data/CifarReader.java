package org.mrw.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads CIFAR-10 binary batches: records of one label byte followed by 1024 red, 1024 green and 1024
 * blue bytes (already NCHW). A single {@code .bin} file, or a folder of {@code data_batch_N.bin} (train)
 * or {@code test_batch.bin} (test); {@code batches.meta.txt} beside them gives the class names.
 */
final class CifarReader {

    static final String FORMAT = "CIFAR-10 binary";

    static final int SIDE = 32;
    static final int IMAGE = 3 * SIDE * SIDE;
    static final int RECORD = 1 + IMAGE;

    private static final String META = "batches.meta.txt";
    private static final Pattern TRAIN = Pattern.compile("data_batch_(\\d+)\\.bin");
    private static final Pattern TEST = Pattern.compile("test_batch.*\\.bin");

    private CifarReader() {
    }

    static boolean isBatchName(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".bin");
    }

    /** Opens one {@code .bin} batch or a folder of them. */
    static Dataset open(Path path, DatasetOptions options) {
        boolean folder = Files.isDirectory(path);
        List<Path> files = folder ? batchesIn(path, options) : List.of(path);
        Path dir = folder ? path : path.toAbsolutePath().getParent();
        Path meta = dir == null ? null : dir.resolve(META);
        ClassNames.Resolved classes = meta != null && Files.isRegularFile(meta)
                ? ClassNames.resolve(options, dir, ClassNames.readLines(meta), meta.toString())
                : ClassNames.resolve(options, dir, ClassNames.CIFAR10, "the CIFAR-10 names");
        String name = folder ? path.getFileName() + "/" + (options.split() != null ? options.split() : stem(files))
                : stem(files);
        return read(files, path, name, classes, options.channels());
    }

    private static String stem(List<Path> files) {
        String first = files.get(0).getFileName().toString().replaceFirst("\\.bin$", "");
        return files.size() == 1 ? first : first + ".." + files.get(files.size() - 1).getFileName().toString().replaceFirst("\\.bin$", "");
    }

    private static InMemoryDataset read(List<Path> files, Path source, String name, ClassNames.Resolved classes, int channels) {
        long records = 0;
        List<ByteSource> sources = new ArrayList<>();
        for (Path file : files) {
            ByteSource s = ByteSource.of(file);
            checkSize(s);
            records += s.size() / RECORD;
            sources.add(s);
        }
        Limits.checkCount(source, "image", records);
        int total = Limits.checkTotal(source, records, 3, SIDE, SIDE);
        Limits.checkHeap(source, total);
        byte[] pixels = new byte[total];
        int[] labels = new int[(int) records];
        int at = 0;
        for (ByteSource s : sources) {
            int count = (int) (s.size() / RECORD);
            int first = at;
            s.read(FORMAT, opened -> {
                if (opened.gzip()) {
                    throw new DatasetFormatException(s.path(), "an uncompressed " + FORMAT + " batch", "gzip-compressed data",
                            "Decompress it first (gunzip).");
                }
                readRecords(s, opened.in(), pixels, labels, first, count);
                return null;
            });
            at += count;
        }
        ClassNames.checkLabels(files.size() == 1 ? files.get(0) : source, labels, classes);
        return InMemoryDataset.ofBytes(name, source, pixels, labels, 3, SIDE, SIDE, classes.names(), channels);
    }

    private static void readRecords(ByteSource s, InputStream in, byte[] pixels, int[] labels, int first, int count)
            throws IOException {
        byte[] record = new byte[RECORD];
        for (int i = 0; i < count; i++) {
            s.readFully(in, record, 0, RECORD, "record " + i);
            labels[first + i] = record[0] & 0xFF;
            System.arraycopy(record, 1, pixels, (first + i) * IMAGE, IMAGE);
        }
    }

    private static void checkSize(ByteSource s) {
        long size = s.size();
        if (size > 0 && size % RECORD == 0) {
            return;
        }
        String found = size == 0 ? "an empty file"
                : size + " bytes (" + size / RECORD + " records and " + size % RECORD + " bytes left over)";
        String hint = size > 0 && size % (RECORD + 1) == 0
                ? "The size fits 3074-byte CIFAR-100 records (two label bytes), which are not supported."
                : "The file is truncated or not a CIFAR-10 binary batch (data_batch_N.bin, test_batch.bin).";
        throw new DatasetFormatException(s.path(), "whole " + RECORD + "-byte " + FORMAT + " records (1 label byte + "
                + SIDE + "x" + SIDE + "x3 pixels)", found, hint);
    }

    /** The batches of one split in a folder, train batches in numeric order. */
    private static List<Path> batchesIn(Path folder, DatasetOptions options) {
        List<Path> all;
        try (Stream<Path> files = Files.list(folder)) {
            all = files.filter(Files::isRegularFile).filter(p -> isBatchName(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list dataset folder " + folder + ": " + e.getMessage(), e);
        }
        List<Path> train = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        List<Path> other = new ArrayList<>();
        for (Path p : all) {
            String n = p.getFileName().toString();
            (TRAIN.matcher(n).matches() ? train : TEST.matcher(n).matches() ? test : other).add(p);
        }
        train.sort(Comparator.comparingLong(CifarReader::batchNumber));
        test.sort(Comparator.naturalOrder());
        other.sort(Comparator.naturalOrder());
        List<Path> chosen;
        if (options.split() != null) {
            chosen = options.split().equals("train") ? train : test;
        } else {
            int groups = (train.isEmpty() ? 0 : 1) + (test.isEmpty() ? 0 : 1) + (other.isEmpty() ? 0 : 1);
            if (groups > 1) {
                throw new DatasetFormatException(folder, "the " + FORMAT + " batches of one split",
                        "several: " + all.stream().map(p -> p.getFileName().toString()).sorted().toList(),
                        "Point at one .bin file, or choose a split (train = data_batch_N.bin, test = test_batch.bin).");
            }
            chosen = !train.isEmpty() ? train : !test.isEmpty() ? test : other;
        }
        if (chosen.isEmpty()) {
            throw new DatasetFormatException(folder, FORMAT + " batches (.bin)" + Splits.describe(options.split()), "none",
                    "Point at a folder holding data_batch_N.bin or test_batch.bin, or at one .bin file.");
        }
        return chosen;
    }

    private static long batchNumber(Path p) {
        Matcher m = TRAIN.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return Long.MAX_VALUE;
        }
        String digits = m.group(1);
        return digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
