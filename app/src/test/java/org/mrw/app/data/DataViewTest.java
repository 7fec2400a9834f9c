package org.mrw.app.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mrw.app.shell.ViewId;
import org.mrw.app.testing.WorkbenchFixture;
import org.mrw.core.data.DatasetSummary;
import org.mrw.core.data.NpyWriter;
import org.mrw.core.data.NpzArrays;
import org.mrw.core.experiment.ExperimentSpec;
import org.controlsfx.control.GridView;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Data view: the bundled data, switching to a file the test writes, keeping it when a bad one follows, the selection rule in the spec. */
@ExtendWith(ApplicationExtension.class)
class DataViewTest {

    private WorkbenchFixture bench;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "data");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    private DataView view() throws Exception {
        return (DataView) bench.show(ViewId.DATA, 60);
    }

    @Test
    @SuppressWarnings("unchecked")
    void bundledFashionMnistShowsTenClassesOfAThousandAndAVirtualisedGrid(FxRobot robot) throws Exception {
        DataView view = view();
        DatasetSummary s = view.viewModel().summaryProperty().get();
        assertThat(s.size()).isEqualTo(10_000);
        assertThat(s.format()).isEqualTo("IDX");
        assertThat(s.shape()).isEqualTo("1×28×28");
        assertThat(s.classNames()).hasSize(10).contains("T-shirt/top", "Ankle boot");
        assertThat(s.classCounts()).hasSize(10).containsOnly(1000);
        TableView<Integer> classes = robot.lookup("#classTable").queryAs(TableView.class);
        assertThat(classes.getItems()).hasSize(10);
        assertThat(robot.lookup("#sizeValue").queryAs(Label.class).getText()).isEqualTo("10,000 in 10 classes");

        GridView<Integer> grid = robot.lookup("#grid").queryAs(GridView.class);
        assertThat(grid.getItems()).hasSize(10_000);
        // only the visible cells exist, and their pictures arrive from the background
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".thumbnail-cell .image-view").queryAllAs(ImageView.class)
                .stream().filter(v -> v.getImage() != null).count() > 20);
        long cells = robot.lookup(".thumbnail-cell").queryAll().size();
        assertThat(cells).isBetween(20L, 1000L);
        assertThat(robot.lookup(".thumbnail-label").queryAllAs(Label.class)).anyMatch(l -> l.getText().equals("Ankle boot"));

        // the class filter narrows the grid to one class
        ComboBox<String> filter = robot.lookup("#classFilter").queryAs(ComboBox.class);
        WorkbenchFixture.fx(() -> {
            filter.setValue("3 · Dress");
            return null;
        });
        assertThat(grid.getItems()).hasSize(1000);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".thumbnail-label").queryAllAs(Label.class).stream()
                .filter(l -> l.getScene() != null && !l.getText().isEmpty()).allMatch(l -> l.getText().equals("Dress")));
        WorkbenchFixture.fx(() -> {
            filter.setValue("All classes");
            return null;
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".thumbnail-cell .image-view").queryAllAs(ImageView.class)
                .stream().filter(v -> v.getImage() != null).count() > 20);
        assertThat(bench.snapshot("data")).isNotEmptyFile();
    }

    @Test
    void openingAnNpyFileSwitchesTheDatasetAndACorruptFileKeepsIt(FxRobot robot) throws Exception {
        DataView view = view();
        Path dir = Files.createDirectories(Path.of("target", "data-view-test").toAbsolutePath());
        int n = 40;
        float[] pixels = new float[n * 16 * 16 * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
            for (int j = 0; j < 16 * 16 * 3; j++) {
                pixels[i * 16 * 16 * 3 + j] = ((i * 7 + j) % 256) / 255f;
            }
        }
        Path images = dir.resolve("images.npy");
        NpyWriter.write(images, new NpzArrays.FloatArray(new int[] {n, 16, 16, 3}, pixels));
        Files.write(dir.resolve("labels.npy"), int32Npy(labels));

        DatasetSummary opened = WorkbenchFixture.fx(() -> view.open(images)).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(opened.format()).isEqualTo("NPY");
        assertThat(opened.size()).isEqualTo(n);
        assertThat(opened.shape()).isEqualTo("3×16×16");
        assertThat(opened.classCounts()).containsExactly(10, 10, 10, 10);
        assertThat(bench.state().dataProperty().get().path()).isEqualTo(images);
        assertThat(bench.state().dataset().getNow(null).size()).as("the state holds the opened dataset, not a second copy").isEqualTo(n);
        assertThat(ExperimentSpec.parse(bench.state().specTextProperty().get(), "spec").dataset().path()).isEqualTo(images.toString());
        assertThat(robot.lookup("#formatValue").queryAs(Label.class).getText()).isEqualTo("NPY");

        // a corrupt file: a clear message, and the NPY data stays
        Path corrupt = dir.resolve("corrupt.npy");
        Files.write(corrupt, "\u0093NUMPY garbage, not a header".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> WorkbenchFixture.fx(() -> view.open(corrupt)).get(60, TimeUnit.SECONDS));
        WaitForAsyncUtils.waitForFxEvents();
        Label error = robot.lookup("#error").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).contains("corrupt.npy").contains("Still using images");
        assertThat(view.viewModel().summaryProperty().get().size()).isEqualTo(n);
        assertThat(bench.state().dataProperty().get().path()).isEqualTo(images);
        assertThat(bench.state().dataset().getNow(null).size()).isEqualTo(n);

        // back to the bundled data; the error goes away
        WorkbenchFixture.fx(() -> view.viewModel().open(null, org.mrw.core.data.DatasetOptions.defaults())).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(error.isVisible()).isFalse();
        assertThat(bench.state().dataProperty().get().isBundled()).isTrue();
        assertThat(ExperimentSpec.parse(bench.state().specTextProperty().get(), "spec").dataset().path()).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void changingCountSeedAndRuleRewritesTheSpecsDatasetPart(FxRobot robot) throws Exception {
        view();
        ExperimentSpec before = ExperimentSpec.parse(bench.state().specTextProperty().get(), "spec");
        Spinner<Integer> count = robot.lookup("#countSpinner").queryAs(Spinner.class);
        TextField seed = robot.lookup("#seedField").queryAs(TextField.class);
        CheckBox correct = robot.lookup("#correctCheck").queryAs(CheckBox.class);
        assertThat(count.getValue()).isEqualTo(before.countOrDefault());
        assertThat(seed.getText()).isEqualTo(Long.toString(before.seedOrDefault()));
        assertThat(correct.isSelected()).isEqualTo(before.correctOnSources());

        WorkbenchFixture.fx(() -> {
            count.getValueFactory().setValue(250);
            return null;
        });
        robot.doubleClickOn("#seedField").eraseText(seed.getText().length()).write("42");
        robot.clickOn("#correctCheck");
        WaitForAsyncUtils.waitForFxEvents();
        ExperimentSpec after = ExperimentSpec.parse(bench.state().specTextProperty().get(), "spec");
        assertThat(after.countOrDefault()).isEqualTo(250);
        assertThat(after.seedOrDefault()).isEqualTo(42L);
        assertThat(after.correctOnSources()).isEqualTo(!before.correctOnSources());
        // the rest of the spec is untouched
        assertThat(after.groups()).isEqualTo(before.groups());
        assertThat(after.attacks()).isEqualTo(before.attacks());
        assertThat(after.name()).isEqualTo(before.name());

        // the spec edited elsewhere (the Experiment view) shows here
        WorkbenchFixture.fx(() -> {
            bench.state().specTextProperty().set(after.toYaml().replace("count: 250", "count: 77"));
            return null;
        });
        assertThat(count.getValue()).isEqualTo(77);
        // a broken spec disables the inputs and says where to fix it
        WorkbenchFixture.fx(() -> {
            bench.state().specTextProperty().set("name: [unclosed");
            return null;
        });
        assertThat(count.isDisabled()).isTrue();
        assertThat(robot.lookup("#specError").queryAs(Label.class).getText()).contains("Experiment view");
    }

    /** A NumPy int32 vector, as numpy.save writes it. */
    private static byte[] int32Npy(int[] values) {
        StringBuilder dict = new StringBuilder("{'descr': '<i4', 'fortran_order': False, 'shape': (" + values.length + ",), }");
        while ((10 + dict.length() + 1) % 64 != 0) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] header = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).putShort((short) header.length);
        b.put(header);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }
}
