package org.mrw.app.run;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/** The Run view (being built). */
public final class RunView implements View {

    private final Label root = new Label("Run: not built yet");

    public RunView(WorkbenchState state) {
        root.getStyleClass().add("empty-state");
    }

    @Override
    public ViewId id() {
        return ViewId.RUN;
    }

    @Override
    public Node root() {
        return root;
    }
}
