package org.mrw.core.figure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    @Test
    void sizeKeepsImagesSquareAndPerturbationScaleIsTheLargestChange() {
        ImageGrid grid = SampleFigures.grid(1);
        FigureSize size = grid.size(FigureSize.SINGLE_COLUMN.width());
        assertThat(size.width()).isEqualTo(252);
        assertThat(size.height()).isGreaterThan(3 * (252 - 16) / 3.0); // three rows of square images at least
        assertThat(grid.maxPerturbation()).isCloseTo(8 / 255.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void flippedPredictionIsCaptionedInTheFlipColour() {
        ImageGrid grid = SampleFigures.grid(3);
        BufferedImage img = FigureExport.render(grid, grid.size(252), 150);
        boolean flipRed = false;
        for (int y = 0; y < img.getHeight() && !flipRed; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (FigureStyle.FLIP.getRGB() & 0xFFFFFF)) {
                    flipRed = true;
                    break;
                }
            }
        }
        assertThat(flipRed).isTrue();
    }

    @Test
    void rejectsImagesOfTheWrongShape() {
        ImageGrid.Row row = new ImageGrid.Row(new float[10], new float[10], "a", "b");
        assertThatThrownBy(() -> new ImageGrid(List.of(row), 1, 28, 28, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1×28×28");
    }
}
