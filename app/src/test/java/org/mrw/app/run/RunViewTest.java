package org.mrw.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mrw.app.shell.ViewId;
import org.mrw.app.testing.WorkbenchFixture;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.SqliteResultsStore;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Run view on a tiny spec (1 source, FGSM at 2 ε, 20 images, 2 targets) requested as the Experiment
 * view requests it: bars per target reach done, the curves fill in, the run becomes the shown run; a
 * paused-then-cancelled run resumes to the same rows without duplicates.
 */
@ExtendWith(ApplicationExtension.class)
class RunViewTest {

    private static final String SPEC = """
            name: %s
            seed: 3
            dataset: {count: 20, selection: first}
            batchSize: 5
            groups:
              - {name: resnet, sources: [zoo:resnet_float_pt], targets: [zoo:resnet_float_pt, zoo:resnet_int8_tflite]}
            attacks:
              - {name: fgsm, eps: [0.00784313725490196, 0.03137254901960784]}
            """;
    /** clean: 2 targets × 20; FGSM: 2 ε × 2 targets × 20. */
    private static final long ROWS = 2 * 20 + 2 * 2 * 20;
    /** Per target: 4 clean batches and 4 FGSM batches. */
    private static final int UNITS = 8;

    private WorkbenchFixture bench;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "run");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    private RunView requestRun(String name) throws Exception {
        return requestRun(name, false);
    }

    /** With {@code pauseAtOnce}, the run is paused in the same FX event that starts it (before any unit commits). */
    private RunView requestRun(String name, boolean pauseAtOnce) throws Exception {
        Path workspace = Files.createTempDirectory(Files.createDirectories(Path.of("target", "workspaces")), "run-").toAbsolutePath();
        RunView view = (RunView) bench.show(ViewId.RUN, 30);
        WorkbenchFixture.fx(() -> {
            bench.state().workspaceProperty().set(workspace);
            bench.state().runRequestProperty().set(SPEC.formatted(name));
            if (pauseAtOnce) {
                view.model().pause();
            }
            return null;
        });
        assertThat(WorkbenchFixture.fx(() -> bench.state().runRequestProperty().get())).as("the view takes the request").isNull();
        return view;
    }

    private static void waitForPhase(RunViewModel model, RunViewModel.Phase phase, int seconds) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WorkbenchFixture.fx(() -> model.phaseProperty().get() == phase
                || model.phaseProperty().get() == RunViewModel.Phase.FAILED));
        assertThat(WorkbenchFixture.fx(() -> model.phaseProperty().get())).as(WorkbenchFixture.fx(() -> model.statusProperty().get()))
                .isEqualTo(phase);
    }

    @Test
    void aRequestedRunFillsEveryTargetsBarDrawsTheCurvesAndBecomesTheShownRun() throws Exception {
        RunView view = requestRun("gui-tiny");
        RunViewModel model = view.model();
        List<String> statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        WorkbenchFixture.fx(() -> {
            model.statusProperty().addListener((o, a, b) -> statuses.add(b));
            return null;
        });
        waitForPhase(model, RunViewModel.Phase.FINISHED, 150);
        // the run's ETA leads the status line once units have run
        assertThat(List.copyOf(statuses)).anyMatch(s -> s.matches("ETA \\d+(\\.\\d)? (s|min|h|days) · .+"));
        List<TargetProgress> targets = WorkbenchFixture.fx(() -> List.copyOf(model.targets()));
        assertThat(targets).extracting(TargetProgress::target).containsExactly("resnet_float_pt", "resnet_int8_tflite");
        for (TargetProgress t : targets) {
            assertThat(t.total()).isEqualTo(UNITS);
            assertThat(t.done()).isEqualTo(UNITS);
            assertThat(t.progressProperty().get()).isEqualTo(1.0);
            assertThat(t.textProperty().get()).startsWith(UNITS + "/" + UNITS + " units").contains("img/s").endsWith("done");
        }
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WorkbenchFixture.fx(() -> model.curvesProperty().get().size() == 2));
        assertThat(WorkbenchFixture.fx(() -> model.chartProperty().get())).isNotNull();
        assertThat(model.curvesProperty().get()).allMatch(c -> c.points().size() == 3); // clean ε = 0 and the two ε
        assertThat(bench.state().runProperty().get()).isEqualTo(model.run());
        assertThat(WorkbenchFixture.fx(() -> List.copyOf(model.events()))).anyMatch(e -> e.contains("→ resnet_int8_tflite: fgsm ε 0.0078=2/255, 0.031=8/255 from resnet_float_pt"))
                .anyMatch(e -> e.contains("finished"));
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(model.run().workspace())) {
            assertThat(store.rowCount(model.run().runId())).isEqualTo(ROWS);
        }
        bench.snapshot("run");
    }

    @Test
    void aPausedRunCancelledThenResumedFinishesWithoutDuplicateRows(FxRobot robot) throws Exception {
        // paused as it starts (a warm JVM judges a unit faster than a click lands): the run holds after
        // its first committed unit
        RunView view = requestRun("gui-resume", true);
        RunViewModel model = view.model();
        waitForPhase(model, RunViewModel.Phase.PAUSED, 5);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> WorkbenchFixture.fx(() -> model.targets().stream()
                .mapToInt(TargetProgress::done).sum() == 1));
        Thread.sleep(1000); // held: nothing more commits while paused
        assertThat(WorkbenchFixture.fx(() -> model.targets().stream().mapToInt(TargetProgress::done).sum())).isEqualTo(1);
        robot.clickOn("#run-cancel");
        waitForPhase(model, RunViewModel.Phase.CANCELLED, 60);
        long kept;
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(model.run().workspace())) {
            kept = store.rowCount(model.run().runId());
            assertThat(store.run(model.run().runId()).orElseThrow().status()).isEqualTo("cancelled");
        }
        assertThat(kept).isPositive().isLessThan(ROWS);
        assertThat(bench.state().runProperty().get()).as("a cancelled run is not shown as a result").isNull();

        robot.clickOn("#run-resume");
        waitForPhase(model, RunViewModel.Phase.FINISHED, 150);
        List<TargetProgress> targets = WorkbenchFixture.fx(() -> List.copyOf(model.targets()));
        assertThat(targets).allMatch(t -> t.done() == UNITS);
        assertThat(WorkbenchFixture.fx(() -> List.copyOf(model.events()))).anyMatch(e -> e.contains("1 committed before (kept)"));
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(model.run().workspace())) {
            List<ResultRow> rows = store.rows(model.run().runId());
            assertThat(rows).hasSize((int) ROWS);
            Set<String> keys = new HashSet<>();
            for (ResultRow r : rows) {
                assertThat(keys.add(r.sample() + "|" + r.source() + "|" + r.attack() + "|" + r.epsilon() + "|" + r.rounded() + "|"
                        + r.target() + "|" + r.repetition())).as("duplicate row " + r).isTrue();
            }
        }
        assertThat(bench.state().runProperty().get()).isEqualTo(model.run());
    }
}
