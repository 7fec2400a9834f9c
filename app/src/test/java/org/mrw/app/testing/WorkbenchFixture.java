package org.mrw.app.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.mrw.app.WorkbenchApp;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.shell.Workbench;
import org.mrw.app.state.ExampleRun;
import org.mrw.app.state.Settings;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.zoo.ZooManifest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A workbench in a TestFX stage on the bundled defaults, with throw-away settings and a workspace under
 * target/: start it in a {@code @Start} method, drive it with the FxRobot, save snapshots for a person.
 */
public final class WorkbenchFixture implements AutoCloseable {

    private final WorkbenchState state;
    private final Workbench workbench;
    private final Settings settings;

    private WorkbenchFixture(Stage stage, String name) {
        settings = Settings.scratch("test-" + name);
        Path workspace = Path.of("target", "workspaces", name).toAbsolutePath();
        state = new WorkbenchState(settings, workspace, ZooManifest.defaultDir(), ExampleRun.defaultWorkspace());
        workbench = new Workbench(state);
        stage.setScene(WorkbenchApp.scene(workbench, 1280, 800, false));
        stage.setTitle("Mobile Robustness Workbench");
        stage.show();
    }

    /** Call from the {@code @Start} method (FX thread). */
    public static WorkbenchFixture start(Stage stage, String name) {
        return new WorkbenchFixture(stage, name);
    }

    public WorkbenchState state() {
        return state;
    }

    public Workbench workbench() {
        return workbench;
    }

    /** Shows a view and waits (up to {@code seconds}) until it is ready on its defaults; returns it. */
    public View show(ViewId id, int seconds) throws Exception {
        CompletableFuture<?> ready = WaitForAsyncUtils.asyncFx(() -> workbench.show(id).toCompletableFuture()).get(30, TimeUnit.SECONDS);
        ready.get(seconds, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return workbench.view(id);
    }

    /** Runs on the FX thread and returns its value. */
    public static <T> T fx(Supplier<T> s) throws Exception {
        return WaitForAsyncUtils.asyncFx(s::get).get(60, TimeUnit.SECONDS);
    }

    /** Saves the whole window as target/snapshots/NAME.png and returns the file. */
    public Path snapshot(String name) throws Exception {
        return snapshot(workbench.root(), name);
    }

    /** Saves a node's picture as target/snapshots/NAME.png and returns the file. */
    public static Path snapshot(Node node, String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage image = fx(() -> node.snapshot(null, null));
        Path png = Path.of("target", "snapshots", name + ".png");
        Files.createDirectories(png.getParent());
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", png.toFile());
        return png;
    }

    @Override
    public void close() {
        state.close();
        settings.clear();
    }
}
