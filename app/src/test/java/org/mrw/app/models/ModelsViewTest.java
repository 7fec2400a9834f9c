package org.mrw.app.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.ModelEntry;
import org.mrw.app.testing.WorkbenchFixture;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Models view on the bundled zoo: rows, opening files (good and bad), test load, clean accuracy, descriptor edits. */
@ExtendWith(ApplicationExtension.class)
class ModelsViewTest {

    private WorkbenchFixture bench;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "models");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    private ModelsView view() throws Exception {
        return (ModelsView) bench.show(ViewId.MODELS, 30);
    }

    @SuppressWarnings("unchecked")
    private static TableView<ModelEntry> table(FxRobot robot) {
        return robot.lookup(".models-view .table-view").queryAs(TableView.class);
    }

    private static ModelEntry entry(ModelsView view, String id) {
        return view.viewModel().models().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    private static void select(FxRobot robot, ModelEntry m) throws Exception {
        WorkbenchFixture.fx(() -> {
            table(robot).getSelectionModel().clearSelection();
            table(robot).getSelectionModel().select(m);
            table(robot).scrollTo(m);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void zooRowsShowEveryModelWithItsFrameworkBadgeAndVariant(FxRobot robot) throws Exception {
        ModelsView view = view();
        TableView<ModelEntry> table = table(robot);
        assertThat(table.getItems()).hasSize(24);
        assertThat(table.getItems().stream().map(ModelEntry::framework).distinct()).containsExactlyInAnyOrder("PyTorch", "TensorFlow", "ONNX");
        ModelEntry int8Tflite = entry(view, "resnet_int8_tflite");
        assertThat(int8Tflite.framework()).isEqualTo("TensorFlow");
        assertThat(int8Tflite.runtime()).isEqualTo("TensorFlow Lite");
        assertThat(int8Tflite.variantName()).isEqualTo("int8");
        assertThat(entry(view, "inception_float_ptl").runtime()).isEqualTo("PyTorch Mobile");
        assertThat(table.getItems().stream().filter(ModelEntry::int8).count()).isEqualTo(9); // pt, ptl, tflite × 3 architectures

        // the rendered rows carry the colour badges: framework by colour, int8 outlined
        Set<Node> pytorch = robot.lookup(".badge-pytorch").queryAll();
        Set<Node> tensorflow = robot.lookup(".badge-tensorflow").queryAll();
        Set<Node> int8 = robot.lookup(".badge-int8").queryAll();
        assertThat(pytorch).isNotEmpty().allMatch(n -> ((Label) n).getText().equals("PyTorch"));
        assertThat(tensorflow).isNotEmpty().allMatch(n -> ((Label) n).getText().equals("TensorFlow"));
        assertThat(int8).isNotEmpty().allMatch(n -> ((Label) n).getText().equals("int8"));

        // the filter narrows by every word
        robot.clickOn(".models-view .text-field").write("resnet int8");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems()).extracting(ModelEntry::id).containsExactlyInAnyOrder("resnet_int8_pt", "resnet_int8_ptl", "resnet_int8_tflite");
        WorkbenchFixture.fx(() -> {
            view.viewModel().filterProperty().set("");
            return null;
        });
        assertThat(table.getItems()).hasSize(24);
    }

    @Test
    void openingFilesAddsGoodOnesAndSaysWhatIsWrongWithBadOnes(FxRobot robot) throws Exception {
        ModelsView view = view();
        Path dir = Files.createDirectories(Path.of("target", "models-view-test").toAbsolutePath());
        Path good = dir.resolve("my_mobilenet.tflite");
        Files.copy(entry(view, "mobilenetv2_float_tflite").file(), good, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path bad = dir.resolve("notes.txt");
        Files.writeString(bad, "not a model");

        // the path a drop takes
        ModelsViewModel.Opened opened = WorkbenchFixture.fx(() -> view.open(List.of(bad, good)));
        assertThat(opened.models()).extracting(ModelEntry::id).containsExactly("my_mobilenet.tflite");
        assertThat(opened.errors()).singleElement().asString().startsWith("notes.txt: ").contains(".tflite");
        assertThat(bench.state().models()).hasSize(25);
        Label message = robot.lookup(".models-view .error-text").queryAs(Label.class);
        assertThat(message.isVisible()).isTrue();
        assertThat(message.getText()).contains("notes.txt").contains("The other files were added");
        assertThat(table(robot).getSelectionModel().getSelectedItem().id()).isEqualTo("my_mobilenet.tflite");
        ModelEntry added = table(robot).getSelectionModel().getSelectedItem();
        assertThat(added.framework()).isEqualTo("TensorFlow");
        assertThat(added.fromZoo()).isFalse();

        // opening it again does not add it twice
        WorkbenchFixture.fx(() -> view.open(List.of(good)));
        assertThat(bench.state().models()).hasSize(25);

        // Ctrl+O opens the chooser (replaced here: a headless run has no native dialog) and adds what it returns
        Path second = dir.resolve("resnet_copy.onnx");
        Files.copy(entry(view, "resnet_float_onnx").file(), second, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        WorkbenchFixture.fx(() -> {
            view.setFileChooser(w -> List.of(second));
            return null;
        });
        robot.clickOn(".models-view .table-view");
        robot.press(KeyCode.CONTROL).press(KeyCode.O).release(KeyCode.O).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bench.state().models()).extracting(ModelEntry::id).contains("resnet_copy.onnx");
    }

    @Test
    void testLoadShowsTheRuntimeAndAnEditedDescriptorIsCheckedAndApplied(FxRobot robot) throws Exception {
        ModelsView view = view();
        ModelEntry m = entry(view, "mobilenetv2_int8_tflite");
        select(robot, m);
        ModelsViewModel.LoadReport first = WorkbenchFixture.fx(view::testLoad).get(120, TimeUnit.SECONDS);
        assertThat(first.failed()).as(first.error()).isFalse();
        assertThat(first.input().mean()).containsExactly(0f);
        // a bad value names the field and changes nothing
        TextField channels = robot.lookup("#channelsField").queryAs(TextField.class);
        WorkbenchFixture.fx(() -> {
            channels.setText("three");
            return null;
        });
        robot.clickOn("Apply descriptor");
        assertThat(robot.lookup(".models-view .error-text").queryAllAs(Label.class))
                .anyMatch(l -> l.getText().contains("channels must be a whole number"));
        assertThat(entry(view, "mobilenetv2_int8_tflite").descriptor()).isEqualTo(m.descriptor());

        // a good edit replaces the descriptor for this session (the zoo file is untouched)
        WorkbenchFixture.fx(() -> {
            channels.setText("1");
            return null;
        });
        robot.clickOn("Revert");
        TextField mean = robot.lookup("#meanField").queryAs(TextField.class);
        WorkbenchFixture.fx(() -> {
            mean.setText("0.5");
            return null;
        });
        robot.clickOn("Apply descriptor");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(entry(view, "mobilenetv2_int8_tflite").descriptor().mean()).containsExactly(0.5f);
        assertThat(table(robot).getSelectionModel().getSelectedItem().id()).isEqualTo("mobilenetv2_int8_tflite");
        ModelsViewModel.LoadReport report = WorkbenchFixture.fx(view::testLoad).get(120, TimeUnit.SECONDS);
        assertThat(report.failed()).as(report.error()).isFalse();
        assertThat(report.runtime()).isEqualTo("TensorFlow Lite");
        assertThat(report.classes()).isEqualTo(10);
        // the edit evicted the loaded model: this load is a fresh one with the new descriptor
        assertThat(report.cached()).isFalse();
        assertThat(report.input().mean()).containsExactly(0.5f);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".models-view .ok-text").queryAllAs(Label.class)).anyMatch(l -> l.getText().contains("loaded in")
                && l.getText().contains("TensorFlow Lite"));

        assertThat(bench.snapshot("models-details")).isNotEmptyFile();
    }

    @Test
    void aBrokenModelFileLoadsWithAClearError(FxRobot robot) throws Exception {
        ModelsView view = view();
        Path broken = Files.createDirectories(Path.of("target", "models-view-test").toAbsolutePath()).resolve("broken.tflite");
        Files.write(broken, new byte[] {0, 0, 0, 0, 'T', 'F', 'L', '3', 1, 2, 3});
        WorkbenchFixture.fx(() -> view.open(List.of(broken)));
        ModelsViewModel.LoadReport report = WorkbenchFixture.fx(view::testLoad).get(60, TimeUnit.SECONDS);
        assertThat(report.failed()).isTrue();
        assertThat(report.error()).contains("broken.tflite");
        assertThat(robot.lookup(".models-view .error-text").queryAllAs(Label.class)).anyMatch(l -> l.getText().startsWith("Could not load"));
    }

    @Test
    void measuringCleanAccuracyOnAHundredImagesComesCloseToTheZoosNumber(FxRobot robot) throws Exception {
        ModelsView view = view();
        ModelEntry onnx = entry(view, "resnet_float_onnx");
        ModelEntry tflite = entry(view, "resnet_int8_tflite");
        WorkbenchFixture.fx(() -> {
            robot.lookup(".models-view .spinner").queryAs(javafx.scene.control.Spinner.class).getValueFactory().setValue(100);
            return null;
        });
        Map<String, ModelsViewModel.Measurement> r = WorkbenchFixture.fx(() -> view.measure(List.of(onnx, tflite))).get(180, TimeUnit.SECONDS);
        for (ModelEntry m : List.of(onnx, tflite)) {
            ModelsViewModel.Measurement x = r.get(m.reference());
            assertThat(x.failed()).as(x.error()).isFalse();
            assertThat(x.samples()).isEqualTo(100);
            // 100 images: a binomial standard error of ~3 points around the zoo's 10,000-image accuracy
            assertThat(x.accuracy()).as(m.id()).isCloseTo(m.zooAccuracy(), within(0.1));
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.viewModel().measurements()).containsKeys(onnx.reference(), tflite.reference());
        assertThat(robot.lookup(".models-view .table-cell").queryAllAs(javafx.scene.control.TableCell.class))
                .anyMatch(c -> c.getText() != null && c.getText().equals(ModelsView.percent(r.get(onnx.reference()).accuracy())));
        select(robot, tflite);
        assertThat(bench.snapshot("models")).isNotEmptyFile();
    }
}
