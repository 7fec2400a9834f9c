package org.mrw.app.models;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/** The Models view (being built). */
public final class ModelsView implements View {

    private final Label root = new Label("Models: not built yet");

    public ModelsView(WorkbenchState state) {
        root.getStyleClass().add("empty-state");
    }

    @Override
    public ViewId id() {
        return ViewId.MODELS;
    }

    @Override
    public Node root() {
        return root;
    }
}
