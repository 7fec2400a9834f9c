package org.mrw.app.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;
import org.mrw.app.shell.Fxml;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/**
 * The Run view: runs the spec the Experiment view requests (or the current spec) into the workspace,
 * with a progress bar per target, pause / cancel / resume, the robustness curves filling in as units
 * land, and an event log. When the run finishes it becomes the run the Results view shows.
 */
public final class RunView implements View {

    private final WorkbenchState state;
    private final RunViewModel model;
    private final BorderPane root;
    private final ChartViewer viewer = new ChartViewer();

    @FXML
    private Label runTitle;
    @FXML
    private Label status;
    @FXML
    private Label empty;
    @FXML
    private SplitPane content;
    @FXML
    private VBox bars;
    @FXML
    private ListView<String> eventList;
    @FXML
    private StackPane chartPane;
    @FXML
    private Label chartEmpty;
    @FXML
    private Button runSpec;
    @FXML
    private Button pause;
    @FXML
    private Button cancel;
    @FXML
    private Button resume;

    public RunView(WorkbenchState state) {
        this.state = state;
        this.model = new RunViewModel(state);
        root = Fxml.load(this, "Run.fxml", "run.css");
        bind();
        // the Experiment view sets a request and then navigates here: take one already waiting, and later ones
        state.runRequestProperty().addListener((o, a, b) -> takeRequest());
        takeRequest();
    }

    private void bind() {
        runTitle.textProperty().bind(model.titleProperty());
        status.textProperty().bind(model.statusProperty());
        eventList.setItems(model.events());
        model.events().addListener((ListChangeListener<String>) c -> eventList.scrollTo(model.events().size() - 1));
        eventList.setPlaceholder(new Label("Events of the run appear here."));
        eventList.setCellFactory(list -> new javafx.scene.control.ListCell<>() {
            {
                setWrapText(true);
                setPrefWidth(0); // wrap to the list's width instead of scrolling sideways
            }

            @Override
            protected void updateItem(String item, boolean isEmpty) {
                super.updateItem(item, isEmpty);
                setText(isEmpty ? null : item);
            }
        });
        model.targets().addListener((ListChangeListener<TargetProgress>) c -> rebuildBars());
        viewer.setId("run-chart");
        viewer.setVisible(false);
        chartPane.getChildren().add(viewer);
        model.chartProperty().addListener((o, a, chart) -> {
            if (chart != null) {
                viewer.setChart(chart);
            }
            viewer.setVisible(chart != null);
            chartEmpty.setVisible(chart == null);
        });
        model.phaseProperty().addListener((o, a, b) -> phase(b));
        runSpec.setTooltip(new Tooltip("Run the spec being edited in the Experiment view into the workspace"));
        pause.setTooltip(new Tooltip("Hold the run after the unit being judged"));
        cancel.setTooltip(new Tooltip("Stop after the unit being judged; committed units are kept"));
        resume.setTooltip(new Tooltip("Continue a paused run, or finish a cancelled one from its committed units"));
        phase(model.phaseProperty().get());
    }

    private void phase(RunViewModel.Phase p) {
        boolean idle = p == RunViewModel.Phase.IDLE;
        empty.setVisible(idle);
        content.setVisible(!idle);
        boolean active = p == RunViewModel.Phase.STARTING || p == RunViewModel.Phase.RUNNING || p == RunViewModel.Phase.PAUSED
                || p == RunViewModel.Phase.CANCELLING;
        runSpec.setDisable(active);
        pause.setDisable(!(p == RunViewModel.Phase.STARTING || p == RunViewModel.Phase.RUNNING));
        cancel.setDisable(!(p == RunViewModel.Phase.STARTING || p == RunViewModel.Phase.RUNNING || p == RunViewModel.Phase.PAUSED));
        resume.setDisable(!model.canResume());
        status.getStyleClass().remove("run-status-failed");
        if (p == RunViewModel.Phase.FAILED) {
            status.getStyleClass().add("run-status-failed");
        }
    }

    private void rebuildBars() {
        bars.getChildren().clear();
        for (TargetProgress t : model.targets()) {
            Label name = new Label(t.target());
            name.getStyleClass().add("target-name");
            ProgressBar bar = new ProgressBar();
            bar.setId("bar-" + t.target());
            bar.getStyleClass().add("target-bar");
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.progressProperty().bind(t.progressProperty());
            t.progressProperty().addListener((o, a, b) -> {
                if (b.doubleValue() >= 1 && !bar.getStyleClass().contains("done")) {
                    bar.getStyleClass().add("done");
                }
            });
            if (t.progressProperty().get() >= 1) {
                bar.getStyleClass().add("done");
            }
            Label text = new Label();
            text.getStyleClass().add("target-text");
            text.textProperty().bind(t.textProperty());
            bars.getChildren().add(new VBox(3, name, bar, text));
        }
    }

    private void takeRequest() {
        String spec = state.runRequestProperty().get();
        if (spec != null) {
            state.runRequestProperty().set(null);
            model.start(spec);
        }
    }

    @FXML
    private void runSpec() {
        model.start(state.specTextProperty().get());
    }

    @FXML
    private void pause() {
        model.pause();
    }

    @FXML
    private void cancel() {
        model.cancel();
    }

    @FXML
    private void resume() {
        model.resume();
        phase(model.phaseProperty().get());
    }

    /** The view's state (tests read it). */
    public RunViewModel model() {
        return model;
    }

    @Override
    public ViewId id() {
        return ViewId.RUN;
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public CompletionStage<?> ready() {
        return CompletableFuture.completedFuture(null);
    }
}
