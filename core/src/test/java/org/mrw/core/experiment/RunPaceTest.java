package org.mrw.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RunPaceTest {

    private static final long S = 1_000_000_000L;

    @Test
    void nothingIsPromisedBeforeAnyWorkIsMeasured() {
        RunPace pace = new RunPace(new double[] {1, 1}, new double[] {0, 0});
        assertThat(pace.secondsLeft(10 * S)).isEmpty();
        pace.start(0, 10 * S);
        assertThat(pace.secondsLeft(12 * S)).isEmpty();
    }

    @Test
    void aCheapUnitDoneDoesNotPromiseSecondsForAnExpensiveOne() {
        // a one-second FGSM batch, then a Boundary batch estimated 100 times its work
        RunPace pace = new RunPace(new double[] {1, 100}, new double[] {0.5, 0.99});
        pace.start(0, 0);
        pace.finish(0, 2 * S);
        assertThat(pace.secondsLeft(2 * S).getAsDouble()).isCloseTo(200, within(1e-9));
    }

    @Test
    void unitsCommittedByAnEarlierProcessCostNothingNow() {
        // a resume: the first two units are skipped, so the pace comes from this process's unit alone
        RunPace pace = new RunPace(new double[] {50, 50, 10, 10}, new double[] {0, 0, 0, 0});
        pace.skip(0);
        pace.skip(1);
        pace.start(2, 100 * S);
        pace.finish(2, 104 * S);
        assertThat(pace.secondsLeft(105 * S).getAsDouble()).isCloseTo(5, within(1e-9));
    }

    @Test
    void theRunningUnitCountsByItsAttacksSteps() {
        // weight 10, of which the attack is 8: half its steps are 4 units of work done in 4 s
        RunPace pace = new RunPace(new double[] {10, 10}, new double[] {0.8, 0.8});
        pace.start(0, 0);
        pace.attackStep(2500, 5000);
        assertThat(pace.secondsLeft(4 * S).getAsDouble()).isCloseTo(16, within(1e-9));
        pace.attackStep(9000, 5000); // a step count past the total is clamped
        assertThat(pace.secondsLeft(8 * S).getAsDouble()).isCloseTo(12 * 8 / 8.0, within(1e-9));
        pace.finish(0, 10 * S);
        assertThat(pace.secondsLeft(10 * S).getAsDouble()).isCloseTo(10, within(1e-9));
        pace.start(1, 10 * S);
        pace.finish(1, 20 * S);
        assertThat(pace.secondsLeft(20 * S).getAsDouble()).isZero();
    }

    @Test
    void eachKindOfUnitIsTimedAtItsOwnPaceOnceMeasured() {
        // three FGSM batches that take 10 s each although estimated at 1 s (model loading, judging), then
        // Boundary batches from two sources; the first runs at its estimate
        String[] kinds = {"fgsm on a", "fgsm on a", "fgsm on a", "boundary on a", "boundary on a", "boundary on b"};
        String[] families = {"fgsm", "fgsm", "fgsm", "boundary", "boundary", "boundary"};
        RunPace pace = new RunPace(new double[] {1, 1, 1, 100, 100, 100}, new double[] {0.5, 0.5, 0.5, 0.99, 0.99, 0.99},
                kinds, families);
        for (int u = 0; u < 3; u++) {
            pace.start(u, u * 10 * S);
            pace.finish(u, (u + 1) * 10 * S);
        }
        pace.start(3, 30 * S);
        pace.attackStep(2500, 5000); // 49.5 of its 100 done in 50 s
        double boundary = 50 / 49.5;
        // "boundary on b" has no time of its own yet: it takes the Boundary family's pace, not the FGSM-laden run's
        assertThat(pace.secondsLeft(80 * S).getAsDouble()).isCloseTo((300 - 49.5) * boundary, within(1e-9));
        // a kind measured for less than MEASURED_SECONDS falls back to the run's pace: 3 s for 1.485 work done
        RunPace early = new RunPace(new double[] {100, 100}, new double[] {0.99, 0.99}, new String[] {"b", "b"},
                new String[] {"boundary", "boundary"});
        early.start(0, 0);
        early.attackStep(75, 5000);
        assertThat(early.secondsLeft(3 * S).getAsDouble()).isCloseTo((200 - 1.485) * 3 / 1.485, within(1e-9));
    }

    @Test
    void weightsMustBeWork() {
        assertThatThrownBy(() -> new RunPace(new double[] {1, 0}, new double[] {0, 0}))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> new RunPace(new double[] {1, Double.NaN}, new double[] {0, 0}))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> new RunPace(new double[] {1}, new double[] {0, 0}))
                .hasMessageContaining("one weight");
        assertThatThrownBy(() -> new RunPace(new double[] {1}, new double[] {0}, new String[] {"a", "b"}, new String[] {"f"}))
                .hasMessageContaining("one weight");
    }
}
