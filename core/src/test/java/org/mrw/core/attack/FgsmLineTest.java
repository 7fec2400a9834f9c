package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Prediction;

/** One gradient serves every ε of the demo's slider; verdicts carry the softmax confidence. */
class FgsmLineTest {

    @Test
    void everyEpsilonMovesEachPixelByEpsilonAlongTheGradientSignWithinZeroOne() {
        ImageBatch clean = new ImageBatch(new float[] {0.5f, 0.0f, 1.0f, 0.98f}, new int[] {1}, 1, 2, 2);
        FgsmLine line = FgsmLine.of(clean, new float[] {2f, -1f, 3f, 0.5f});
        assertThat(line.at(0).pixels()).containsExactly(clean.pixels());
        float[] x = line.at(0.04).pixels();
        assertThat(x[0]).isCloseTo(0.54f, within(1e-6f));
        assertThat(x[1]).isEqualTo(0f); // clipped at 0
        assertThat(x[2]).isEqualTo(1f); // clipped at 1
        assertThat(x[3]).isEqualTo(1f);
        assertThat(line.at(0.02).pixels()[0]).isCloseTo(0.52f, within(1e-6f));
        assertThat(clean.pixels()[0]).as("the clean batch is untouched").isEqualTo(0.5f);
    }

    @Test
    void predictionIsTheArgMaxWithItsSoftmaxProbability() {
        List<Prediction> p = Prediction.of(new float[] {0f, 0f, 1000f, 1f, 3f, 2f}, 2, 3);
        assertThat(p.get(0).label()).isEqualTo(2);
        assertThat(p.get(0).confidence()).isCloseTo(1f, within(1e-6f));
        assertThat(p.get(1).label()).isEqualTo(1);
        double expected = Math.exp(3) / (Math.exp(1) + Math.exp(3) + Math.exp(2));
        assertThat((double) p.get(1).confidence()).isCloseTo(expected, within(1e-6));
    }
}
