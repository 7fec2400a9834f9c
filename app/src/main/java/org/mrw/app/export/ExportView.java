package org.mrw.app.export;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/** The Export view (being built). */
public final class ExportView implements View {

    private final Label root = new Label("Export: not built yet");

    public ExportView(WorkbenchState state) {
        root.getStyleClass().add("empty-state");
    }

    @Override
    public ViewId id() {
        return ViewId.EXPORT;
    }

    @Override
    public Node root() {
        return root;
    }
}
