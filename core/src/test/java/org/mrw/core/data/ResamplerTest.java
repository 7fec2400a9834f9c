package org.mrw.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

    /** A grey h x w ramp, {@code (37 x + 91 y) mod 256}, the input of the PIL reference values below. */
    private static float[] ramp(int h, int w) {
        float[] p = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = ((x * 37 + y * 91) % 256) / 255f;
            }
        }
        return p;
    }

    private static int[] toBytes(float[] p) {
        return Arrays.stream(toDoubles(p)).mapToInt(v -> (int) Math.round(v * 255)).toArray();
    }

    private static double[] toDoubles(float[] p) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = p[i];
        }
        return d;
    }

    // Expected values from PIL 9.4: Image.fromarray(ramp, 'L').resize((w, h), Image.BICUBIC).
    @Test
    void shrinkingMatchesPilBicubicWithinOneGreyLevel() {
        int[] pil = {66, 136, 153, 92, 93, 129, 87, 129, 143, 109, 118, 137, 93, 126, 130, 124, 96, 144, 107, 114};

        float[] out = Resampler.resize(ramp(7, 10), 1, 7, 10, 4, 5);

        int[] ours = toBytes(out);
        for (int i = 0; i < pil.length; i++) {
            assertThat(ours[i]).as("pixel %d", i).isCloseTo(pil[i], org.assertj.core.data.Offset.offset(1));
        }
    }

    @Test
    void enlargingMatchesPilBicubicWithinOneGreyLevel() {
        int[] pil = {0, 0, 18, 38, 57, 77, 97, 106, 15, 21, 41, 62, 85, 106, 126, 135, 62, 70, 89, 114, 144, 168, 188, 196,
                114, 125, 147, 152, 137, 143, 164, 175, 164, 178, 207, 171, 66, 35, 59, 73, 187, 203, 236, 179, 33, 0, 10, 25};

        int[] ours = toBytes(Resampler.resize(ramp(3, 4), 1, 3, 4, 6, 8));

        for (int i = 0; i < pil.length; i++) {
            assertThat(ours[i]).as("pixel %d", i).isCloseTo(pil[i], org.assertj.core.data.Offset.offset(1));
        }
    }

    @Test
    void constantImageStaysConstantAtAnyScale() {
        float[] planes = new float[2 * 9 * 13];
        Arrays.fill(planes, 0.25f);

        float[] out = Resampler.resize(planes, 2, 9, 13, 4, 6);

        for (float v : out) {
            assertThat(v).isCloseTo(0.25f, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @ParameterizedTest(name = "{0}x{1} shorter side {2} -> {3}x{4}")
    @CsvSource({"480, 640, 256, 256, 341", "640, 480, 256, 341, 256", "300, 300, 256, 256, 256", "375, 500, 256, 256, 341"})
    void shorterSideResizeTruncatesTheLongerSideAsTorchvisionDoes(int h, int w, int shorter, int outH, int outW) {
        assertThat(Resampler.resizedSize(h, w, shorter)).containsExactly(outH, outW);
    }

    @ParameterizedTest(name = "side {0}, crop {1} starts at {2}")
    @CsvSource({"11, 4, 4", "9, 4, 2", "8, 4, 2", "4, 4, 0"})
    void centreCropRoundsTheOffsetHalfToEvenAsPythonDoes(int side, int crop, int offset) {
        float[] planes = new float[side * side];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = i;
        }

        float[] out = Resampler.centreCrop(planes, 1, side, side, crop);

        assertThat(out[0]).isEqualTo(offset * side + offset);
        assertThat(out).hasSize(crop * crop);
    }
}
