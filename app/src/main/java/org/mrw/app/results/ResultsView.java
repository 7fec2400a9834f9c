package org.mrw.app.results;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/** The Results view (being built). */
public final class ResultsView implements View {

    private final Label root = new Label("Results: not built yet");

    public ResultsView(WorkbenchState state) {
        root.getStyleClass().add("empty-state");
    }

    @Override
    public ViewId id() {
        return ViewId.RESULTS;
    }

    @Override
    public Node root() {
        return root;
    }
}
