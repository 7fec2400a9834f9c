package org.mrw.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mrw.app.shell.ViewId;
import org.mrw.app.testing.WorkbenchFixture;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The shell: navigation by rail and shortcuts, demo mode in and out, and a picture of the window. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchAppTest {

    private WorkbenchFixture bench;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "shell");
    }

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void railAndShortcutsNavigateAndDemoModeHidesTheChrome(FxRobot robot) throws Exception {
        bench.show(ViewId.MODELS, 30);
        robot.clickOn("#nav-data");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bench.workbench().current()).isEqualTo(ViewId.DATA);
        assertThat(robot.lookup("#nav-data").queryAs(ToggleButton.class).isSelected()).isTrue();

        robot.press(KeyCode.CONTROL).press(KeyCode.DIGIT3).release(KeyCode.DIGIT3).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bench.workbench().current()).isEqualTo(ViewId.EXPERIMENT);

        robot.press(KeyCode.F11).release(KeyCode.F11);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bench.workbench().inDemo()).isTrue();
        assertThat(bench.workbench().root().getLeft()).as("no navigation rail in demo mode").isNull();
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bench.workbench().inDemo()).isFalse();
        assertThat(bench.workbench().current()).isEqualTo(ViewId.EXPERIMENT);
        assertThat(bench.state().settings().lastView("?")).isEqualTo("experiment");

        Path png = bench.snapshot("workbench");
        assertThat(png).isNotEmptyFile();
    }

    @Test
    void recentWorkspacesAreRememberedNewestFirstAndOfferedInTheMenu(FxRobot robot) throws Exception {
        Path a = Path.of("target", "workspaces", "recent-a").toAbsolutePath();
        Path b = Path.of("target", "workspaces", "recent-b").toAbsolutePath();
        WorkbenchFixture.fx(() -> {
            bench.workbench().useWorkspace(a);
            bench.workbench().useWorkspace(b);
            bench.workbench().useWorkspace(a);
            return null;
        });
        assertThat(bench.state().workspaceProperty().get()).isEqualTo(a);
        assertThat(bench.state().settings().recentWorkspaces()).startsWith(a, b).doesNotHaveDuplicates();
        robot.clickOn("#workspace-menu");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.MenuButton menu = robot.lookup("#workspace-menu").queryAs(javafx.scene.control.MenuButton.class);
        assertThat(menu.getItems()).extracting(javafx.scene.control.MenuItem::getText)
                .startsWith(a.toString(), b.toString()).contains("Open workspace folder…");
        WorkbenchFixture.fx(() -> {
            menu.getItems().get(1).fire();
            menu.hide();
            return null;
        });
        assertThat(bench.state().workspaceProperty().get()).isEqualTo(b);
        assertThat(menu.getText()).isEqualTo("Workspace: " + b);
    }

    @Test
    void themeToggleSwapsTheDarkStylesheetAndIsRemembered(FxRobot robot) throws Exception {
        bench.show(ViewId.MODELS, 30);
        boolean before = bench.state().settings().dark();
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bench.state().settings().dark()).isNotEqualTo(before);
        assertThat(bench.workbench().root().getScene().getStylesheets()).anyMatch(css -> css.endsWith("dark.css"));
        bench.snapshot("workbench-dark");
        robot.clickOn("#theme-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bench.workbench().root().getScene().getStylesheets()).noneMatch(css -> css.endsWith("dark.css"));
    }

    @Test
    void viewNamesParseAndBadOnesSayWhichExist() {
        assertThat(ViewId.parse("Results")).isEqualTo(ViewId.RESULTS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ViewId.parse("charts"))
                .hasMessageContaining("models, data, experiment, devices, run, results, export, demo").hasMessageContaining("charts");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GuiOptions.parse(java.util.List.of("--screenshot", "x.jpg")))
                .hasMessageContaining(".png");
    }
}
