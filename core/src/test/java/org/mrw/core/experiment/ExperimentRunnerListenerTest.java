package org.mrw.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Datasets;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import org.mrw.core.testing.TestModels;

/** The runner's listener: a plan per target up front, then one event per committed unit × target. */
class ExperimentRunnerListenerTest {

    private static final String SPEC = """
            name: heard
            seed: 5
            dataset: {count: 30, selection: first}
            round8: true
            batchSize: 10
            groups:
              - {name: tiny, sources: [tiny_cnn.pt], targets: [tiny_cnn.pt, tiny_cnn.onnx]}
            attacks:
              - {name: fgsm, eps: [0.02, 0.05]}
            """;

    /** Records what it hears; cancels the run after {@code cancelAfter} commits (0: never). */
    private static final class Recorder implements ExperimentRunner.Listener {
        final List<Map<String, ExperimentRunner.TargetPlan>> plans = new ArrayList<>();
        final List<ExperimentRunner.Commit> commits = new ArrayList<>();
        final Cancellation cancellation = new Cancellation();
        final int cancelAfter;

        Recorder(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void planned(Map<String, ExperimentRunner.TargetPlan> targets) {
            plans.add(targets);
        }

        @Override
        public void committed(ExperimentRunner.Commit commit) {
            commits.add(commit);
            if (commits.size() == cancelAfter) {
                cancellation.cancel();
            }
        }
    }

    private static ExperimentRunner runner(Recorder r) {
        Path models = TestModels.path("tiny_cnn.pt").getParent();
        return new ExperimentRunner(ExperimentSpec.parse(SPEC, "heard.yaml"), SPEC, new ModelResolver(models, models),
                Datasets.fashionMnistTest()).listener(r);
    }

    @Test
    void everyCommittedUnitIsHeardOncePerTargetWithItsRowsAndThePlanCountsThem(@TempDir Path dir) {
        Recorder r = new Recorder(0);
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            ExperimentRunner.Summary s = runner(r).run(store, ExperimentRunner.Options.fresh(), Progress.NONE, r.cancellation);
            assertThat(r.plans).hasSize(1);
            // per target: 3 clean batches + 3 FGSM batches
            assertThat(r.plans.get(0)).containsOnlyKeys("tiny_cnn.pt", "tiny_cnn.onnx");
            assertThat(r.plans.get(0).values()).allMatch(p -> p.units() == 6 && p.alreadyDone() == 0);
            assertThat(r.commits).hasSize(12);
            assertThat(r.commits.stream().mapToLong(ExperimentRunner.Commit::rows).sum()).isEqualTo(s.rows());
            ExperimentRunner.Commit fgsm = r.commits.stream().filter(c -> !c.clean()).findFirst().orElseThrow();
            assertThat(fgsm.attack()).isEqualTo("fgsm");
            assertThat(fgsm.epsilons()).containsExactly(0.02, 0.05);
            assertThat(fgsm.images()).isEqualTo(10);
            assertThat(fgsm.rows()).as("10 images × 2 ε × float and rounded").isEqualTo(40);
            assertThat(r.commits.stream().filter(ExperimentRunner.Commit::clean)).allMatch(c -> c.rows() == 10
                    && c.attack().equals(ResultRow.CLEAN) && c.epsilons().isEmpty());
        }
    }

    @Test
    void aResumedRunPlansWhatWasCommittedAndHearsOnlyTheRest(@TempDir Path dir) {
        Recorder first = new Recorder(5);
        Recorder second = new Recorder(0);
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            ExperimentRunner.Summary cancelled = runner(first).run(store, ExperimentRunner.Options.fresh(), Progress.NONE,
                    first.cancellation);
            assertThat(cancelled.cancelled()).isTrue();
            assertThat(first.commits).hasSize(5);
            ExperimentRunner.Summary resumed = runner(second).run(store, new ExperimentRunner.Options(true, 0, 1), Progress.NONE,
                    second.cancellation);
            assertThat(resumed.cancelled()).isFalse();
            int before = second.plans.get(0).values().stream().mapToInt(ExperimentRunner.TargetPlan::alreadyDone).sum();
            assertThat(before).isEqualTo(5);
            assertThat(second.commits).hasSize(12 - 5);
            assertThat(first.commits.stream().mapToLong(ExperimentRunner.Commit::rows).sum()
                    + second.commits.stream().mapToLong(ExperimentRunner.Commit::rows).sum()).isEqualTo(resumed.rows());
        }
    }
}
