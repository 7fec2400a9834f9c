package org.mrw.app.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.app.shell.ViewId;
import org.mrw.app.testing.WorkbenchFixture;
import org.mrw.core.analysis.Condition;
import org.mrw.core.analysis.FlippedSamples;
import org.mrw.core.data.Datasets;
import org.mrw.core.experiment.ExperimentRunner;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.core.figure.Curve;
import org.mrw.core.figure.CurveFigure;
import org.mrw.core.figure.RobustnessCurves;
import org.mrw.core.store.AdversarialFiles;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import org.mrw.core.zoo.ZooManifest;
import org.mrw.app.state.RunRef;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Results view on the example run (made once per build in target/example-run): curves for every
 * target, the success-rate toggle, a flip-matrix cell against a count made here from the rows, the
 * flipped table's target filter, and the inspector opened from a row.
 */
@ExtendWith(ApplicationExtension.class)
class ResultsViewTest {

    private WorkbenchFixture bench;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "results");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void exampleRunShowsCurvesMatrixFlipsAndInspector(FxRobot robot) throws Exception {
        ResultsView view = (ResultsView) bench.show(ViewId.RESULTS, 240);
        RunResults r = view.results();
        List<ResultRow> rows = r.rows();
        Set<String> targets = rows.stream().map(ResultRow::target).collect(Collectors.toSet());
        assertThat(targets).hasSize(7);

        // curves: one per target for the default attack, all seven drawn in the chart
        List<Curve> shown = view.curves().shownCurves();
        assertThat(shown).hasSize(7);
        assertThat(shown).allSatisfy(c -> assertThat(c.points().size()).isGreaterThanOrEqualTo(4));
        assertThat(seriesKeys(view.curves().chart())).hasSize(7)
                .allSatisfy(k -> assertThat(targets.stream().anyMatch(k::startsWith)).as(k).isTrue());
        assertThat(rangeLabel(view.curves().chart())).isEqualTo(RobustnessCurves.ACCURACY);
        bench.snapshot("results");

        robot.clickOn("#curves-success");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(rangeLabel(view.curves().chart())).isEqualTo(RobustnessCurves.SUCCESS_RATE);

        // flip matrix: a non-empty off-diagonal cell equals a count made independently from the rows
        WorkbenchFixture.fx(() -> {
            view.tabs().getSelectionModel().select(1);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        var matrix = view.matrix().matrix();
        Condition condition = matrix.condition();
        assertThat(condition.clean()).isFalse();
        int bi = -1;
        int bj = -1;
        for (int i = 0; i < matrix.size() && bi < 0; i++) {
            for (int j = 0; j < matrix.size(); j++) {
                if (i != j && matrix.count(i, j) > 0) {
                    bi = i;
                    bj = j;
                    break;
                }
            }
        }
        assertThat(bi).as("some target pair disagrees at the largest ε").isNotNegative();
        String a = matrix.targets().get(bi);
        String b = matrix.targets().get(bj);
        Map<Integer, Boolean> rightOnA = correctness(rows, a, condition);
        Map<Integer, Boolean> rightOnB = correctness(rows, b, condition);
        long expected = rightOnA.entrySet().stream().filter(e -> e.getValue() && Boolean.FALSE.equals(rightOnB.get(e.getKey()))).count();
        Label cell = robot.lookup("#flip-cell-" + bi + "-" + bj).queryAs(Label.class);
        assertThat(cell.getText()).isEqualTo(Long.toString(expected));
        assertThat(cell.getTooltip() == null ? view.matrix().tooltip(bi, bj) : cell.getTooltip().getText())
                .contains("McNemar").contains("p = ");
        robot.moveTo(cell);
        WaitForAsyncUtils.waitForFxEvents();
        bench.snapshot("results-matrix");

        // flipped table: filtering by a target narrows to images that flipped it
        WorkbenchFixture.fx(() -> {
            view.tabs().getSelectionModel().select(2);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        int all = view.flips().table().getItems().size();
        assertThat(all).isEqualTo(r.flipped().size()).isPositive();
        String narrowTo = r.targets().get(r.targets().size() - 1);
        WorkbenchFixture.fx(() -> {
            view.flips().setTarget(narrowTo);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        List<FlippedSamples.Sample> narrowed = List.copyOf(view.flips().table().getItems());
        assertThat(narrowed.size()).isPositive().isLessThan(all);
        assertThat(narrowed).allSatisfy(s -> assertThat(s.flippedOn(narrowTo)).isTrue());

        // selecting a row opens the inspector: three images and a prediction per target, float and 8-bit
        robot.clickOn(".table-row-cell");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.inspector().shown() != null);
        WaitForAsyncUtils.waitForFxEvents();
        InspectorPane.Inspection ins = view.inspector().shown();
        assertThat(ins.sample()).isEqualTo(view.flips().table().getSelectionModel().getSelectedItem());
        assertThat(ins.imagesError()).isNull();
        for (String id : List.of("#inspector-original", "#inspector-perturbation", "#inspector-adversarial")) {
            ImageView image = robot.lookup(id).queryAs(ImageView.class);
            assertThat(image.getImage()).as(id).isNotNull();
            assertThat(image.getImage().getWidth()).as("28 px zoomed by a whole number").isEqualTo(28 * 6);
        }
        assertThat(ins.floatJudgements().orElseThrow().judgements()).hasSize(7);
        assertThat(ins.roundedJudgements().orElseThrow().judgements()).hasSize(7);
        assertThat(ins.floatJudgements().orElseThrow().flippedOn(narrowTo)).isTrue();
        assertThat(robot.lookup(".inspector-target").queryAll()).hasSize(7);
        // the adversarial really differs from the original, within the condition's ε (plus rounding)
        double linf = 0;
        for (int i = 0; i < ins.images().original().length; i++) {
            linf = Math.max(linf, Math.abs(ins.images().adversarial()[i] - ins.images().original()[i]));
        }
        assertThat(linf).isPositive().isLessThanOrEqualTo(ins.sample().condition().epsilon() + 1e-5);
        Path png = bench.snapshot("results-inspector");
        assertThat(png).isNotEmptyFile();
    }

    private static Map<Integer, Boolean> correctness(List<ResultRow> rows, String target, Condition c) {
        return rows.stream().filter(x -> x.target().equals(target) && x.repetition() == 0 && x.source().equals(c.source())
                        && x.attack().equals(c.attack()) && x.epsilon() == c.epsilon() && x.rounded() == c.rounded())
                .collect(Collectors.toMap(ResultRow::sample, ResultRow::correct));
    }

    @Test
    void anUnboundedBoundaryRunIsDrawnOverTheL2Budget(@TempDir Path ws) throws Exception {
        String text = """
                name: budget
                seed: 1
                dataset: {count: 20, selection: first}
                batchSize: 20
                groups:
                  - {name: m, sources: [zoo:mobilenetv2_float_pt], targets: [zoo:mobilenetv2_float_pt, zoo:mobilenetv2_float_onnx]}
                attacks:
                  - {name: boundary, eps: [.inf], steps: 100, directions: 1}
                """;
        ExperimentSpec spec = ExperimentSpec.parse(text, "budget");
        String id;
        try (SqliteResultsStore store = SqliteResultsStore.open(ws)) {
            id = new ExperimentRunner(spec, text, new ModelResolver(Path.of(""), ZooManifest.defaultDir()), Datasets.fashionMnistTest())
                    .run(store, new AdversarialFiles(ws), ExperimentRunner.Options.fresh(), Progress.NONE, Cancellation.NONE).runId();
        }
        ResultsView view = (ResultsView) bench.show(ViewId.RESULTS, 240);
        WorkbenchFixture.fx(() -> {
            bench.state().runProperty().set(new RunRef(ws, id));
            return null;
        });
        // the curves over the budget are computed in the background, then drawn: one per target
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(WorkbenchFixture.fx(() -> view.results() != null && view.results().ref().runId().equals(id)
                && view.curves().overBudget() && view.curves().shownCurves().size() == 2)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(WorkbenchFixture.fx(() -> view.curves().overBudget())).isTrue();
        List<Curve> shown = WorkbenchFixture.fx(() -> view.curves().shownCurves());
        assertThat(shown).hasSize(2).allSatisfy(c -> {
            assertThat(c.points()).hasSize(CurveFigure.BUDGET_POINTS);
            // budget 0: the clean accuracy on the 20 images the sources got right; the end: the attack's
            assertThat(c.points().get(0).value()).isGreaterThan(c.points().get(c.points().size() - 1).value());
        });
        JFreeChart chart = WorkbenchFixture.fx(() -> view.curves().chart());
        XYPlot first = chart.getPlot() instanceof CombinedRangeXYPlot c ? c.getSubplots().get(0) : chart.getXYPlot();
        assertThat(first.getDomainAxis().getLabel()).isEqualTo(CurveFigure.BUDGET_AXIS);
        bench.snapshot("results-budget");
    }

    private static List<String> seriesKeys(JFreeChart chart) {
        List<XYPlot> plots = chart.getPlot() instanceof CombinedRangeXYPlot c ? c.getSubplots() : List.of(chart.getXYPlot());
        return plots.stream().flatMap(p -> java.util.stream.IntStream.range(0, p.getDataset().getSeriesCount())
                .mapToObj(i -> p.getDataset().getSeriesKey(i).toString())).toList();
    }

    private static String rangeLabel(JFreeChart chart) {
        return chart.getPlot() instanceof CombinedRangeXYPlot c ? c.getRangeAxis().getLabel() : chart.getXYPlot().getRangeAxis().getLabel();
    }
}
