package org.mrw.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mrw.app.shell.ViewId;
import org.mrw.app.testing.WorkbenchFixture;
import org.mrw.core.data.Datasets;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Demo mode on the zoo's ResNet: six runtimes answer, a larger ε fools at least one, arrows move image and ε. */
@ExtendWith(ApplicationExtension.class)
class DemoViewTest {

    private WorkbenchFixture bench;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "demo");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void sixRuntimesAnswerALargerEpsilonFoolsOneAndArrowsMoveImageAndEpsilon(FxRobot robot) throws Exception {
        DemoView view = (DemoView) bench.show(ViewId.DEMO, 300);
        assertThat(bench.workbench().inDemo()).isTrue();
        List<TargetCard> cards = view.cards();
        assertThat(cards).extracting(TargetCard::title).containsExactly("PC · PyTorch float", "PC · PyTorch int8", "TFLite float",
                "TFLite int8", "PyTorch Mobile float", "PyTorch Mobile int8");
        for (TargetCard c : cards) {
            assertThat(Datasets.FASHION_MNIST_CLASSES).as(c.title()).contains(c.predictionText());
        }
        assertThat(cards).as("clean first image: ResNet gets it right everywhere").noneMatch(TargetCard::flipped);

        robot.press(KeyCode.RIGHT).release(KeyCode.RIGHT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.selectedImage()).isEqualTo(1);
        robot.press(KeyCode.UP).release(KeyCode.UP);
        robot.press(KeyCode.UP).release(KeyCode.UP);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.epsilonLevels()).isEqualTo(2);
        robot.press(KeyCode.DOWN).release(KeyCode.DOWN);
        robot.press(KeyCode.LEFT).release(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.epsilonLevels()).isEqualTo(1);
        assertThat(view.selectedImage()).isZero();
        robot.press(KeyCode.LEFT).release(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.selectedImage()).as("left of the first wraps to the last").isEqualTo(DemoView.IMAGES - 1);

        WorkbenchFixture.fx(() -> {
            view.setEpsilonLevels(DemoView.MAX_LEVELS);
            return null;
        });
        int fooled = -1;
        for (int i = 0; i < DemoView.IMAGES && fooled < 0; i++) {
            int image = i;
            WorkbenchFixture.fx(() -> {
                view.select(image);
                return null;
            });
            settle(view);
            if (WorkbenchFixture.fx(() -> cards.stream().anyMatch(TargetCard::flipped))) {
                fooled = i;
            }
        }
        assertThat(fooled).as("FGSM at 16/255 fools some runtime on one of the images").isGreaterThanOrEqualTo(0);
        assertThat(WorkbenchFixture.fx(() -> cards.stream().filter(TargetCard::flipped)
                .allMatch(c -> c.getStyleClass().contains("demo-flipped")))).as("fooled cards turn red").isTrue();
        bench.snapshot("demo");
    }

    /** Waits until every card shows the newest request. */
    private static void settle(DemoView view) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!WorkbenchFixture.fx(() -> view.cards().stream().allMatch(c -> c.shownRequest() == view.latestRequest()))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the cards did not answer within 60 s");
            }
            Thread.sleep(50);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }
}
