package org.mrw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mrw.core.data.DataFiles.gzip;
import static org.mrw.core.data.DataFiles.idxImages;
import static org.mrw.core.data.DataFiles.idxLabels;
import static org.mrw.core.data.DataFiles.ramp;
import static org.mrw.core.data.DataFiles.write;
import static org.mrw.core.data.DataFiles.writeText;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static final byte[] PIXELS = ramp(3 * 4 * 5);
    private static final byte[] LABELS = {7, 0, 9};

    private Path writePair(String prefix, String separator, boolean compressed) {
        String suffix = compressed ? ".gz" : "";
        byte[] images = idxImages(3, 4, 5, PIXELS);
        byte[] labels = idxLabels(LABELS);
        write(dir.resolve(prefix + "-labels" + separator + "idx1-ubyte" + suffix), compressed ? gzip(labels) : labels);
        return write(dir.resolve(prefix + "-images" + separator + "idx3-ubyte" + suffix), compressed ? gzip(images) : images);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"raw dash, -, false", "gzip dash, -, true", "raw dot, ., false", "gzip dot, ., true"})
    void idxPairRoundTripsEveryByteAsItsValueOver255(String caseName, String separator, boolean compressed) {
        Path images = writePair("t10k", separator, compressed);

        Dataset data = Datasets.open(images, DatasetOptions.defaults());

        assertThat(data.size()).isEqualTo(3);
        assertThat(List.of(data.channels(), data.height(), data.width())).containsExactly(1, 4, 5);
        ImageBatch batch = data.batch(0, 3);
        assertThat(batch.labels()).containsExactly(7, 0, 9);
        for (int i = 0; i < PIXELS.length; i++) {
            assertThat(batch.pixels()[i]).isEqualTo((PIXELS[i] & 0xFF) / 255f);
        }
        assertThat(data.label(2)).isEqualTo(9);
        assertThat(data.source()).isEqualTo(images);
    }

    @Test
    void batchByIndicesReturnsThoseImagesInThatOrder() {
        Dataset data = Datasets.open(writePair("t10k", "-", false), DatasetOptions.defaults());

        ImageBatch batch = data.batch(new int[] {2, 0});

        assertThat(batch.labels()).containsExactly(9, 7);
        assertThat(batch.pixels()[0]).isEqualTo((PIXELS[40] & 0xFF) / 255f);
        assertThat(batch.pixels()[20]).isEqualTo((PIXELS[0] & 0xFF) / 255f);
    }

    @Test
    void labelsFileFindsItsImagesFileBeside() {
        writePair("train", "-", true);

        Dataset data = Datasets.open(dir.resolve("train-labels-idx1-ubyte.gz"), DatasetOptions.defaults());

        assertThat(data.source()).isEqualTo(dir.resolve("train-images-idx3-ubyte.gz"));
        assertThat(data.size()).isEqualTo(3);
    }

    @Test
    void folderWithOnePairOpensThatPair() {
        writePair("t10k", "-", true);

        Dataset data = Datasets.open(dir, DatasetOptions.defaults());

        assertThat(data.size()).isEqualTo(3);
        assertThat(data.name()).isEqualTo(dir.getFileName() + "/t10k");
    }

    @Test
    void folderWithTrainAndTestPairsListsThemAndAsksForAFileOrASplit() {
        writePair("t10k", "-", true);
        writePair("train", "-", true);

        assertThatThrownBy(() -> Datasets.open(dir, DatasetOptions.defaults()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("expected one IDX images file")
                .hasMessageContaining("t10k-images-idx3-ubyte.gz")
                .hasMessageContaining("train-images-idx3-ubyte.gz")
                .hasMessageContaining("Point at one of them");
    }

    @ParameterizedTest
    @CsvSource({"test, t10k-images-idx3-ubyte.gz", "train, train-images-idx3-ubyte.gz"})
    void splitChoosesThePairInAFolder(String split, String expectedFile) {
        writePair("t10k", "-", true);
        writePair("train", "-", true);

        Dataset data = Datasets.open(dir, DatasetOptions.defaults().withSplit(split));

        assertThat(data.source().getFileName().toString()).isEqualTo(expectedFile);
    }

    @Test
    void pathMentioningFashionGivesFashionMnistClassNames() {
        Path folder = dir.resolve("Fashion-MNIST");
        write(folder.resolve("t10k-labels-idx1-ubyte"), idxLabels(LABELS));
        Path images = write(folder.resolve("t10k-images-idx3-ubyte"), idxImages(3, 4, 5, PIXELS));

        Dataset data = Datasets.open(images, DatasetOptions.defaults());

        assertThat(data.classNames()).isEqualTo(Datasets.FASHION_MNIST_CLASSES);
        assertThat(data.classNames().get(9)).isEqualTo("Ankle boot");
    }

    @Test
    void otherIdxDataGetsTheTenDigitsAsClassNames() {
        Dataset data = Datasets.open(writePair("t10k", "-", false), DatasetOptions.defaults());

        assertThat(data.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void classesTxtBesideTheDataWinsOverTheFormatsNames() {
        Path images = writePair("t10k", "-", false);
        writeText(dir.resolve("classes.txt"), "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n\n");

        Dataset data = Datasets.open(images, DatasetOptions.defaults());

        assertThat(data.classNames()).hasSize(10).startsWith("zero", "one").endsWith("nine");
    }

    @Test
    void classNamesInTheOptionsWinOverClassesTxt() {
        Path images = writePair("t10k", "-", false);
        writeText(dir.resolve("classes.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
        List<String> names = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");

        Dataset data = Datasets.open(images, DatasetOptions.defaults().withClassNames(names));

        assertThat(data.classNames()).isEqualTo(names);
    }

    @Test
    void labelsFileInTheOptionsPairsAnIdxFileWithAnUnusualName() {
        Path images = write(dir.resolve("pictures.idx"), idxImages(3, 4, 5, PIXELS));
        Path labels = write(dir.resolve("answers.idx"), idxLabels(LABELS));

        Dataset data = Datasets.open(images, DatasetOptions.defaults().withLabels(labels));

        assertThat(data.batch(0, 3).labels()).containsExactly(7, 0, 9);
    }

    @Test
    void greyDataBecomesThreeEqualChannelsWhenAskedForRgb() {
        Dataset data = Datasets.open(writePair("t10k", "-", false), DatasetOptions.defaults().withChannels(3));

        ImageBatch batch = data.batch(1, 1);

        assertThat(batch.channels()).isEqualTo(3);
        float[] p = batch.pixels();
        for (int i = 0; i < 20; i++) {
            float v = (PIXELS[20 + i] & 0xFF) / 255f;
            assertThat(new float[] {p[i], p[20 + i], p[40 + i]}).containsOnly(v);
        }
    }
}
