package org.mrw.app.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.FlowPane;
import javafx.stage.Stage;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.control.RangeSlider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mrw.app.shell.ViewId;
import org.mrw.app.testing.WorkbenchFixture;
import org.mrw.core.attack.EpsilonSweep;
import org.mrw.core.experiment.ExperimentSpec;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Experiment form on the example spec: attacks, the ε sweep, save/load, a bad file, Run. */
@ExtendWith(ApplicationExtension.class)
class ExperimentViewTest {

    private WorkbenchFixture bench;
    private ExperimentView view;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "experiment");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    private void open() throws Exception {
        view = (ExperimentView) bench.show(ViewId.EXPERIMENT, 30);
    }

    private ExperimentSpec spec() {
        return ExperimentSpec.parse(bench.state().specTextProperty().get(), "test");
    }

    private static List<Double> levels(int... k) {
        return java.util.Arrays.stream(k).mapToObj(i -> i / 255.0).toList();
    }

    private List<String> chipTexts(FxRobot robot) {
        FlowPane chips = robot.lookup("#eps-chips").queryAs(FlowPane.class);
        return chips.getChildren().stream().map(chip -> ((javafx.scene.layout.HBox) chip).getChildren().stream()
                .map(n -> ((Label) n).getText()).reduce((a, b) -> a + " " + b).orElse("")).toList();
    }

    @Test
    void opensOnTheExampleSpecWithFgsmAndBimAndFourChipsShowingBothForms(FxRobot robot) throws Exception {
        open();
        assertThat(robot.lookup("#attack-fgsm").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#attack-bim").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#attack-square").queryAs(ToggleButton.class).isSelected()).isFalse();
        assertThat(robot.lookup("#sheet-bim").tryQuery()).isPresent();
        assertThat(chipTexts(robot)).containsExactly("0.00392 1/255", "0.00784 2/255", "0.0157 4/255", "0.0314 8/255");
        RangeSlider range = robot.lookup("#eps-range").queryAs(RangeSlider.class);
        assertThat(range.getLowValue()).isEqualTo(1);
        assertThat(range.getHighValue()).isEqualTo(8);
        assertThat(robot.lookup("#eps-spacing").queryAs(ChoiceBox.class).getValue()).isEqualTo(EpsilonSweep.Spacing.LOG);
        // opening the form does not rewrite the preset (its comments stay)
        assertThat(bench.state().specTextProperty().get()).startsWith("# A small finished run");
        assertThat(robot.lookup("#validation").queryAs(Label.class).getText()).startsWith("✓ Ready to run: 100 images, 2 attack(s), 4 ε");
        assertThat(robot.lookup("#estimate-time").queryAs(Label.class).getText()).startsWith("≈ ").contains("on this computer");
        assertThat(bench.snapshot("experiment")).isNotEmptyFile();
    }

    @Test
    void movingTheRangeAndStepsRewritesTheSpecsBudgets(FxRobot robot) throws Exception {
        open();
        RangeSlider range = robot.lookup("#eps-range").queryAs(RangeSlider.class);
        WorkbenchFixture.fx(() -> {
            range.setHighValue(16);
            range.setLowValue(2);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec().attacks()).allSatisfy(a -> assertThat(a.eps()).containsExactlyElementsOf(levels(2, 4, 8, 16)));

        @SuppressWarnings("unchecked")
        Spinner<Integer> steps = robot.lookup("#eps-steps").queryAs(Spinner.class);
        @SuppressWarnings("unchecked")
        ChoiceBox<EpsilonSweep.Spacing> spacing = robot.lookup("#eps-spacing").queryAs(ChoiceBox.class);
        WorkbenchFixture.fx(() -> {
            range.setLowValue(0);
            spacing.setValue(EpsilonSweep.Spacing.LINEAR);
            steps.getValueFactory().setValue(9);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec().attacks().get(1).eps()).containsExactlyElementsOf(levels(0, 2, 4, 6, 8, 10, 12, 14, 16));
        assertThat(chipTexts(robot)).hasSize(9).contains("0.0627 16/255");

        // log spacing cannot start at 0: the form says so and keeps the last good spec
        WorkbenchFixture.fx(() -> {
            spacing.setValue(EpsilonSweep.Spacing.LOG);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#validation").queryAs(Label.class).getText()).contains("log spacing needs ε > 0");
        assertThat(spec().attacks().get(1).eps()).hasSize(9);

        // a typed list, with a budget between levels: the chip and the note show the effective ε after rounding
        robot.clickOn("#eps-mode-list");
        robot.doubleClickOn("#eps-list");
        WorkbenchFixture.fx(() -> {
            robot.lookup("#eps-list").queryAs(javafx.scene.control.TextField.class).setText("1/255, 0.005, 4/255, 0.03");
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec().attacks().get(0).eps()).containsExactly(1 / 255.0, 0.005, 4 / 255.0, 0.03);
        assertThat(chipTexts(robot)).contains("0.005 1.28/255 → 1/255 rounded", "0.03 7.65/255 → 8/255 rounded");
        assertThat(robot.lookup("#eps-note").queryAs(Label.class).getText()).contains("0.005 (1.28/255) → 0.00392 (1/255)");
        Node eps = robot.lookup("#eps-chips").queryAs(Node.class).getParent();
        WorkbenchFixture.fx(() -> {
            ScrollPane scroll = (ScrollPane) view.root().lookup(".experiment-scroll");
            scroll.setVvalue(eps.getBoundsInParent().getMinY() / (scroll.getContent().getBoundsInLocal().getHeight()
                    - scroll.getViewportBounds().getHeight()));
            return null;
        });
        assertThat(bench.snapshot("experiment-eps")).isNotEmptyFile();
    }

    @Test
    void tickingAnAttackAddsItToTheYamlWithItsPropertySheet(FxRobot robot) throws Exception {
        open();
        robot.clickOn("#attack-square");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec().attacks()).extracting(ExperimentSpec.AttackSpec::name).containsExactly("fgsm", "bim", "square");
        assertThat(spec().attacks().get(2).eps()).containsExactlyElementsOf(levels(1, 2, 4, 8));
        PropertySheet sheet = robot.lookup("#sheet-square").queryAs(PropertySheet.class);
        assertThat(sheet.getItems()).extracting(PropertySheet.Item::getName).contains("steps", "own ε", "label");
        // the sheet writes the setting into the spec
        WorkbenchFixture.fx(() -> {
            sheet.getItems().stream().filter(i -> i.getName().equals("steps")).findFirst().orElseThrow().setValue(200);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec().attacks().get(2).steps()).isEqualTo(200);
        assertThat(robot.lookup("#estimate").queryAs(Node.class).lookupAll(".label").stream()
                .map(n -> ((Label) n).getText()).toList()).contains("at most 801 queries");
        robot.clickOn("#attack-fgsm");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec().attacks()).extracting(ExperimentSpec.AttackSpec::name).containsExactly("bim", "square");
        // Boundary's sheet offers the start; choosing data writes start: data
        robot.clickOn("#attack-boundary");
        WaitForAsyncUtils.waitForFxEvents();
        PropertySheet boundary = robot.lookup("#sheet-boundary").queryAs(PropertySheet.class);
        assertThat(boundary.getItems()).extracting(PropertySheet.Item::getName).contains("steps", "directions", "start");
        WorkbenchFixture.fx(() -> {
            boundary.getItems().stream().filter(i -> i.getName().equals("start")).findFirst().orElseThrow()
                    .setValue(org.mrw.core.attack.DecisionStart.DATA);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec().attacks().stream().filter(a -> a.name().equals("boundary")).findFirst().orElseThrow().start())
                .isEqualTo("data");
        WorkbenchFixture.snapshot(boundary, "experiment-boundary-sheet");
    }

    @Test
    void aSavedSpecLoadsBackIntoTheSameFormAndABadFileKeepsTheForm(FxRobot robot) throws Exception {
        open();
        robot.clickOn("#attack-deepfool");
        WaitForAsyncUtils.waitForFxEvents();
        ExperimentSpec saved = spec();
        Path file = Path.of("target", "experiment-test", "saved.yaml").toAbsolutePath();
        Files.deleteIfExists(file);
        view.save(file).get(30, TimeUnit.SECONDS);
        assertThat(ExperimentSpec.read(file)).isEqualTo(saved);

        robot.clickOn("#attack-deepfool");
        robot.clickOn("#attack-bim");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec()).isNotEqualTo(saved);
        assertThat(WorkbenchFixture.fx(() -> view.load(file)).get(30, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spec()).isEqualTo(saved);
        assertThat(robot.lookup("#attack-bim").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#attack-deepfool").queryAs(ToggleButton.class).isSelected()).isTrue();

        Path bad = file.resolveSibling("bad.yaml");
        Files.writeString(bad, "name: paper\ngroups: []\nattacks:\n  - {name: fgsm, eps: [0.01]}\n");
        String before = bench.state().specTextProperty().get();
        assertThat(WorkbenchFixture.fx(() -> view.load(bad)).get(30, TimeUnit.SECONDS)).isFalse();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#validation").queryAs(Label.class).getText())
                .contains("Could not use bad.yaml").contains("give at least one group").contains("still shows the previous spec");
        assertThat(bench.state().specTextProperty().get()).isEqualTo(before);
        assertThat(robot.lookup("#attack-deepfool").queryAs(ToggleButton.class).isSelected()).isTrue();
    }

    @Test
    void runHandsTheSpecToTheRunView(FxRobot robot) throws Exception {
        open();
        robot.clickOn("#attack-pgd");
        WaitForAsyncUtils.waitForFxEvents();
        // the Run view takes the request at once (and clears it), so catch it as it is handed over
        java.util.concurrent.atomic.AtomicReference<String> handed = new java.util.concurrent.atomic.AtomicReference<>();
        WorkbenchFixture.fx(() -> {
            bench.state().runRequestProperty().addListener((o, a, b) -> {
                if (b != null) {
                    handed.compareAndSet(null, b);
                }
            });
            return null;
        });
        robot.clickOn("#run-spec");
        WaitForAsyncUtils.waitForFxEvents();
        String request = handed.get();
        assertThat(request).isEqualTo(bench.state().specTextProperty().get());
        assertThat(ExperimentSpec.parse(request, "run").attacks()).extracting(ExperimentSpec.AttackSpec::name).contains("pgd");
        assertThat(bench.workbench().current()).isEqualTo(ViewId.RUN);
        org.mrw.app.run.RunView run = (org.mrw.app.run.RunView) bench.workbench().view(ViewId.RUN);
        assertThat(run.model().current()).as("the Run view started the handed spec").isNotNull();
        WorkbenchFixture.fx(() -> {
            run.model().cancel();
            return null;
        });
        try {
            run.model().current().get(120, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException stopped) {
            // a cancelled run may end either way; what matters is that it stopped
        }
    }
}
