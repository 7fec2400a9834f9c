package org.mrw.core.figure;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import org.junit.jupiter.api.Test;

class DivergingMapTest {

    @Test
    void zeroIsWhiteTheEndsAreTheMapsColoursAndValuesBeyondClamp() {
        assertThat(DivergingMap.at(0)).isEqualTo(Color.WHITE);
        assertThat(DivergingMap.at(1)).isEqualTo(DivergingMap.POSITIVE);
        assertThat(DivergingMap.at(-3)).isEqualTo(DivergingMap.NEGATIVE);
        int[] px = DivergingMap.argb(new float[] {-0.02f, 0, 0.01f, 0.05f}, 1, 2, 2, 0.02);
        assertThat(px[0]).isEqualTo(0xFF000000 | DivergingMap.NEGATIVE.getRGB());
        assertThat(px[1]).isEqualTo(0xFFFFFFFF);
        assertThat(px[3]).isEqualTo(0xFF000000 | DivergingMap.POSITIVE.getRGB());
    }

    @Test
    void imagesBecomeOpaqueGreyOrRgbPixels() {
        assertThat(DivergingMap.imageArgb(new float[] {0, 1}, 1, 1, 2)).containsExactly(0xFF000000, 0xFFFFFFFF);
        assertThat(DivergingMap.imageArgb(new float[] {1, 0, 0}, 3, 1, 1)).containsExactly(0xFFFF0000);
    }
}
