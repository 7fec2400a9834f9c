package org.mrw.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.NpzArrays.FloatArray;

class AdversarialFilesTest {

    @TempDir
    Path dir;

    private static FloatArray images(int n, int c, int h, int w) {
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 255) / 255f;
        }
        return new FloatArray(new int[] {n, c, h, w}, v);
    }

    @Test
    void aUnitsAdversarialsRoundTripUnderTheDocumentedName() throws Exception {
        AdversarialFiles files = new AdversarialFiles(dir);
        BatchKey key = new BatchKey("resnet_float", "pgd", "phone:tflite", 2, 300);
        FloatArray x = images(4, 3, 5, 6);
        Path file = files.write("20261125-170102-paper-1a2b", key, 0.03, x);
        assertThat(file).isEqualTo(dir.resolve("adversarials/20261125-170102-paper-1a2b/resnet_float__pgd__eps0.03__r2__b300.npy"));
        assertThat(files.exists("20261125-170102-paper-1a2b", key, 0.03)).isTrue();
        assertThat(files.read("20261125-170102-paper-1a2b", key, 0.03)).isEqualTo(x);
        assertThat(files.exists("20261125-170102-paper-1a2b", key, 0.05)).isFalse();
        try (Stream<Path> all = Files.list(file.getParent())) {
            assertThat(all).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void theFileIsWhatNumpySaveWritesForFloat32() throws Exception {
        AdversarialFiles files = new AdversarialFiles(dir);
        FloatArray x = new FloatArray(new int[] {1, 1, 1, 2}, new float[] {0.25f, -1.5f});
        byte[] bytes = Files.readAllBytes(files.write("r", Rows.FGSM, 0.1, x));
        assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        assertThat((10 + headerLength) % 64).isZero();
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 2), }").endsWith("\n");
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.getFloat()).isEqualTo(0.25f);
        assertThat(data.getFloat()).isEqualTo(-1.5f);
    }

    @Test
    void namesThatAreNotPlainBecomeSafeAndStayDistinct() {
        AdversarialFiles files = new AdversarialFiles(dir);
        Path a = files.path("../../etc", new BatchKey("zoo/cnn a", "cw__l2", "t", 0, 0), 8.0 / 255);
        Path b = files.path("../../etc", new BatchKey("zoo_cnn a", "cw__l2", "t", 0, 0), 8.0 / 255);
        assertThat(a.normalize().startsWith(dir.resolve("adversarials"))).as(a.toString()).isTrue();
        assertThat(a.getParent().getFileName().toString()).doesNotStartWith(".").matches("[A-Za-z0-9._-]+");
        assertThat(a.getFileName().toString()).matches("zoo-cnn-a-[0-9a-f]{8}__cw_l2-[0-9a-f]{8}__eps0\\.03137254901960784__r0__b0\\.npy");
        assertThat(a).isNotEqualTo(b);
        assertThat(AdversarialFiles.safeName("")).matches("x-[0-9a-f]{8}");
        assertThat(AdversarialFiles.epsilonText(8)).isEqualTo("8");
        assertThat(AdversarialFiles.epsilonText(0)).isEqualTo("0");
        assertThat(AdversarialFiles.epsilonText(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThatThrownBy(() -> AdversarialFiles.epsilonText(Double.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdversarialFiles.epsilonText(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void imagesMustBeFourDimensional() {
        AdversarialFiles files = new AdversarialFiles(dir);
        assertThatThrownBy(() -> files.write("r", Rows.FGSM, 0.1, new FloatArray(new int[] {2, 3}, new float[6])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[n,c,h,w]");
    }

    @Test
    void aMissingFileIsAStoreErrorNamingIt() {
        AdversarialFiles files = new AdversarialFiles(dir);
        Path expected = files.path("r", Rows.FGSM, 0.1);
        assertThatThrownBy(() -> files.read("r", Rows.FGSM, 0.1)).isInstanceOf(StoreException.class)
                .hasMessageContaining(expected.toString());
    }

    @Test
    void anUnwritableFolderIsAStoreErrorNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("adversarials"), "a file in the way");
        AdversarialFiles files = new AdversarialFiles(dir);
        assertThatThrownBy(() -> files.write("r", Rows.FGSM, 0.1, images(1, 1, 2, 2))).isInstanceOf(StoreException.class)
                .hasMessageContaining(files.path("r", Rows.FGSM, 0.1).toString());
    }
}
