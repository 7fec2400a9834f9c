package org.mrw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mrw.core.data.DataFiles.cifar;
import static org.mrw.core.data.DataFiles.floats;
import static org.mrw.core.data.DataFiles.grey;
import static org.mrw.core.data.DataFiles.gzip;
import static org.mrw.core.data.DataFiles.idx;
import static org.mrw.core.data.DataFiles.idxImages;
import static org.mrw.core.data.DataFiles.idxLabels;
import static org.mrw.core.data.DataFiles.image;
import static org.mrw.core.data.DataFiles.int64;
import static org.mrw.core.data.DataFiles.npy;
import static org.mrw.core.data.DataFiles.npyWithHeader;
import static org.mrw.core.data.DataFiles.ramp;
import static org.mrw.core.data.DataFiles.write;
import static org.mrw.core.data.DataFiles.writeText;
import static org.mrw.core.data.DataFiles.zip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input fails with a {@link DatasetFormatException} naming the file, what was
 * expected and what was found, before anything is allocated from an unchecked size.
 */
class BadInputTest {

    @TempDir
    Path dir;

    /**
     * One bad input.
     *
     * @param name     what is wrong, the test's display name
     * @param setup    writes the files into the temp folder and returns the path to open
     * @param options  the options to open it with
     * @param file     text the reported file must end with
     * @param expected text the "expected" part must contain
     * @param found    text the "found" part must contain
     * @param hint     text the hint must contain (empty: anything)
     */
    record Case(String name, Function<Path, Path> setup, DatasetOptions options, String file, String expected, String found,
            String hint) {
        Case withOptions(DatasetOptions newOptions) {
            return new Case(name, setup, newOptions, file, expected, found, hint);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String IMAGES = "t10k-images-idx3-ubyte";
    private static final String LABELS = "t10k-labels-idx1-ubyte";
    private static final DatasetOptions DEFAULTS = DatasetOptions.defaults();

    private static Case bad(String name, Function<Path, Path> setup, String file, String expected, String found) {
        return new Case(name, setup, DEFAULTS, file, expected, found, "");
    }

    /** An IDX images file holding {@code images} with a valid labels file of {@code labelCount} beside it. */
    private static Function<Path, Path> idxPair(byte[] images, int labelCount) {
        return d -> {
            write(d.resolve(LABELS), idxLabels(new byte[labelCount]));
            return write(d.resolve(IMAGES), images);
        };
    }

    /** images.npy holding {@code images} and labels.npy holding two labels 0 and 1. */
    private static Function<Path, Path> npyPair(byte[] images) {
        return d -> {
            write(d.resolve("labels.npy"), npy("<i8", new long[] {2}, int64(0, 1)));
            return write(d.resolve("images.npy"), images);
        };
    }

    /** images.npy holding two 3x4 uint8 images, with {@code labels} as labels.npy. */
    private static Function<Path, Path> npyLabels(byte[] labels) {
        return d -> {
            write(d.resolve("labels.npy"), labels);
            return write(d.resolve("images.npy"), npy("|u1", new long[] {2, 3, 4}, new byte[24]));
        };
    }

    private static Function<Path, Path> npz(Map<String, byte[]> entries) {
        return d -> write(d.resolve("data.npz"), zip(entries, true));
    }

    private static Map<String, byte[]> entries(Object... keysAndValues) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (byte[]) keysAndValues[i + 1]);
        }
        return m;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A PNG whose IHDR declares {@code w x h} pixels and which holds no image data. */
    private static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put(new byte[] {8, 0, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    /** A folder of two classes, each with one 4x4 grey PNG. */
    private static Path twoClasses(Path d) {
        image(d.resolve("a/x.png"), grey(4, 4, new byte[16]), "png");
        image(d.resolve("b/y.png"), grey(4, 4, new byte[16]), "png");
        return d;
    }

    static Stream<Case> cases() {
        byte[] truncatedNpy = Arrays.copyOf(npy("|u1", new long[] {2, 3, 4}, new byte[24]), 138);
        byte[] hugeNpz = npy("|u1", new long[] {2_000_000, 28, 28}, new byte[10]);
        float[] bytesAsFloats = new float[24];
        for (int i = 0; i < 24; i++) {
            bytesAsFloats[i] = i * 255f / 23;
        }
        float[] withNaN = new float[24];
        withNaN[13] = Float.NaN;
        return Stream.of(
                // IDX
                bad("IDX images file holding a PNG", idxPair(concat(pngHeaderOnly(4, 4), new byte[16]), 1), IMAGES,
                        "IDX images (magic 0x00000803", "magic 0x89504e47 (a PNG image)"),
                bad("IDX labels where images are expected", idxPair(idxLabels(new byte[3]), 3), IMAGES,
                        "IDX images", "IDX data with 1 dimension (a labels file?)"),
                bad("IDX of 32-bit floats", idxPair(idx(0x0D, new int[] {1, 2, 2}, new byte[16]), 1), IMAGES,
                        "unsigned bytes", "IDX data of type 32-bit float"),
                bad("truncated raw IDX", idxPair(Arrays.copyOf(idxImages(10, 4, 4, ramp(160)), 116), 10), IMAGES,
                        "176 bytes for an IDX header and 10 images of 4x4", "116 bytes"),
                bad("truncated gzip IDX (found by its magic, whatever the name)",
                        idxPair(gzip(Arrays.copyOf(idxImages(10, 4, 4, ramp(160)), 116)), 10), IMAGES,
                        "160 bytes of 10 images of 4x4", "only 100 bytes"),
                bad("gzip stream cut short", d -> {
                    byte[] gz = gzip(idxImages(100, 28, 28, ramp(78_400)));
                    write(d.resolve(LABELS + ".gz"), gzip(idxLabels(new byte[100])));
                    return write(d.resolve(IMAGES + ".gz"), Arrays.copyOf(gz, gz.length / 2));
                }, IMAGES + ".gz", "a complete IDX images file", "cut short"),
                bad("IDX with bytes after the declared data", idxPair(concat(idxImages(1, 2, 2, ramp(4)), new byte[5]), 1), IMAGES,
                        "20 bytes for an IDX header and 1 image of 2x2", "25 bytes (5 more than the header declares)"),
                bad("IDX label count differing from the image count", idxPair(idxImages(3, 2, 2, ramp(12)), 2), LABELS,
                        "3 labels (one per image in " + IMAGES + ")", "2 labels"),
                bad("IDX declaring a billion images", idxPair(idx(0x08, new int[] {1_000_000_000, 28, 28}, new byte[0]), 1),
                        IMAGES, "image count in 1..100000000", "1000000000"),
                bad("IDX declaring images 100000 pixels high", idxPair(idx(0x08, new int[] {1, 100_000, 28}, new byte[0]), 1),
                        IMAGES, "image height in 1..4096", "100000"),
                bad("IDX declaring more pixels than a Java array holds",
                        idxPair(idx(0x08, new int[] {100_000_000, 28, 28}, new byte[0]), 1), IMAGES,
                        "at most 2147483639 pixel values", "100000000 images of 1x28x28 = 78400000000 values"),
                bad("raw IDX declaring far more data than the file holds",
                        idxPair(idx(0x08, new int[] {2_000_000, 28, 28}, new byte[10]), 1), IMAGES,
                        "1568000016 bytes for an IDX header and 2000000 images of 28x28", "26 bytes"),
                bad("small gzip IDX declaring more than deflate can expand to", d -> {
                    write(d.resolve(LABELS + ".gz"), gzip(idxLabels(new byte[1])));
                    return write(d.resolve(IMAGES + ".gz"), gzip(idx(0x08, new int[] {2_000_000, 28, 28}, new byte[10])));
                }, IMAGES + ".gz", "compressed bytes", "a header declaring 1568000016 bytes"),
                bad("IDX with an unusual name and no labels option", d -> write(d.resolve("pictures.idx"), idxImages(1, 1, 1, new byte[1])),
                        "pictures.idx", "IDX files named <prefix>-images-idx3-ubyte", "the name pictures.idx"),
                bad("IDX images without a labels file", d -> write(d.resolve(IMAGES), idxImages(1, 1, 1, new byte[1])), IMAGES,
                        "its labels file beside it (" + LABELS, "none"),
                bad("IDX label without a class name", d -> {
                    write(d.resolve(LABELS), idxLabels(new byte[] {0, 12}));
                    return write(d.resolve(IMAGES), idxImages(2, 1, 1, new byte[2]));
                }, LABELS, "labels in 0..9 (10 class names from the MNIST digits)", "label 12 for image 1"),
                bad("classes.txt with fewer names than labels", d -> {
                    writeText(d.resolve("classes.txt"), "a\nb\n");
                    write(d.resolve(LABELS), idxLabels(new byte[] {0, 5}));
                    return write(d.resolve(IMAGES), idxImages(2, 1, 1, new byte[2]));
                }, LABELS, "classes.txt)", "label 5 for image 1"),
                new Case("resize options on IDX data", idxPair(idxImages(1, 1, 1, new byte[1]), 1),
                        DatasetOptions.paperResizeCrop(), IMAGES, "an image folder for the resize/crop options", "IDX data",
                        "image folders only"),

                // CIFAR-10
                bad("CIFAR batch that is not whole records", d -> write(d.resolve("data_batch_1.bin"), new byte[2 * 3073 + 100]),
                        "data_batch_1.bin", "whole 3073-byte CIFAR-10 binary records", "6246 bytes (2 records and 100 bytes left over)"),
                new Case("CIFAR-100 records", d -> write(d.resolve("train.bin"), new byte[3 * 3074]), DEFAULTS, "train.bin",
                        "3073-byte", "9222 bytes", "CIFAR-100"),
                bad("empty CIFAR batch", d -> write(d.resolve("test_batch.bin"), new byte[0]), "test_batch.bin",
                        "3073-byte", "an empty file"),
                bad("CIFAR label beyond the ten classes", d -> write(d.resolve("test_batch.bin"), cifar(new byte[] {10}, new byte[3072])),
                        "test_batch.bin", "labels in 0..9 (10 class names from the CIFAR-10 names)", "label 10 for image 0"),

                // NPY
                bad("NPY with a wrong magic", npyPair("hello world, no numpy here".getBytes(StandardCharsets.US_ASCII)),
                        "images.npy", "the NPY magic", "bytes 68656c6c6f20776f"),
                bad("NPY of format version 9", npyPair(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 0, 0}),
                        "images.npy", "NPY format version 1.0, 2.0 or 3.0", "version 9.0"),
                bad("NPY header that is not a dict", npyPair(npyWithHeader(1, "garbage", new byte[0])), "images.npy",
                        "an NPY header dict like", "'garbage'"),
                bad("NPY declaring a 2 GB header", npyPair(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, -1, -1, -1, 127}),
                        "images.npy", "an NPY header of at most 65536 bytes", "a declared header of 2147483647 bytes"),
                bad("NPY images of int16", npyPair(npy("<i2", new long[] {2, 3, 4}, new byte[48])), "images.npy",
                        "images of dtype uint8, float32 or float64", "dtype int16 ('<i2')"),
                bad("NPY images of complex64", npyPair(npy("<c8", new long[] {2, 3, 4}, new byte[192])), "images.npy",
                        "images of dtype uint8, float32 or float64", "dtype complex64"),
                bad("NPY structured dtype", npyPair(npyWithHeader(1, "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,), }",
                        new byte[8])), "images.npy", "a plain numeric dtype", "a structured dtype"),
                new Case("NPY labels of float32", npyLabels(npy("<f4", new long[] {2}, new byte[8])), DEFAULTS, "labels.npy",
                        "integer labels", "dtype float32", "astype('int64')"),
                bad("Fortran-ordered NPY", npyPair(DataFiles.npy(1, "|u1", true, new long[] {2, 3, 4}, new byte[24])), "images.npy",
                        "C-ordered data", "fortran_order True"),
                new Case("one-hot NPY labels", npyLabels(npy("<i8", new long[] {2, 10}, new byte[160])), DEFAULTS, "labels.npy",
                        "labels shaped [N] or [N,1]", "shape [2, 10]", "one-hot"),
                new Case("flattened NPY images", npyPair(npy("|u1", new long[] {2, 784}, new byte[1568])), DEFAULTS, "images.npy",
                        "images shaped [N,H,W], [N,C,H,W] or [N,H,W,C]", "shape [2, 784]", "reshape"),
                bad("NPY declaring a billion images", npyPair(npy("|u1", new long[] {1_000_000_000, 28, 28}, new byte[0])),
                        "images.npy", "image count in 1..100000000", "1000000000"),
                bad("NPY declaring more pixels than a Java array holds",
                        npyPair(npy("|u1", new long[] {100_000_000, 3, 28, 28}, new byte[0])), "images.npy",
                        "at most 2147483639 pixel values", "100000000 images of 3x28x28"),
                bad("truncated NPY", npyPair(truncatedNpy), "images.npy",
                        "152 bytes for an NPY header and 2 images of 1x3x4 (uint8)", "138 bytes"),
                new Case("float32 NPY images in 0..255", npyPair(npy("<f4", new long[] {2, 3, 4}, floats(bytesAsFloats, ByteOrder.LITTLE_ENDIAN))),
                        DEFAULTS, "images.npy", "float32 pixel values in [0,1]", "values from 0.0 to 255.0", "x / 255.0"),
                bad("NPY images with NaN", npyPair(npy("<f4", new long[] {2, 3, 4}, floats(withNaN, ByteOrder.LITTLE_ENDIAN))),
                        "images.npy", "float32 pixel values in [0,1]", "NaN in image 1"),
                new Case("NPY shape that could be NCHW or NHWC", npyPair(npy("|u1", new long[] {2, 3, 4, 3}, new byte[72])), DEFAULTS,
                        "images.npy", "one channel axis of size 1 or 3", "shape [2, 3, 4, 3], where both could be", "layout"),
                bad("NPY shape without a channel axis", npyPair(npy("|u1", new long[] {2, 5, 4, 7}, new byte[280])), "images.npy",
                        "one channel axis of size 1 or 3", "where neither is"),
                bad("NPY label count differing from the image count", npyLabels(npy("<i8", new long[] {3}, int64(0, 1, 2))),
                        "labels.npy", "2 labels (one per image in images.npy)", "3 labels"),
                bad("NPY negative label", npyLabels(npy("<i8", new long[] {2}, int64(-1, 0))), "labels.npy",
                        "labels in 0..99999", "label -1 for image 0"),
                bad("NPY images without labels", d -> write(d.resolve("pictures.npy"), npy("|u1", new long[] {1, 1, 1}, new byte[1])),
                        "pictures.npy", "a labels file beside it (pictures_labels.npy", "none"),

                // NPZ
                bad("corrupt NPZ", d -> write(d.resolve("data.npz"), concat(new byte[] {'P', 'K', 3, 4}, new byte[40])), "data.npz",
                        "an NPZ archive", "an unreadable zip"),
                bad("NPZ without the usual keys", npz(entries("a.npy", npy("|u1", new long[] {1, 1, 1}, new byte[1]),
                        "b.npy", npy("<i8", new long[] {1}, int64(0)))), "data.npz",
                        "images and labels under the keys x/y", "the keys [a, b]"),
                bad("NPZ images without labels", npz(entries("x.npy", npy("|u1", new long[] {1, 1, 1}, new byte[1]))), "data.npz",
                        "the labels y beside the images x", "the keys [x]"),
                new Case("NPZ with train and test but no split", npz(entries(
                        "x_train.npy", npy("|u1", new long[] {1, 1, 1}, new byte[1]), "y_train.npy", npy("<i8", new long[] {1}, int64(0)),
                        "x_test.npy", npy("|u1", new long[] {1, 1, 1}, new byte[1]), "y_test.npy", npy("<i8", new long[] {1}, int64(0)))),
                        DEFAULTS, "data.npz", "one images array", "several: [x_test, x_train]", "split"),
                bad("NPZ entry declaring far more than it holds", npz(entries("x.npy", hugeNpz, "y.npy", npy("<i8", new long[] {1}, int64(0)))),
                        "data.npz/x.npy", "bytes for an NPY header and 2000000 images of 1x28x28 (uint8)", hugeNpz.length + " bytes"),

                // Image folders
                bad("image folder with an undecodable file", d -> {
                    twoClasses(d);
                    write(d.resolve("b/z.png"), "not an image at all".getBytes(StandardCharsets.US_ASCII));
                    return d;
                }, "z.png", "an image Java can decode", "unknown content"),
                bad("image folder with a truncated PNG", d -> {
                    twoClasses(d);
                    write(d.resolve("b/z.png"), Arrays.copyOf(pngHeaderOnly(4, 4), 20));
                    return d;
                }, "z.png", "a decodable PNG image", "corrupt data"),
                bad("image folder with a PNG declaring 20000x20000 pixels", d -> {
                    twoClasses(d);
                    write(d.resolve("b/z.png"), pngHeaderOnly(20_000, 20_000));
                    return d;
                }, "z.png", "an image of at most 16384 pixels a side", "20000x20000"),
                bad("image folder with an empty class", d -> {
                    image(d.resolve("a/x.png"), grey(4, 4, new byte[16]), "png");
                    writeText(d.resolve("b/readme.txt"), "nothing here");
                    return d;
                }, "b", "image files (bmp, gif, jpeg, jpg, png) for class b", "none"),
                new Case("image folder with images of different sizes", d -> {
                    twoClasses(d);
                    image(d.resolve("b/z.png"), grey(5, 4, new byte[20]), "png");
                    return d;
                }, DEFAULTS, "z.png", "4x4 pixels like a/x.png", "5x4", "choose a resize"),
                bad("image folder cropped beyond its images", d -> twoClasses(d), "x.png",
                        "an image of at least 8x8 pixels to crop", "4x4").withOptions(DatasetOptions.defaults().withResize(0, 8)),
                bad("classes.txt naming more classes than subfolders", d -> {
                    twoClasses(d);
                    writeText(d.resolve("classes.txt"), "one\ntwo\nthree\n");
                    return d;
                }, "", "2 class names (one per subfolder) from", "3 names"),

                // Anything else
                bad("path that does not exist", d -> d.resolve("missing"), "missing", "a dataset file or folder", "nothing at that path"),
                bad("file of an unknown format", d -> writeText(d.resolve("notes.txt"), "just some notes"), "notes.txt",
                        "a dataset (IDX", "a file of unknown format"),
                new Case("single image instead of a folder", d -> image(d.resolve("cat.png"), grey(2, 2, new byte[4]), "png"), DEFAULTS,
                        "cat.png", "a dataset (IDX", "a single image (a PNG image)", "subfolder of images per class"),
                bad("folder with nothing recognisable", d -> {
                    writeText(d.resolve("readme.md"), "hi");
                    return d;
                }, "", "a dataset folder", "only [readme.md]"),
                bad("gzip holding neither IDX nor NPY", d -> write(d.resolve("data.gz"), gzip("plain text".getBytes(StandardCharsets.US_ASCII))),
                        "data.gz", "gzip-compressed IDX or NPY data", "a gzip file holding other data"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputFailsNamingTheFileWhatWasExpectedAndWhatWasFound(Case c) {
        Path target = c.setup().apply(dir);

        DatasetFormatException e = catchThrowableOfType(DatasetFormatException.class, () -> Datasets.open(target, c.options()));

        assertThat(e).as("a DatasetFormatException").isNotNull();
        String file = e.file().toString();
        assertThat(file).endsWith(c.file().isEmpty() ? dir.toString() : c.file());
        assertThat(e.getMessage()).contains(file).contains("expected " + e.expected()).contains("found " + e.found());
        assertThat(e.expected()).contains(c.expected());
        assertThat(e.found()).contains(c.found());
        assertThat(e.hint()).isNotBlank().contains(c.hint());
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
    }
}
