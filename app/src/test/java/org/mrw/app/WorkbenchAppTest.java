package org.mrw.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window opens headless (Monocle) and its picture is saved for a person to look at. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchAppTest {

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        new WorkbenchApp().start(stage);
    }

    @Test
    void windowOpensWithItsTitleAndIsSnapshotted(FxRobot robot) throws Exception {
        assertThat(stage.getTitle()).isEqualTo("Mobile Robustness Workbench");
        assertThat(stage.isShowing()).isTrue();
        WritableImage image = WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(() -> stage.getScene().getRoot().snapshot(null, null)));
        Path png = Path.of("target", "snapshots", "workbench.png");
        Files.createDirectories(png.getParent());
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", png.toFile());
        assertThat(image.getWidth()).isGreaterThan(800);
        assertThat(png).isNotEmptyFile();
    }
}
