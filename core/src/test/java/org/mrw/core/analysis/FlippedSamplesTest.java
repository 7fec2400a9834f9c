package org.mrw.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mrw.core.analysis.Rows.FLOAT;
import static org.mrw.core.analysis.Rows.INT8;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlippedSamplesTest {

    private static final Condition FGSM = new Condition(FLOAT, "fgsm", 0.1, false);

    @Test
    void samplesThatFlippedSomeTargetAgainstItsOwnCleanBaseline() {
        // float: clean right everywhere, FGSM right only on 0 → flips 1, 2, 3.
        // int8: clean wrong on 3, FGSM right on 0 and 3 → flips 1, 2; 3 is no flip (wrong when clean).
        List<FlippedSamples.Sample> all = FlippedSamples.of(MetricsTest.fourSamples());
        assertThat(all).extracting(FlippedSamples.Sample::sample).containsExactly(1, 2, 3);
        FlippedSamples.Sample three = all.get(2);
        assertThat(three.condition()).isEqualTo(FGSM);
        assertThat(three.judgements()).extracting(FlippedSamples.Judgement::target).containsExactly(FLOAT, INT8);
        assertThat(three.flippedOn(FLOAT)).isTrue();
        assertThat(three.flippedOn(INT8)).isFalse();
        assertThat(three.judgement(INT8).orElseThrow().cleanCorrect()).isFalse();
        assertThat(all.get(0).flips()).isEqualTo(2);
    }

    @Test
    void filtersNarrowByTargetClassAndCondition() {
        List<FlippedSamples.Sample> all = FlippedSamples.of(MetricsTest.fourSamples());
        assertThat(FlippedSamples.filter(all, new FlippedSamples.Filter(INT8, null, null)))
                .extracting(FlippedSamples.Sample::sample).containsExactly(1, 2);
        assertThat(FlippedSamples.filter(all, new FlippedSamples.Filter(null, 1, null))).isEmpty();
        assertThat(FlippedSamples.filter(all, new FlippedSamples.Filter(null, 0, FGSM))).hasSize(3);
        assertThat(FlippedSamples.filter(all, new FlippedSamples.Filter(null, null, new Condition(FLOAT, "fgsm", 0.2, false)))).isEmpty();
        assertThat(FlippedSamples.filter(all, FlippedSamples.Filter.any())).isEqualTo(all);
    }

    @Test
    void oneImageIsFoundWhetherOrNotItFlipped() {
        FlippedSamples.Sample zero = FlippedSamples.sample(MetricsTest.fourSamples(), 0, FGSM, 0).orElseThrow();
        assertThat(zero.flips()).isZero();
        assertThat(zero.judgement(FLOAT).orElseThrow().cleanCorrect()).isTrue();
        assertThat(FlippedSamples.sample(MetricsTest.fourSamples(), 0, FGSM, 1)).isEmpty();
    }
}
