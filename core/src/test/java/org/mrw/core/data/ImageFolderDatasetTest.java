package org.mrw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mrw.core.data.DataFiles.grey;
import static org.mrw.core.data.DataFiles.image;
import static org.mrw.core.data.DataFiles.ramp;
import static org.mrw.core.data.DataFiles.rgb;
import static org.mrw.core.data.DataFiles.write;
import static org.mrw.core.data.DataFiles.writeText;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    @TempDir
    Path dir;

    private static int[][] colours(int count) {
        int[][] c = new int[count][];
        for (int i = 0; i < count; i++) {
            c[i] = new int[] {(i * 50) % 256, (i * 90 + 7) % 256, (255 - i * 30) % 256};
        }
        return c;
    }

    @Test
    void greyPngsRoundTripExactlyWithSortedFolderNamesAsClasses() {
        byte[] a = ramp(12);
        byte[] b = ramp(24);
        image(dir.resolve("dog/1.png"), grey(4, 3, Arrays.copyOfRange(b, 12, 24)), "png");
        image(dir.resolve("cat/z.png"), grey(4, 3, a), "png");
        image(dir.resolve("dog/0.png"), grey(4, 3, Arrays.copyOf(b, 12)), "png");

        Dataset data = Datasets.open(dir, DatasetOptions.defaults());

        assertThat(data.classNames()).containsExactly("cat", "dog");
        assertThat(new int[] {data.size(), data.channels(), data.height(), data.width()}).containsExactly(3, 1, 3, 4);
        ImageBatch batch = data.batch(0, 3);
        assertThat(batch.labels()).containsExactly(0, 1, 1);
        for (int i = 0; i < 12; i++) {
            assertThat(batch.pixels()[i]).isEqualTo((a[i] & 0xFF) / 255f);
            assertThat(batch.pixels()[12 + i]).isEqualTo((b[i] & 0xFF) / 255f);
            assertThat(batch.pixels()[24 + i]).isEqualTo((b[12 + i] & 0xFF) / 255f);
        }
    }

    @Test
    void rgbPngRoundTripsExactlyAsThreePlanes() {
        int[][] colours = colours(6);
        image(dir.resolve("only/a.png"), rgb(3, 2, colours), "png");

        ImageBatch batch = Datasets.open(dir, DatasetOptions.defaults()).batch(0, 1);

        assertThat(batch.channels()).isEqualTo(3);
        for (int p = 0; p < 6; p++) {
            for (int c = 0; c < 3; c++) {
                assertThat(batch.pixels()[c * 6 + p]).isEqualTo(colours[p][c] / 255f);
            }
        }
    }

    @Test
    void greyImagesAmongColourOnesAreRepeatedIntoThreeChannels() {
        image(dir.resolve("a/colour.png"), rgb(2, 1, colours(2)), "png");
        image(dir.resolve("b/grey.png"), grey(2, 1, new byte[] {10, (byte) 200}), "png");

        Dataset data = Datasets.open(dir, DatasetOptions.defaults());

        assertThat(data.channels()).isEqualTo(3);
        assertThat(data.batch(1, 1).pixels()).containsExactly(10 / 255f, 200 / 255f, 10 / 255f, 200 / 255f, 10 / 255f, 200 / 255f);
    }

    @Test
    void sixteenBitGreyIsScaledByItsOwnRange() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(0, 0, 0, 65535);
        image.getRaster().setSample(1, 0, 0, 257);
        image(dir.resolve("a/deep.png"), image, "png");

        assertThat(Datasets.open(dir, DatasetOptions.defaults()).batch(0, 1).pixels()).containsExactly(1f, 257 / 65535f);
    }

    @Test
    void palettePngDecodesThroughItsColourTable() {
        byte[] r = {(byte) 255, 0};
        byte[] g = {0, (byte) 128};
        byte[] b = {0, (byte) 255};
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        image.getRaster().setSample(0, 0, 0, 0);
        image.getRaster().setSample(1, 0, 0, 1);
        image(dir.resolve("a/palette.png"), image, "png");

        ImageBatch batch = Datasets.open(dir, DatasetOptions.defaults()).batch(0, 1);

        assertThat(batch.pixels()).containsExactly(1f, 0f, 0f, 128 / 255f, 0f, 1f);
    }

    @Test
    void jpegDecodesCloseToItsOriginalValues() {
        byte[] flat = new byte[16 * 16];
        Arrays.fill(flat, (byte) 100);
        image(dir.resolve("a/flat.jpg"), grey(16, 16, flat), "jpeg");

        ImageBatch batch = Datasets.open(dir, DatasetOptions.defaults()).batch(0, 1);

        assertThat(batch.channels()).isEqualTo(1);
        for (float v : batch.pixels()) {
            assertThat(v).isCloseTo(100 / 255f, within(2 / 255f));
        }
    }

    @Test
    void resizeAndCropGiveSquareImagesOfTheCropSide() {
        image(dir.resolve("a/wide.png"), rgb(12, 8, colours(96)), "png");
        image(dir.resolve("b/tall.png"), rgb(6, 10, colours(60)), "png");

        Dataset data = Datasets.open(dir, DatasetOptions.defaults().withResize(6, 4));

        assertThat(new int[] {data.channels(), data.height(), data.width()}).containsExactly(3, 4, 4);
        assertThat(data.batch(0, 2).pixels()).hasSize(2 * 3 * 16);
    }

    @Test
    void resizeWithoutCropCropsASquareOfTheShorterSide() {
        image(dir.resolve("a/wide.png"), rgb(12, 8, colours(96)), "png");

        Dataset data = Datasets.open(dir, DatasetOptions.defaults().withResize(5, 0));

        assertThat(new int[] {data.height(), data.width()}).containsExactly(5, 5);
    }

    @Test
    void channelsOptionTurnsColourIntoPilLumaGrey() {
        image(dir.resolve("a/red.png"), rgb(1, 1, new int[][] {{255, 0, 0}}), "png");

        ImageBatch batch = Datasets.open(dir, DatasetOptions.defaults().withChannels(1)).batch(0, 1);

        assertThat(batch.pixels()).containsExactly(0.299f);
    }

    @Test
    void imagesAreDecodedOnlyWhenABatchAsksForThem() {
        image(dir.resolve("a/good.png"), rgb(8, 8, colours(64)), "png");
        Path broken = write(dir.resolve("b/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});

        // Resize and channels given: nothing needs the headers, so the broken file is not touched yet.
        Dataset data = Datasets.open(dir, DatasetOptions.defaults().withResize(4, 4).withChannels(3));

        assertThat(data.batch(0, 1).pixels()).hasSize(48);
        assertThatThrownBy(() -> data.batch(1, 1))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(broken.toString());
    }

    @Test
    void cachedImagesComeBackUnchangedAfterTheirBatchWasModified() {
        image(dir.resolve("a/x.png"), grey(2, 2, new byte[] {1, 2, 3, 4}), "png");
        Dataset data = Datasets.open(dir, DatasetOptions.defaults().withCacheImages(4));

        data.batch(0, 1).pixels()[0] = 42f;

        assertThat(data.batch(0, 1).pixels()[0]).isEqualTo(1 / 255f);
    }

    @Test
    void imagesInNestedFoldersAndHiddenFilesFollowTorchvisionRules() throws Exception {
        image(dir.resolve("a/sub/2.png"), grey(1, 1, new byte[] {2}), "png");
        image(dir.resolve("a/1.png"), grey(1, 1, new byte[] {1}), "png");
        image(dir.resolve("a/.hidden.png"), grey(1, 1, new byte[] {9}), "png");
        Files.createDirectories(dir.resolve(".git"));
        writeText(dir.resolve("a/notes.txt"), "not an image");

        Dataset data = Datasets.open(dir, DatasetOptions.defaults());

        assertThat(data.classNames()).containsExactly("a");
        assertThat(data.batch(0, 2).pixels()).containsExactly(1 / 255f, 2 / 255f);
    }

    @Test
    void classesTxtRenamesTheSubfolderClasses() {
        image(dir.resolve("n01/a.png"), grey(1, 1, new byte[] {1}), "png");
        image(dir.resolve("n02/a.png"), grey(1, 1, new byte[] {1}), "png");
        writeText(dir.resolve("classes.txt"), "tench\ngoldfish\n");

        assertThat(Datasets.open(dir, DatasetOptions.defaults()).classNames()).containsExactly("tench", "goldfish");
    }
}
