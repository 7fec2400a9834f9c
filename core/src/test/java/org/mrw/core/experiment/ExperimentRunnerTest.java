package org.mrw.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.ResultsStore;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import org.mrw.core.testing.TestModels;

/** Experiments on the tiny committed models, stored in a real SQLite workspace. */
class ExperimentRunnerTest {

    private static final String SPEC = """
            name: tiny
            seed: 5
            dataset: {count: 40, selection: random, correctOnSources: true}
            round8: true
            batchSize: 20
            groups:
              - {name: tiny, sources: [tiny_cnn.pt], targets: [tiny_cnn.pt, tiny_cnn_int8.pt, tiny_cnn.onnx]}
            attacks:
              - {name: fgsm, eps: [0, 0.05]}
              - {name: pgd, eps: [0.05], steps: 3}
            """;
    /** clean: 3 targets × 40; attacks: (2 + 1) ε × (float + rounded) × 3 targets × 40. */
    private static final int ROWS = 3 * 40 + 3 * 2 * 3 * 40;

    private static final Dataset DATA = Datasets.fashionMnistTest();

    private static ExperimentRunner runner(String text) {
        ExperimentSpec spec = ExperimentSpec.parse(text, "tiny.yaml");
        Path models = TestModels.path("tiny_cnn.pt").getParent();
        return new ExperimentRunner(spec, text, new ModelResolver(models, models), DATA);
    }

    private static Set<String> rowSet(List<ResultRow> rows) {
        Set<String> out = new HashSet<>();
        for (ResultRow r : rows) {
            assertThat(out.add(r.toString())).as("duplicate row " + r).isTrue();
        }
        return out;
    }

    @Test
    void aRunStoresTheCleanBaselineAndEveryJudgementOnEveryTarget(@TempDir Path dir) {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            ExperimentRunner.Summary s = runner(SPEC).run(store, ExperimentRunner.Options.fresh(), Progress.NONE, Cancellation.NONE);
            assertThat(s.cancelled()).isFalse();
            assertThat(s.samples()).isEqualTo(40);
            assertThat(s.rows()).isEqualTo(ROWS);
            List<ResultRow> rows = store.rows(s.runId());
            assertThat(rows.stream().map(ResultRow::target).distinct()).containsExactlyInAnyOrder("tiny_cnn.pt", "tiny_cnn_int8.pt",
                    "tiny_cnn.onnx");
            // the study's rule: every selected image is right on every source, so the source's clean rows are all correct
            assertThat(rows.stream().filter(r -> r.attack().equals(ResultRow.CLEAN) && r.target().equals("tiny_cnn.pt")))
                    .hasSize(40).allMatch(ResultRow::correct);
            // adversarial rows carry their budget and norms; rounded ones sit on the 8-bit grid's effective ε
            assertThat(rows.stream().filter(r -> r.attack().equals("fgsm") && r.epsilon() == 0.05 && !r.rounded()))
                    .hasSize(120).allMatch(r -> r.linf() <= 0.05f + 1e-6f && r.l2() > 0);
            assertThat(rows.stream().filter(r -> r.attack().equals("fgsm") && r.epsilon() == 0.05 && r.rounded()))
                    .allMatch(r -> r.linf() <= 0.05f + 1 / 510f + 1e-6f);
            assertThat(rows.stream().filter(r -> r.attack().equals("pgd") && r.target().equals("tiny_cnn.pt") && !r.rounded())
                    .filter(r -> !r.correct()).count()).as("PGD fools the source").isGreaterThan(10);
            assertThat(store.run(s.runId()).orElseThrow().status()).isEqualTo("finished");
            // the spec and the versions of every engine are stored with the run
            assertThat(store.run(s.runId()).orElseThrow().spec()).isEqualTo(SPEC);
            assertThat(store.run(s.runId()).orElseThrow().versions()).containsKeys("PyTorch", "ONNX Runtime", "java");
        }
        try (Classifier source = Models.load(TestModels.path("tiny_cnn.pt"), null);
             SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            int[] samples = store.samples(store.runs().get(0).id());
            int[] predicted = source.predict(DATA.batch(samples));
            for (int i = 0; i < samples.length; i++) {
                assertThat(predicted[i]).isEqualTo(DATA.label(samples[i]));
            }
        }
    }

    @Test
    void aMinimisationAttacksUnboundedBudgetIsStoredAndItsAdversarialsKept(@TempDir Path dir) throws Exception {
        String spec = """
                name: unbounded
                seed: 3
                dataset: {count: 10, selection: first}
                batchSize: 10
                groups:
                  - {name: tiny, sources: [tiny_cnn.pt], targets: [tiny_cnn.pt, tiny_cnn.onnx]}
                attacks:
                  - {name: deepfool, eps: [.inf, 0.5], steps: 20}
                """;
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            ExperimentRunner.Summary s = runner(spec).run(store, new org.mrw.core.store.AdversarialFiles(dir),
                    ExperimentRunner.Options.fresh(), Progress.NONE, Cancellation.NONE);
            List<ResultRow> rows = store.rows(s.runId());
            assertThat(rows.stream().filter(r -> r.attack().equals("deepfool") && r.epsilon() == Double.POSITIVE_INFINITY))
                    .hasSize(2 * 10);
            assertThat(rows.stream().filter(r -> r.attack().equals("deepfool") && r.epsilon() == 0.5)).hasSize(2 * 10)
                    .allMatch(r -> r.l2() <= 0.5f + 1e-4f);
            try (var files = java.nio.file.Files.walk(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")))
                        .anyMatch(n -> n.contains("__epsinf__")).anyMatch(n -> n.contains("__eps0.5__"));
            }
        }
    }

    @Test
    void aCancelledRunResumesWithoutRecomputingOrDuplicatingAndEndsWithTheSameRows(@TempDir Path dir) {
        Set<String> reference;
        try (SqliteResultsStore store = SqliteResultsStore.open(dir.resolve("whole"))) {
            ExperimentRunner.Summary s = runner(SPEC).run(store, ExperimentRunner.Options.fresh(), Progress.NONE, Cancellation.NONE);
            reference = rowSet(store.rows(s.runId()));
        }
        Cancellation cancel = new Cancellation();
        // cancel as the eighth unit starts (done counts finished units; attacks add messages within a unit)
        Progress stopAfterSeven = (done, total, message) -> {
            if (!message.equals("done") && !message.startsWith("selecting") && done == 7) {
                cancel.cancel();
            }
        };
        Path ws = dir.resolve("interrupted");
        String runId;
        try (SqliteResultsStore store = SqliteResultsStore.open(ws)) {
            ExperimentRunner.Summary first = runner(SPEC).run(store, ExperimentRunner.Options.fresh(), stopAfterSeven, cancel);
            assertThat(first.cancelled()).isTrue();
            assertThat(first.unitsDone()).isEqualTo(7);
            assertThat(first.rows()).isBetween(1L, (long) ROWS - 1);
            runId = first.runId();
            assertThat(store.run(runId).orElseThrow().status()).isEqualTo("cancelled");
            assertThatThrownBy(() -> runner(SPEC).run(store, ExperimentRunner.Options.fresh(), Progress.NONE, Cancellation.NONE))
                    .hasMessageContaining("--resume");
        }
        try (SqliteResultsStore store = SqliteResultsStore.open(ws)) {
            List<String> statusWhileResuming = new java.util.ArrayList<>();
            Progress watch = (done, total, message) -> {
                if (statusWhileResuming.isEmpty()) {
                    statusWhileResuming.add(store.run(runId).orElseThrow().status());
                }
            };
            ExperimentRunner.Summary second = runner(SPEC).run(store, new ExperimentRunner.Options(true, 0, 1), watch,
                    Cancellation.NONE);
            assertThat(statusWhileResuming).containsExactly("running");
            assertThat(store.run(runId).orElseThrow().status()).isEqualTo("finished");
            assertThat(second.runId()).isEqualTo(runId);
            assertThat(second.unitsSkipped()).isEqualTo(7);
            assertThat(second.rows()).isEqualTo(ROWS);
            assertThat(rowSet(store.rows(runId))).isEqualTo(reference);
            java.time.Instant finishedAt = store.run(runId).orElseThrow().finished();
            ExperimentRunner.Summary third = runner(SPEC).run(store, new ExperimentRunner.Options(true, 0, 1), Progress.NONE,
                    Cancellation.NONE);
            assertThat(third.unitsDone()).isZero();
            assertThat(third.rows()).isEqualTo(ROWS);
            // nothing was left to run: the run keeps the end time of the work, not of this no-op resume
            assertThat(store.run(runId).orElseThrow().finished()).isNotNull().isEqualTo(finishedAt);
            assertThat(store.run(runId).orElseThrow().status()).isEqualTo("finished");
        }
    }

    @Test
    void theEtaIsMeasuredWhileTheRunGoesAndGoneWhenItEnds(@TempDir Path dir) {
        ExperimentRunner runner = runner(SPEC);
        List<java.util.OptionalDouble> seen = new java.util.ArrayList<>();
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            runner.run(store, ExperimentRunner.Options.fresh(), (done, total, message) -> seen.add(runner.secondsLeft()),
                    Cancellation.NONE);
        }
        assertThat(seen.get(0)).as("while selecting samples").isEmpty();
        assertThat(seen).as("some estimate once units have run").anyMatch(java.util.OptionalDouble::isPresent);
        assertThat(seen.stream().filter(java.util.OptionalDouble::isPresent).mapToDouble(java.util.OptionalDouble::getAsDouble))
                .allMatch(v -> v >= 0 && v < 3600);
        assertThat(seen.get(seen.size() - 2)).as("at the last unit's start").isPresent();
        assertThat(runner.secondsLeft()).isEmpty();
    }

    @Test
    void shardsMergeIntoTheSameRowsAsOneRun(@TempDir Path dir) {
        Set<String> reference;
        try (SqliteResultsStore store = SqliteResultsStore.open(dir.resolve("whole"))) {
            reference = rowSet(store.rows(runner(SPEC).run(store, ExperimentRunner.Options.fresh(), Progress.NONE,
                    Cancellation.NONE).runId()));
        }
        for (int i = 0; i < 2; i++) {
            try (SqliteResultsStore store = SqliteResultsStore.open(dir.resolve("shard" + i))) {
                ExperimentRunner.Summary s = runner(SPEC).run(store, new ExperimentRunner.Options(false, i, 2), Progress.NONE,
                        Cancellation.NONE);
                assertThat(s.rows()).isBetween(1L, (long) ROWS - 1);
            }
        }
        ResultsStore.merge(dir.resolve("merged"), List.of(dir.resolve("shard0"), dir.resolve("shard1")));
        try (SqliteResultsStore store = SqliteResultsStore.open(dir.resolve("merged"))) {
            assertThat(rowSet(store.rows(store.runs().get(0).id()))).isEqualTo(reference);
        }
    }

    @Test
    void aMissingModelIsNamedBeforeAnythingRuns(@TempDir Path dir) {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            assertThatThrownBy(() -> runner(SPEC.replace("tiny_cnn.onnx]", "nope.onnx]")).run(store,
                    ExperimentRunner.Options.fresh(), Progress.NONE, Cancellation.NONE))
                    .isInstanceOf(SpecException.class).hasMessageContaining("nope.onnx");
        }
    }
}
