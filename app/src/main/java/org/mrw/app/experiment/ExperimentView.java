package org.mrw.app.experiment;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/** The Experiment view (being built). */
public final class ExperimentView implements View {

    private final Label root = new Label("Experiment: not built yet");

    public ExperimentView(WorkbenchState state) {
        root.getStyleClass().add("empty-state");
    }

    @Override
    public ViewId id() {
        return ViewId.EXPERIMENT;
    }

    @Override
    public Node root() {
        return root;
    }
}
