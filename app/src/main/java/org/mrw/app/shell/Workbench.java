package org.mrw.app.shell;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.mrw.app.state.WorkbenchState;

/**
 * The main window's content: the navigation rail on the left, the workspace line on top, the current
 * view in the middle and the background jobs at the bottom. Views are built on first visit. Demo mode
 * (F11) hides the chrome and shows the demo view alone; Escape leaves it.
 */
public final class Workbench {

    private final WorkbenchState state;
    private final BorderPane root = new BorderPane();
    private final StackPane center = new StackPane();
    private final VBox rail = new VBox();
    private final HBox top = new HBox();
    private final StatusBar status;
    private final ToggleGroup navigation = new ToggleGroup();
    private final Map<ViewId, View> views = new EnumMap<>(ViewId.class);
    private final Map<ViewId, ToggleButton> buttons = new EnumMap<>(ViewId.class);
    private ViewId current;
    private boolean demo;

    public Workbench(WorkbenchState state) {
        this.state = state;
        this.status = new StatusBar(state.work());
        root.getStyleClass().add("workbench");
        buildRail();
        buildTop();
        root.setLeft(rail);
        root.setTop(top);
        root.setCenter(center);
        root.setBottom(status);
        center.getStyleClass().add("view-area");
        state.setNavigator(this::show);
    }

    private void buildRail() {
        rail.getStyleClass().add("nav-rail");
        rail.setSpacing(2);
        rail.setPadding(new Insets(8, 0, 8, 0));
        for (ViewId id : ViewId.values()) {
            if (id == ViewId.DEMO) {
                continue;
            }
            ToggleButton b = new ToggleButton(id.title());
            b.setToggleGroup(navigation);
            b.setMaxWidth(Double.MAX_VALUE);
            b.getStyleClass().add("nav-button");
            b.setId("nav-" + id.cliName());
            b.setTooltip(new Tooltip(id.title() + " (" + id.accelerator() + ")"));
            b.setOnAction(e -> show(id));
            buttons.put(id, b);
            rail.getChildren().add(b);
        }
        Region grow = new Region();
        VBox.setVgrow(grow, Priority.ALWAYS);
        ToggleButton demoButton = new ToggleButton("Demo");
        demoButton.setId("nav-demo");
        demoButton.getStyleClass().add("nav-button");
        demoButton.setMaxWidth(Double.MAX_VALUE);
        demoButton.setTooltip(new Tooltip("Demo mode, full screen (F11; Esc leaves)"));
        demoButton.setOnAction(e -> {
            demoButton.setSelected(false);
            demo(true);
        });
        rail.getChildren().addAll(grow, demoButton);
    }

    private void buildTop() {
        top.getStyleClass().add("top-bar");
        top.setSpacing(16);
        top.setPadding(new Insets(6, 12, 6, 12));
        top.setAlignment(Pos.CENTER_LEFT);
        Label title = new Label("Mobile Robustness Workbench");
        title.getStyleClass().add("app-title");
        MenuButton workspace = new MenuButton();
        workspace.setId("workspace-menu");
        workspace.getStyleClass().add("workspace-label");
        workspace.textProperty().bind(Bindings.createStringBinding(() -> "Workspace: " + state.workspaceProperty().get(),
                state.workspaceProperty()));
        // the menu lists recent workspaces each time it opens, then "Open workspace folder…"
        workspace.setOnShowing(e -> workspace.getItems().setAll(workspaceItems()));
        workspace.getItems().setAll(workspaceItems());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label jobs = new Label();
        jobs.getStyleClass().add("jobs-label");
        jobs.textProperty().bind(Bindings.createStringBinding(() -> state.work().running().isEmpty() ? ""
                : state.work().running().size() + " running", state.work().running()));
        Label devices = new Label();
        devices.setId("device-count");
        devices.getStyleClass().add("jobs-label");
        // filled by the Devices view's refresh: the host device plus adb's phones
        devices.textProperty().bind(Bindings.createStringBinding(() -> state.devices().isEmpty() ? ""
                : state.devices().size() + (state.devices().size() == 1 ? " device" : " devices"), state.devices()));
        Button theme = new Button("◐");
        theme.setId("theme-toggle");
        theme.getStyleClass().add("theme-toggle");
        theme.setTooltip(new Tooltip("Light or dark theme (Ctrl+Shift+D); remembered"));
        theme.setOnAction(e -> toggleTheme());
        top.getChildren().addAll(title, workspace, grow, devices, jobs, theme);
    }

    private java.util.List<MenuItem> workspaceItems() {
        java.util.List<MenuItem> items = new java.util.ArrayList<>();
        for (java.nio.file.Path p : state.settings().recentWorkspaces()) {
            MenuItem item = new MenuItem(p.toString());
            item.setOnAction(e -> useWorkspace(p));
            items.add(item);
        }
        if (!items.isEmpty()) {
            items.add(new SeparatorMenuItem());
        }
        MenuItem open = new MenuItem("Open workspace folder…");
        open.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Workspace folder (results.db and adversarials; created when missing)");
            java.io.File dir = chooser.showDialog(root.getScene() == null ? null : root.getScene().getWindow());
            if (dir != null) {
                useWorkspace(dir.toPath());
            }
        });
        items.add(open);
        return items;
    }

    /** Makes a folder the workspace runs go into and remembers it first among the recent ones. */
    public void useWorkspace(java.nio.file.Path folder) {
        state.workspaceProperty().set(folder.toAbsolutePath().normalize());
        state.settings().touchWorkspace(folder);
    }

    /** Builds the Devices view and lists devices in the background, for the device count and the Experiment's targets. */
    public void findDevices() {
        if (view(ViewId.DEVICES) instanceof org.mrw.app.devices.DevicesView d) {
            d.refreshOnce();
        }
    }

    public BorderPane root() {
        return root;
    }

    /** Installs the keyboard shortcuts (Ctrl+1..7 views, F11 demo, Esc leaves demo) on the scene. */
    public void installShortcuts(Scene scene) {
        for (ViewId id : ViewId.values()) {
            if (id != ViewId.DEMO) {
                scene.getAccelerators().put(KeyCombination.keyCombination(id.accelerator()), () -> show(id));
            }
        }
        // the main actions: run the spec being edited, export, switch theme (open model: Ctrl+O in Models)
        scene.getAccelerators().put(KeyCombination.keyCombination("Shortcut+R"), this::runCurrentSpec);
        scene.getAccelerators().put(KeyCombination.keyCombination("Shortcut+E"), () -> show(ViewId.EXPORT));
        scene.getAccelerators().put(KeyCombination.keyCombination("Shortcut+Shift+D"), this::toggleTheme);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.F11) {
                demo(!demo);
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE && demo) {
                demo(false);
                e.consume();
            }
        });
    }

    /** Hands the spec being edited to the Run view, which starts it. */
    public void runCurrentSpec() {
        state.runRequestProperty().set(state.specTextProperty().get());
        show(ViewId.RUN);
    }

    /** Switches between the light and the dark stylesheet and remembers the choice. */
    public void toggleTheme() {
        boolean dark = !state.settings().dark();
        state.settings().dark(dark);
        if (root.getScene() != null) {
            String css = Workbench.class.getResource("/org/mrw/app/dark.css").toExternalForm();
            root.getScene().getStylesheets().remove(css);
            if (dark) {
                root.getScene().getStylesheets().add(css);
            }
        }
    }

    /** The view, built on first call. */
    public View view(ViewId id) {
        return views.computeIfAbsent(id, v -> Views.create(v, state, this));
    }

    /** Shows a view (demo mode for {@link ViewId#DEMO}). Returns when it is ready on its defaults. */
    public CompletionStage<?> show(ViewId id) {
        if (id == ViewId.DEMO) {
            demo(true);
            return view(id).ready();
        }
        if (demo) {
            demo(false);
        }
        View v = view(id);
        center.getChildren().setAll(v.root());
        current = id;
        ToggleButton b = buttons.get(id);
        if (b != null) {
            b.setSelected(true);
        }
        state.settings().saveLastView(id.cliName());
        v.shown();
        return v.ready();
    }

    /** Enters or leaves demo mode: the demo view alone, no rail or bars (the stage goes full screen if it can). */
    public void demo(boolean on) {
        demo = on;
        root.getStyleClass().remove("demo-mode");
        if (on) {
            root.getStyleClass().add("demo-mode");
            View v = view(ViewId.DEMO);
            root.setLeft(null);
            root.setTop(null);
            root.setBottom(null);
            center.getChildren().setAll(v.root());
            v.shown();
        } else {
            root.setLeft(rail);
            root.setTop(top);
            root.setBottom(status);
            show(current == null ? ViewId.MODELS : current);
        }
        if (root.getScene() != null && root.getScene().getWindow() instanceof javafx.stage.Stage stage) {
            stage.setFullScreen(on);
        }
    }

    public boolean inDemo() {
        return demo;
    }

    public ViewId current() {
        return demo ? ViewId.DEMO : current;
    }

    /** Completes when every view built so far is ready. */
    public CompletableFuture<Void> allReady() {
        return CompletableFuture.allOf(views.values().stream().map(v -> v.ready().toCompletableFuture()).toArray(CompletableFuture[]::new));
    }

    Node center() {
        return center;
    }
}
