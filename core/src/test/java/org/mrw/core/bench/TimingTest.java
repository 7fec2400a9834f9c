package org.mrw.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void medianOfOddAndEvenCountsLeavesTheInputAlone() {
        double[] odd = {3, 1, 2};
        assertThat(Timing.median(odd)).isEqualTo(2);
        assertThat(odd).containsExactly(3, 1, 2);
        assertThat(Timing.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void interleavedTasksAlternateRoundByRoundAfterTheWarmUp() {
        List<String> calls = new ArrayList<>();
        double[] medians = Timing.interleavedMedianSeconds(1, 3, () -> calls.add("a"), () -> calls.add("b"));
        assertThat(calls).containsExactly("a", "b", "a", "b", "a", "b", "a", "b");
        assertThat(medians).hasSize(2);
        assertThat(medians[0]).isNotNegative();
        assertThat(medians[1]).isNotNegative();
    }

    @Test
    void aSlowTaskHasTheLargerMedian() {
        double[] medians = Timing.interleavedMedianSeconds(0, 3, () -> { }, () -> sleep(20));
        assertThat(medians[1]).isGreaterThan(0.015).isGreaterThan(medians[0]);
        assertThatThrownBy(() -> Timing.interleavedMedianSeconds(0, 0, () -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
