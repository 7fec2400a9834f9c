package org.mrw.app.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.mrw.app.shell.Fxml;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.ExampleRun;
import org.mrw.app.state.RunRef;
import org.mrw.app.state.WorkbenchState;

/**
 * The Results view: the shown run's robustness curves, flip matrix, flipped samples with the inspector,
 * and paired tests. Opens on the example run (made in the background the first time); every analysis
 * is core's, run off the FX thread by {@link RunResults#load}.
 */
public final class ResultsView implements View {

    private final WorkbenchState state;
    private final BorderPane root;
    private final CurvesPane curves;
    private final FlipMatrixPane matrix;
    private final FlipsPane flips;
    private final InspectorPane inspector;
    private final ComparisonsPane comparisons = new ComparisonsPane();
    private final CompletableFuture<RunResults> ready = new CompletableFuture<>();
    private CompletableFuture<RunResults> loading;
    private RunResults results;
    private boolean pickerUpdating;

    @FXML private ComboBox<RunRef> runPicker;
    @FXML private Label subtitle;
    @FXML private TabPane tabs;
    @FXML private Tab curvesTab;
    @FXML private Tab matrixTab;
    @FXML private Tab flipsTab;
    @FXML private Tab testsTab;
    @FXML private VBox emptyState;
    @FXML private Label emptyText;
    @FXML private ProgressBar emptyProgress;
    @FXML private Label emptyDetail;

    public ResultsView(WorkbenchState state) {
        this.state = state;
        root = Fxml.load(this, "Results.fxml", "results.css");
        inspector = new InspectorPane(state.work());
        curves = new CurvesPane(state.work());
        flips = new FlipsPane(inspector);
        matrix = new FlipMatrixPane((condition, target) -> {
            flips.filter(condition, target);
            tabs.getSelectionModel().select(flipsTab);
        });
        curvesTab.setContent(curves);
        matrixTab.setContent(matrix);
        flipsTab.setContent(flips);
        testsTab.setContent(comparisons);
        runPicker.setCellFactory(l -> runCell());
        runPicker.setButtonCell(runCell());
        runPicker.valueProperty().addListener((o, a, n) -> {
            if (!pickerUpdating && n != null && !n.equals(state.runProperty().get())) {
                state.runProperty().set(n);
            }
        });
        state.runProperty().addListener((o, a, n) -> load(n));
        state.work().running().addListener((ListChangeListener<BackgroundWork.Entry>) c -> followExampleJob());
        tabs.setVisible(false);
        empty("Pick a run above, or run an experiment in the Run view.", null);
        if (state.runProperty().get() != null) {
            load(state.runProperty().get());
        }
    }

    @Override
    public ViewId id() {
        return ViewId.RESULTS;
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public void shown() {
        if (state.runProperty().get() == null) {
            // the workspace's own newest run first; the example run only for a workspace without runs
            Path workspace = state.workspaceProperty().get();
            state.work().submit("Listing runs", (p, c) -> {
                try {
                    return RunResults.runs(workspace);
                } catch (RuntimeException e) {
                    return List.<RunRef>of(); // unreadable: treated as empty, the example run still shows
                }
            }).thenAccept(own -> BackgroundWork.fx(() -> {
                if (state.runProperty().get() != null) {
                    return;
                }
                if (!own.isEmpty()) {
                    state.runProperty().set(own.get(0));
                } else {
                    showExample();
                }
            }));
        }
        refreshRuns();
    }

    private void showExample() {
        empty("Preparing the example run: ResNet in 7 runtimes, FGSM and BIM at ε 1–8/255 on 100 images "
                + "(about a minute the first time). Or pick one of your runs above.", "");
        emptyProgress.setProgress(-1);
        followExampleJob();
        state.exampleRun().whenComplete((r, e) -> BackgroundWork.fx(() -> {
            if (e != null && results == null) {
                empty("The example run could not be made: " + rootMessage(e), null);
                emptyText.getStyleClass().add("error-text");
                ready.completeExceptionally(e);
            }
        }));
    }

    @Override
    public CompletionStage<?> ready() {
        return ready;
    }

    /** The analysed run on screen (null until one is). */
    RunResults results() {
        return results;
    }

    CurvesPane curves() {
        return curves;
    }

    FlipMatrixPane matrix() {
        return matrix;
    }

    FlipsPane flips() {
        return flips;
    }

    InspectorPane inspector() {
        return inspector;
    }

    ComparisonsPane comparisons() {
        return comparisons;
    }

    TabPane tabs() {
        return tabs;
    }

    private void load(RunRef ref) {
        if (ref == null) {
            return;
        }
        selectInPicker(ref);
        if (loading != null) {
            loading.cancel(false);
        }
        empty("Analysing run " + ref.runId() + ": bootstrap intervals, paired tests, flips…", "");
        emptyProgress.setProgress(-1);
        CompletableFuture<RunResults> job = state.work().submit("Analysing run " + ref.runId(), (p, c) -> RunResults.load(ref, p, c));
        loading = job;
        job.whenComplete((r, e) -> BackgroundWork.fx(() -> {
            if (loading != job) {
                return;
            }
            if (e != null) {
                empty("Run " + ref.runId() + " could not be shown: " + rootMessage(e), "Pick another run above, or resume it in the Run view.");
                emptyText.getStyleClass().add("error-text");
                if (results == null) {
                    ready.completeExceptionally(e);
                }
                return;
            }
            show(r);
        }));
    }

    private void show(RunResults r) {
        results = r;
        subtitle.setText(String.format(Locale.ROOT, "%s · %s · %d targets · %d conditions · %,d judgements · %d flipped images · %s",
                r.info().id(), r.info().status(), r.targets().size(), r.attackConditions().size(), r.rows().size(),
                r.flipped().size(), r.ref().workspace()));
        curves.show(r);
        matrix.show(r);
        flips.show(r);
        comparisons.show(r);
        emptyState.setVisible(false);
        tabs.setVisible(true);
        ready.complete(r);
    }

    private void empty(String text, String detail) {
        emptyProgress.progressProperty().unbind();
        emptyDetail.textProperty().unbind();
        emptyText.getStyleClass().remove("error-text");
        emptyText.setText(text);
        emptyProgress.setVisible(detail != null);
        emptyProgress.setManaged(detail != null);
        emptyDetail.setText(detail == null ? "" : detail);
        emptyState.setVisible(true);
        tabs.setVisible(results != null);
        emptyState.setMouseTransparent(false);
    }

    /** Shows the example job's progress in the empty state while it runs. */
    private void followExampleJob() {
        if (results != null || !emptyState.isVisible()) {
            return;
        }
        state.work().running().stream().filter(j -> j.title().startsWith("Example run")).findFirst().ifPresent(j -> {
            emptyProgress.progressProperty().bind(j.progressProperty());
            emptyDetail.textProperty().bind(j.messageProperty());
        });
    }

    @FXML
    private void refreshRuns() {
        Set<Path> workspaces = new LinkedHashSet<>();
        if (state.runProperty().get() != null) {
            workspaces.add(state.runProperty().get().workspace());
        }
        workspaces.add(state.workspaceProperty().get());
        workspaces.add(ExampleRun.defaultWorkspace());
        state.work().submit("Listing runs", (p, c) -> {
            List<RunRef> all = new ArrayList<>();
            for (Path w : workspaces) {
                try {
                    all.addAll(RunResults.runs(w));
                } catch (RuntimeException e) {
                    // a workspace that cannot be read simply lists no runs; the picker stays usable
                }
            }
            return all;
        }).thenAccept(all -> BackgroundWork.fx(() -> {
            pickerUpdating = true;
            runPicker.getItems().setAll(all);
            pickerUpdating = false;
            selectInPicker(state.runProperty().get());
        }));
    }

    private void selectInPicker(RunRef ref) {
        pickerUpdating = true;
        if (ref != null && !runPicker.getItems().contains(ref)) {
            runPicker.getItems().add(0, ref);
        }
        runPicker.setValue(ref);
        pickerUpdating = false;
    }

    private static ListCell<RunRef> runCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(RunRef r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null : r.runId() + "  (" + r.workspace().getFileName() + ")");
            }
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
