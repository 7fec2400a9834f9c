package org.mrw.app.data;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/** The Data view (being built). */
public final class DataView implements View {

    private final Label root = new Label("Data: not built yet");

    public DataView(WorkbenchState state) {
        root.getStyleClass().add("empty-state");
    }

    @Override
    public ViewId id() {
        return ViewId.DATA;
    }

    @Override
    public Node root() {
        return root;
    }
}
