package org.mrw.core.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AffineQuantizationTest {

    private final AffineQuantization unitInt8 = AffineQuantization.int8(1f / 255f, -128);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, -128",
        "1, 127",
        "0.25, -64",       // 63.75 steps round to 64
        "-0.1, -128",      // below the range saturates
        "1.7, 127",        // above the range saturates
        "1e30, 127",
        "-1e30, -128",
        "NaN, -128"})
    void int8QuantizationRoundsHalfAwayFromZeroAndSaturates(float real, int expected) {
        assertThat(unitInt8.quantize(real)).isEqualTo(expected);
    }

    @Test
    void roundingOfNegativeHalvesGoesAwayFromZeroLikeStdRound() {
        AffineQuantization q = AffineQuantization.int8(1f, 0);
        assertThat(q.quantize(-2.5f)).isEqualTo(-3);
        assertThat(q.quantize(2.5f)).isEqualTo(3);
        assertThat(q.quantize(-2.4f)).isEqualTo(-2);
    }

    @Test
    void uint8QuantizationSaturatesAtZeroAnd255() {
        AffineQuantization q = AffineQuantization.uint8(1f / 200f, 100);
        assertThat(q.quantize(0f)).isEqualTo(100);
        assertThat(q.quantize(1f)).isEqualTo(255);
        assertThat(q.quantize(-1f)).isEqualTo(0);
        assertThat(q.dequantize(255)).isCloseTo(0.775f, within(1e-6f));
    }

    @Test
    void dequantizationIsScaleTimesDistanceFromTheZeroPoint() {
        AffineQuantization q = AffineQuantization.int8(0.05f, -14);
        assertThat(q.dequantize(-14)).isZero();
        assertThat(q.dequantize(6)).isCloseTo(1.0f, within(1e-6f));
        assertThat(q.realMin()).isCloseTo(-5.7f, within(1e-5f));
        assertThat(q.realMax()).isCloseTo(7.05f, within(1e-5f));
    }

    @Test
    void rangeQuantizationIsWidenedToHoldZeroExactly() {
        AffineQuantization q = AffineQuantization.int8ForRange(2f, 5f);
        assertThat(q.zeroPoint()).isEqualTo(-128);
        assertThat(q.dequantize(q.quantize(0f))).isZero();
        assertThat(q.realMax()).isCloseTo(5f, within(1e-5f));

        AffineQuantization mixed = AffineQuantization.int8ForRange(-1f, 3f);
        assertThat(mixed.scale()).isCloseTo(4f / 255f, within(1e-7f));
        assertThat(mixed.dequantize(mixed.zeroPoint())).isZero();
        assertThat(mixed.realMin()).isCloseTo(-1f, within(mixed.scale()));
        assertThat(mixed.realMax()).isCloseTo(3f, within(mixed.scale()));
    }

    @Test
    void aConstantZeroRangeStillGetsAPositiveScale() {
        assertThat(AffineQuantization.int8ForRange(0f, 0f).scale()).isPositive();
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> AffineQuantization.int8(0f, 0)).hasMessageContaining("scale");
        assertThatThrownBy(() -> AffineQuantization.int8(1f, 200)).hasMessageContaining("zero point");
        assertThatThrownBy(() -> AffineQuantization.int8ForRange(1f, -1f)).hasMessageContaining("range");
    }
}
