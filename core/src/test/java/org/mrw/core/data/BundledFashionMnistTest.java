package org.mrw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledFashionMnistTest {

    @Test
    void bundledTestSplitHolds10000GreyImagesWithFashionMnistClasses() {
        Dataset data = Datasets.fashionMnistTest();

        assertThat(data.name()).isEqualTo("fashion-mnist-test");
        assertThat(new int[] {data.size(), data.channels(), data.height(), data.width()}).containsExactly(10_000, 1, 28, 28);
        assertThat(data.classNames()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                "Shirt", "Sneaker", "Bag", "Ankle boot");
    }

    @Test
    void bundledTestSplitStartsWithTheKnownLabels() {
        Dataset data = Datasets.fashionMnistTest();

        // The first test image is an ankle boot (label 9), then a pullover and two trousers.
        assertThat(data.batch(0, 5).labels()).containsExactly(9, 2, 1, 1, 6);
        int[] perClass = new int[10];
        for (int i = 0; i < data.size(); i++) {
            perClass[data.label(i)]++;
        }
        assertThat(perClass).containsOnly(1000);
    }

    @Test
    void bundledTestSplitHasTheKnownPixelStatistics() {
        ImageBatch all = Datasets.fashionMnistTest().batch(0, 10_000);

        double sum = 0;
        float min = 1;
        float max = 0;
        for (float v : all.pixels()) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // numpy: (t10k images / 255).mean() = 0.28685; the first image's bytes sum to 33456.
        assertThat(sum / all.pixels().length).isCloseTo(0.2868493, within(1e-6));
        assertThat(min).isZero();
        assertThat(max).isEqualTo(1f);
        double first = 0;
        for (int i = 0; i < 784; i++) {
            first += all.pixels()[i] * 255;
        }
        assertThat(first).isCloseTo(33456, within(1e-2));
    }

    @Test
    void debianTrainingSplitHolds60000Images() {
        // A developer machine may lack the Debian package; CI installs it (.ci/run), so there this must run.
        assumeTrue(Files.isRegularFile(Datasets.DEBIAN_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))
                || "true".equals(System.getenv("CI")), "dataset-fashion-mnist is not installed");

        Dataset data = Datasets.fashionMnistTrain();

        assertThat(data.size()).isEqualTo(60_000);
        assertThat(data.classNames()).isEqualTo(Datasets.FASHION_MNIST_CLASSES);
    }

    @Test
    void missingTrainingSplitSaysWhichPackageToInstall(@TempDir Path empty) {
        assertThatThrownBy(() -> Datasets.fashionMnistTrain(empty))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz")
                .hasMessageContaining("expected the Fashion-MNIST training split")
                .hasMessageContaining("found no such file")
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }
}
