package org.mrw.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OneDnnCheckTest {

    @Test
    void libtorchMatchesThePlainJavaLayersAtTheTestsInstructionSet() {
        OneDnnCheck.Result result = OneDnnCheck.run();

        assertThat(result.failures()).isEmpty();
        assertThat(result.passed()).isTrue();
    }

    @Test
    void theComparisonCatchesWhatWentWrongBefore() {
        OneDnnCheck.Case c = OneDnnCheck.CASES.get(1);
        OneDnnCheck.Layers layers = OneDnnCheck.Layers.random(c, new SplittableRandom(1));
        float[] x = new float[c.batch() * c.channels() * c.size() * c.size()];
        new SplittableRandom(2).doubles(x.length).forEach(new java.util.function.DoubleConsumer() {
            int i;

            @Override
            public void accept(double v) {
                x[i++] = (float) v;
            }
        });
        OneDnnCheck.Reference good = layers.reference(x);
        assertThat(OneDnnCheck.compare(c, good, good, good)).isNull();

        float[] nan = good.gradient().clone();
        nan[17] = Float.NaN;
        assertThat(OneDnnCheck.compare(c, good, new OneDnnCheck.Reference(good.output(), nan), good)).contains("NaN");

        float[] drift = good.gradient().clone();
        drift[3] += 0.01f;
        OneDnnCheck.Reference drifted = new OneDnnCheck.Reference(good.output(), drift);
        assertThat(OneDnnCheck.compare(c, good, good, drifted)).contains("two identical calls differ");
        assertThat(OneDnnCheck.compare(c, good, drifted, drifted)).contains("input gradient off");

        float[] pooled = good.output().clone();
        pooled[0] += 0.5f;
        OneDnnCheck.Reference wrongPool = new OneDnnCheck.Reference(pooled, good.gradient());
        assertThat(OneDnnCheck.compare(c, good, wrongPool, wrongPool)).contains("output off");
    }
}
