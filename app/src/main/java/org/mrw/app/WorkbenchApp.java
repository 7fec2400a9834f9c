package org.mrw.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.mrw.app.shell.ViewId;
import org.mrw.app.shell.Workbench;
import org.mrw.app.state.ExampleRun;
import org.mrw.app.state.Settings;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.engine.Engines;
import org.mrw.core.zoo.ZooManifest;

/**
 * The JavaFX workbench. Opens on the bundled defaults without loading an engine (models load in the
 * background when a view first needs them); remembers window bounds, the last view and workspaces.
 */
public final class WorkbenchApp extends Application {

    /** Set by {@link Launcher}; defaults when the app is started another way (tests, javafx:run). */
    static GuiOptions options;

    private WorkbenchState state;
    private Workbench workbench;

    @Override
    public void start(Stage stage) {
        long toolkitReady = System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Engines.enforceOffline();
        GuiOptions o = options != null ? options : GuiOptions.parse(List.of());
        boolean screenshot = o.screenshot() != null;
        Settings settings = screenshot ? Settings.scratch("screenshot") : Settings.user();
        Path ws = o.workspace() != null ? o.workspace() : settings.recentWorkspaces().stream().findFirst()
                .orElse(Path.of(System.getProperty("user.home"), "mrw-workspace"));
        long t0 = System.nanoTime();
        state = new WorkbenchState(settings, ws, ZooManifest.defaultDir(), ExampleRun.defaultWorkspace());
        long t1 = System.nanoTime();
        workbench = new Workbench(state);
        Scene scene = scene(workbench, o.width(), o.height(), settings.dark());
        long t2 = System.nanoTime();

        stage.setTitle("Mobile Robustness Workbench");
        stage.setScene(scene);
        ViewId first = o.view() != null ? o.view() : parseOr(settings.lastView("models"));
        if (screenshot) {
            stage.show();
            workbench.findDevices();
            screenshot(first, o.screenshot());
            return;
        }
        Settings.WindowBounds b = settings.window(new Settings.WindowBounds(Double.NaN, Double.NaN, o.width(), o.height(), false));
        stage.setWidth(b.width());
        stage.setHeight(b.height());
        if (!Double.isNaN(b.x())) {
            stage.setX(b.x());
            stage.setY(b.y());
        }
        stage.setMaximized(b.maximized());
        stage.setOnCloseRequest(e -> settings.saveWindow(new Settings.WindowBounds(stage.getX(), stage.getY(), stage.getWidth(),
                stage.getHeight(), stage.isMaximized())));
        long t3 = System.nanoTime();
        stage.show();
        long t4 = System.nanoTime();
        workbench.show(first);
        long t5 = System.nanoTime();
        settings.touchWorkspace(ws);
        if (Boolean.getBoolean("mrw.trace.startup")) {
            System.err.printf("mrw gui: state %d ms, shell %d ms, stage %d ms, first view %d ms%n", (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000);
        }
        // the window must open in under 3 s: engines load lazily, so this line states the real figure
        // (-Dmrw.trace.startup=true splits it); devices are listed only after the first frame
        Platform.runLater(() -> {
            System.err.printf(java.util.Locale.ROOT, "mrw gui: window shown %d ms after the JVM started (JavaFX ready at %d ms)%n",
                    System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime(), toolkitReady);
            workbench.findDevices();
        });
    }

    /** The scene of a workbench with the stylesheet (and the dark theme on top when chosen). */
    public static Scene scene(Workbench workbench, double width, double height, boolean dark) {
        Scene scene = new Scene(workbench.root(), width, height);
        scene.getStylesheets().add(WorkbenchApp.class.getResource("workbench.css").toExternalForm());
        if (dark) {
            scene.getStylesheets().add(WorkbenchApp.class.getResource("dark.css").toExternalForm());
        }
        workbench.installShortcuts(scene);
        return scene;
    }

    private static ViewId parseOr(String name) {
        try {
            return ViewId.parse(name);
        } catch (IllegalArgumentException e) {
            return ViewId.MODELS;
        }
    }

    /** Shows the view, waits until it is ready on its defaults, writes the PNG and exits (1 on failure). */
    private void screenshot(ViewId view, Path file) {
        CompletableFuture<?> ready = workbench.show(view).toCompletableFuture();
        ready.orTimeout(15, TimeUnit.MINUTES).whenComplete((r, error) -> Platform.runLater(() -> {
            int code = 0;
            if (error != null) {
                System.err.println("mrw gui: the " + view.cliName() + " view could not load its content: " + error.getMessage());
                code = 1;
            }
            // two more pulses so the last layout and CSS pass reach the picture
            int exit = code;
            Platform.runLater(() -> Platform.runLater(() -> {
                int status = exit;
                try {
                    WritableImage image = workbench.root().snapshot(null, null);
                    Path parent = file.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                    ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
                    System.out.println(file.toAbsolutePath() + " (" + (int) image.getWidth() + "×" + (int) image.getHeight() + ", view "
                            + view.cliName() + ")");
                } catch (Exception e) {
                    System.err.println("mrw gui: could not write " + file + ": " + e.getMessage());
                    status = 1;
                }
                state.settings().clear();
                state.close();
                Platform.exit();
                System.exit(status);
            }));
        }));
    }

    @Override
    public void stop() {
        if (state != null) {
            state.close();
        }
    }
}
