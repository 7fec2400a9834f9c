package org.mrw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mrw.core.data.DataFiles.cifar;
import static org.mrw.core.data.DataFiles.ramp;
import static org.mrw.core.data.DataFiles.write;
import static org.mrw.core.data.DataFiles.writeText;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CifarReaderTest {

    @TempDir
    Path dir;

    /** Two images whose first pixel byte says which batch and record they are. */
    private static byte[] marked(int batch) {
        byte[] pixels = ramp(2 * 3072);
        pixels[0] = (byte) (batch * 10);
        pixels[3072] = (byte) (batch * 10 + 1);
        return pixels;
    }

    @Test
    void singleBatchRoundTripsPlanesAndLabels() {
        byte[] pixels = ramp(2 * 3072);
        Path file = write(dir.resolve("test_batch.bin"), cifar(new byte[] {3, 8}, pixels));

        Dataset data = Datasets.open(file, DatasetOptions.defaults());

        assertThat(data.size()).isEqualTo(2);
        assertThat(new int[] {data.channels(), data.height(), data.width()}).containsExactly(3, 32, 32);
        ImageBatch batch = data.batch(0, 2);
        assertThat(batch.labels()).containsExactly(3, 8);
        for (int i = 0; i < pixels.length; i++) {
            assertThat(batch.pixels()[i]).isEqualTo((pixels[i] & 0xFF) / 255f);
        }
        assertThat(data.classNames()).isEqualTo(Datasets.CIFAR10_CLASSES);
    }

    @Test
    void folderOfTrainBatchesConcatenatesThemInNumericOrder() {
        for (int b : new int[] {10, 2, 1}) {
            write(dir.resolve("data_batch_" + b + ".bin"), cifar(new byte[] {(byte) (b % 10), 0}, marked(b)));
        }

        Dataset data = Datasets.open(dir, DatasetOptions.defaults());

        assertThat(data.size()).isEqualTo(6);
        float[] p = data.batch(0, 6).pixels();
        int[] firstBytes = new int[6];
        for (int i = 0; i < 6; i++) {
            firstBytes[i] = Math.round(p[i * 3072] * 255);
        }
        assertThat(firstBytes).containsExactly(10, 11, 20, 21, 100, 101);
    }

    @Test
    void batchesMetaTxtGivesTheClassNames() {
        String[] names = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
        writeText(dir.resolve("batches.meta.txt"), String.join("\n", names) + "\n\n");
        Path file = write(dir.resolve("test_batch.bin"), cifar(new byte[] {1}, ramp(3072)));

        Dataset data = Datasets.open(file, DatasetOptions.defaults());

        assertThat(data.classNames()).isEqualTo(Arrays.asList(names));
    }

    @Test
    void folderWithTrainAndTestBatchesListsThemAndAsksForASplit() {
        write(dir.resolve("data_batch_1.bin"), cifar(new byte[] {1}, ramp(3072)));
        write(dir.resolve("test_batch.bin"), cifar(new byte[] {2}, ramp(3072)));

        assertThatThrownBy(() -> Datasets.open(dir, DatasetOptions.defaults()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("expected the CIFAR-10 binary batches of one split")
                .hasMessageContaining("[data_batch_1.bin, test_batch.bin]")
                .hasMessageContaining("choose a split");
    }

    @ParameterizedTest
    @CsvSource({"train, 1", "test, 2"})
    void splitChoosesTrainOrTestBatches(String split, int label) {
        write(dir.resolve("data_batch_1.bin"), cifar(new byte[] {1}, ramp(3072)));
        write(dir.resolve("test_batch.bin"), cifar(new byte[] {2}, ramp(3072)));

        Dataset data = Datasets.open(dir, DatasetOptions.defaults().withSplit(split));

        assertThat(data.label(0)).isEqualTo(label);
    }

    @Test
    void rgbDataBecomesGreyWithPilLumaWeightsWhenAskedForOneChannel() {
        byte[] pixels = new byte[3072];
        Arrays.fill(pixels, 0, 1024, (byte) 255);
        Path file = write(dir.resolve("test_batch.bin"), cifar(new byte[] {0}, pixels));

        ImageBatch batch = Datasets.open(file, DatasetOptions.defaults().withChannels(1)).batch(0, 1);

        assertThat(batch.channels()).isEqualTo(1);
        assertThat(batch.pixels()[0]).isEqualTo(0.299f);
    }
}
