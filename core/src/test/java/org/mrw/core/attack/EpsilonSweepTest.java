package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mrw.core.attack.EpsilonSweep.Spacing;

class EpsilonSweepTest {

    private static List<Double> levels(int... k) {
        return java.util.Arrays.stream(k).mapToObj(i -> i / 255.0).toList();
    }

    @Test
    void logSpacingFromOneToEightLevelsGivesTheExamplePresetsExactDoubles() {
        assertThat(EpsilonSweep.spaced(1 / 255.0, 8 / 255.0, 4, Spacing.LOG)).containsExactlyElementsOf(levels(1, 2, 4, 8));
        assertThat(EpsilonSweep.spaced(1 / 255.0, 8 / 255.0, 4, Spacing.LOG).get(3)).isEqualTo(0.03137254901960784);
    }

    @Test
    void linearSpacingIncludesBothEndsAndOneStepIsTheTopEnd() {
        assertThat(EpsilonSweep.spaced(0, 8 / 255.0, 5, Spacing.LINEAR)).containsExactlyElementsOf(levels(0, 2, 4, 6, 8));
        assertThat(EpsilonSweep.spaced(0.01, 0.03, 3, Spacing.LINEAR)).containsExactly(0.01, 0.02, 0.03);
        assertThat(EpsilonSweep.spaced(0.01, 0.03, 1, Spacing.LOG)).containsExactly(0.03);
    }

    @Test
    void badRangesAreRefusedInPlainWords() {
        assertThatThrownBy(() -> EpsilonSweep.spaced(0, 0.1, 4, Spacing.LOG)).hasMessageContaining("log spacing needs ε > 0");
        assertThatThrownBy(() -> EpsilonSweep.spaced(0.2, 0.1, 4, Spacing.LINEAR)).hasMessageContaining("must go up");
        assertThatThrownBy(() -> EpsilonSweep.spaced(0, 0.1, 0, Spacing.LINEAR)).hasMessageContaining("steps must be in 1..");
    }

    @Test
    void typedListsTakeFractionsDecimalsAndInfinity() {
        assertThat(EpsilonSweep.parse("1/255, 2/255, 0.03")).containsExactly(1 / 255.0, 2 / 255.0, 0.03);
        assertThat(EpsilonSweep.parse(" 0.005;.inf  3e-2 ")).containsExactly(0.005, Double.POSITIVE_INFINITY, 0.03);
        // a decimal typed to many digits that is a whole level becomes exactly that level
        assertThat(EpsilonSweep.parse("0.0313725490196078")).containsExactly(8 / 255.0);
        assertThat(EpsilonSweep.parse("  ")).isEmpty();
        assertThatThrownBy(() -> EpsilonSweep.parse("1/255, eight")).hasMessageContaining("'eight' is no number");
        assertThatThrownBy(() -> EpsilonSweep.parse("-0.1")).hasMessageContaining("'-0.1' is no budget");
    }

    @Test
    void everyEpsilonIsShownAsADecimalAndInLevels() {
        assertThat(EpsilonSweep.decimal(8 / 255.0)).isEqualTo("0.0314");
        assertThat(EpsilonSweep.levels(8 / 255.0)).isEqualTo("8/255");
        assertThat(EpsilonSweep.label(8 / 255.0)).isEqualTo("0.0314 (8/255)");
        assertThat(EpsilonSweep.label(0.005)).isEqualTo("0.005 (1.28/255)");
        assertThat(EpsilonSweep.label(0)).isEqualTo("0 (0/255)");
        assertThat(EpsilonSweep.decimal(Double.POSITIVE_INFINITY)).isEqualTo("∞");
    }

    @Test
    void roundingToEightBitsCapsTheLinfChangeAtTheNearestWholeLevel() {
        assertThat(EpsilonSweep.roundedLinf(8 / 255.0)).isEqualTo(8 / 255.0);
        assertThat(EpsilonSweep.roundedLinf(0.005)).isEqualTo(1 / 255.0);
        assertThat(EpsilonSweep.roundedLinf(0.4 / 255)).isZero();
        // the same as Perturbations.round8 does to a clean 8-bit pixel moved by ε
        float clean = 100 / 255f;
        float moved = Perturbations.round8(new float[] {(float) (clean + 0.005)})[0];
        assertThat((double) moved - clean).isCloseTo(EpsilonSweep.roundedLinf(0.005), org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void aListIsRecognisedAsTheRangeThatMakesIt() {
        assertThat(EpsilonSweep.asRange(levels(1, 2, 4, 8))).contains(new EpsilonSweep.Range(1 / 255.0, 8 / 255.0, 4, Spacing.LOG));
        assertThat(EpsilonSweep.asRange(levels(0, 2, 4, 6, 8))).contains(new EpsilonSweep.Range(0, 8 / 255.0, 5, Spacing.LINEAR));
        assertThat(EpsilonSweep.asRange(List.of(0.005))).contains(new EpsilonSweep.Range(0.005, 0.005, 1, Spacing.LINEAR));
        assertThat(EpsilonSweep.asRange(List.of(0.01, 0.015, 0.03))).isEmpty();
        assertThat(EpsilonSweep.asRange(List.of(Double.POSITIVE_INFINITY))).isEmpty();
    }

    @Test
    void aFormattedListParsesBackToTheSameValues() {
        List<Double> values = List.of(0.0, 1 / 255.0, 0.005, 0.03, 0.1234567891234, Double.POSITIVE_INFINITY);
        assertThat(EpsilonSweep.format(values)).isEqualTo("0, 1/255, 0.005, 0.03, 0.1234567891234, .inf");
        assertThat(EpsilonSweep.parse(EpsilonSweep.format(values))).containsExactlyElementsOf(values);
    }
}
