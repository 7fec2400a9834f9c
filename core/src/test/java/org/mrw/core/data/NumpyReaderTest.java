package org.mrw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mrw.core.data.DataFiles.doubles;
import static org.mrw.core.data.DataFiles.floats;
import static org.mrw.core.data.DataFiles.gzip;
import static org.mrw.core.data.DataFiles.int64;
import static org.mrw.core.data.DataFiles.ints;
import static org.mrw.core.data.DataFiles.npy;
import static org.mrw.core.data.DataFiles.write;
import static org.mrw.core.data.DataFiles.zip;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumpyReaderTest {

    @TempDir
    Path dir;

    private static final int N = 2;
    private static final int H = 5;
    private static final int W = 4;

    /** The canonical value of image n, channel c, row y, column x, as a byte. */
    private static int value(int n, int c, int y, int x) {
        return (n * 97 + c * 61 + y * 13 + x * 5) % 256;
    }

    /** Bytes of a [N,C,H,W] (or [N,H,W,C] when {@code channelsLast}) uint8 array. */
    private static byte[] uint8(int channels, boolean channelsLast) {
        byte[] b = new byte[N * channels * H * W];
        int i = 0;
        for (int n = 0; n < N; n++) {
            if (channelsLast) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        for (int c = 0; c < channels; c++) {
                            b[i++] = (byte) value(n, c, y, x);
                        }
                    }
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    for (int y = 0; y < H; y++) {
                        for (int x = 0; x < W; x++) {
                            b[i++] = (byte) value(n, c, y, x);
                        }
                    }
                }
            }
        }
        return b;
    }

    private static void assertCanonical(ImageBatch batch, int channels) {
        assertThat(batch.shape()).containsExactly(N, channels, H, W);
        float[] p = batch.pixels();
        int i = 0;
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        assertThat(p[i++]).as("n=%d c=%d y=%d x=%d", n, c, y, x).isEqualTo(value(n, c, y, x) / 255f);
                    }
                }
            }
        }
    }

    private Path labelsBeside(String name) {
        return write(dir.resolve(name), npy("<i8", new long[] {N}, int64(4, 1)));
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("[N,H,W]", new long[] {N, H, W}, 1, false),
                Arguments.of("[N,1,H,W]", new long[] {N, 1, H, W}, 1, false),
                Arguments.of("[N,H,W,1]", new long[] {N, H, W, 1}, 1, true),
                Arguments.of("[N,3,H,W]", new long[] {N, 3, H, W}, 3, false),
                Arguments.of("[N,H,W,3]", new long[] {N, H, W, 3}, 3, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void uint8ImagesInEveryLayoutArriveAsNchwValuesOver255(String caseName, long[] shape, int channels, boolean last) {
        Path images = write(dir.resolve("images.npy"), npy("|u1", shape, uint8(channels, last)));
        labelsBeside("labels.npy");

        Dataset data = Datasets.open(images, DatasetOptions.defaults());

        assertThat(data.channels()).isEqualTo(channels);
        assertCanonical(data.batch(0, N), channels);
        assertThat(data.batch(0, N).labels()).containsExactly(4, 1);
        assertThat(data.classNames()).containsExactly("0", "1", "2", "3", "4");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"float32 little-endian, <f4", "float32 big-endian, >f4", "float64, <f8"})
    void floatImagesAreTakenAsTheyAre(String caseName, String descr) {
        float[] values = new float[N * H * W];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / (float) (values.length - 1);
        }
        byte[] data = switch (descr) {
            case "<f4" -> floats(values, ByteOrder.LITTLE_ENDIAN);
            case ">f4" -> floats(values, ByteOrder.BIG_ENDIAN);
            default -> {
                double[] d = new double[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = values[i];
                }
                yield doubles(d);
            }
        };
        Path images = write(dir.resolve("x.npy"), npy(descr, new long[] {N, H, W}, data));
        labelsBeside("y.npy");

        ImageBatch batch = Datasets.open(images, DatasetOptions.defaults()).batch(0, N);

        assertThat(batch.pixels()).containsExactly(values);
    }

    @ParameterizedTest(name = "format version {0}")
    @ValueSource(ints = {1, 2, 3})
    void everyNpyFormatVersionIsRead(int version) {
        Path images = write(dir.resolve("images.npy"), DataFiles.npy(version, "|u1", false, new long[] {N, H, W}, uint8(1, false)));
        write(dir.resolve("labels.npy"), DataFiles.npy(version, "<i8", false, new long[] {N}, int64(4, 1)));

        assertCanonical(Datasets.open(images, DatasetOptions.defaults()).batch(0, N), 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"int64, <i8, 8, LITTLE", "int32, <i4, 4, LITTLE", "big-endian int32, >i4, 4, BIG", "uint8, |u1, 1, LITTLE",
            "int16, <i2, 2, LITTLE", "uint64, <u8, 8, LITTLE"})
    void integerLabelsOfEveryWidthAreRead(String caseName, String descr, int size, String order) {
        Path images = write(dir.resolve("images.npy"), npy("|u1", new long[] {N, H, W}, uint8(1, false)));
        ByteOrder byteOrder = order.equals("BIG") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        write(dir.resolve("labels.npy"), npy(descr, new long[] {N}, ints(new long[] {200, 3}, size, byteOrder)));

        Dataset data = Datasets.open(images, DatasetOptions.defaults());

        assertThat(data.batch(0, N).labels()).containsExactly(200, 3);
        assertThat(data.classNames()).hasSize(201);
    }

    @Test
    void labelsShapedAsAColumnAreRead() {
        Path images = write(dir.resolve("images.npy"), npy("|u1", new long[] {N, H, W}, uint8(1, false)));
        write(dir.resolve("labels.npy"), npy("<i8", new long[] {N, 1}, int64(0, 1)));

        assertThat(Datasets.open(images, DatasetOptions.defaults()).batch(0, N).labels()).containsExactly(0, 1);
    }

    @ParameterizedTest(name = "{0} finds {1}")
    @CsvSource({"digits.npy, digits_labels.npy", "x_test.npy, y_test.npy", "images_val.npy, labels_val.npy",
            "pictures.npy, labels.npy"})
    void labelsAreFoundBesideTheImagesUnderUsualNames(String imagesName, String labelsName) {
        Path images = write(dir.resolve(imagesName), npy("|u1", new long[] {N, H, W}, uint8(1, false)));
        labelsBeside(labelsName);

        assertThat(Datasets.open(images, DatasetOptions.defaults()).batch(0, N).labels()).containsExactly(4, 1);
    }

    @Test
    void labelsFileInTheOptionsIsUsedWhateverItsName() {
        Path images = write(dir.resolve("pictures.npy"), npy("|u1", new long[] {N, H, W}, uint8(1, false)));
        Path labels = write(dir.resolve("elsewhere").resolve("answers.npy"), npy("<i8", new long[] {N}, int64(2, 2)));

        Dataset data = Datasets.open(images, DatasetOptions.defaults().withLabels(labels));

        assertThat(data.batch(0, N).labels()).containsExactly(2, 2);
    }

    @ParameterizedTest
    @CsvSource({"NCHW, 4, 3", "NHWC, 3, 4"})
    void layoutOptionSettlesAnAmbiguousShape(DatasetOptions.Layout layout, int height, int width) {
        // [N,3,4,3] could hold its 3 channels first or last: only the option can say.
        Path images = write(dir.resolve("images.npy"), npy("|u1", new long[] {N, 3, 4, 3}, DataFiles.ramp(N * 36)));
        labelsBeside("labels.npy");

        Dataset data = Datasets.open(images, DatasetOptions.defaults().withLayout(layout));

        assertThat(new int[] {data.channels(), data.height(), data.width()}).containsExactly(3, height, width);
    }

    @Test
    void gzippedNpyIsRead() {
        Path images = write(dir.resolve("images.npy.gz"), gzip(npy("|u1", new long[] {N, H, W}, uint8(1, false))));
        labelsBeside("images_labels.npy");

        assertCanonical(Datasets.open(images, DatasetOptions.defaults()).batch(0, N), 1);
    }

    @Test
    void folderWithOneImagesNpyOpensIt() {
        write(dir.resolve("x_test.npy"), npy("|u1", new long[] {N, H, W}, uint8(1, false)));
        labelsBeside("y_test.npy");

        assertThat(Datasets.open(dir, DatasetOptions.defaults()).size()).isEqualTo(N);
    }

    static Stream<Arguments> npzKeys() {
        return Stream.of(false, true).flatMap(deflate -> Stream.of(
                Arguments.of("x", "y", deflate), Arguments.of("images", "labels", deflate),
                Arguments.of("x_test", "y_test", deflate)));
    }

    @ParameterizedTest(name = "{0}/{1}, deflated={2}")
    @MethodSource("npzKeys")
    void npzWithImagesAndLabelsUnderAnyUsualKeysIsRead(String imagesKey, String labelsKey, boolean deflate) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(imagesKey + ".npy", npy("|u1", new long[] {N, H, W, 3}, uint8(3, true)));
        entries.put(labelsKey + ".npy", npy("<i4", new long[] {N}, ints(new long[] {1, 0}, 4, ByteOrder.LITTLE_ENDIAN)));
        Path file = write(dir.resolve("data.npz"), zip(entries, deflate));

        Dataset data = Datasets.open(file, DatasetOptions.defaults());

        assertCanonical(data.batch(0, N), 3);
        assertThat(data.batch(0, N).labels()).containsExactly(1, 0);
    }

    @ParameterizedTest
    @CsvSource({"train, 1", "test, 0"})
    void splitChoosesBetweenTrainAndTestArraysInOneNpz(String split, int label) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String s : List.of("train", "test")) {
            entries.put("x_" + s + ".npy", npy("|u1", new long[] {1, H, W}, new byte[H * W]));
            entries.put("y_" + s + ".npy", npy("<i8", new long[] {1}, int64(s.equals("train") ? 1 : 0)));
        }
        Path file = write(dir.resolve("mnist.npz"), zip(entries, true));

        Dataset data = Datasets.open(file, DatasetOptions.defaults().withSplit(split));

        assertThat(data.label(0)).isEqualTo(label);
        assertThat(data.name()).isEqualTo("mnist/" + split);
    }
}
