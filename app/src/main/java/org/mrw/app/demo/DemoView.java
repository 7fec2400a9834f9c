package org.mrw.app.demo;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/** The Demo view (being built). */
public final class DemoView implements View {

    private final Label root = new Label("Demo: not built yet");

    public DemoView(WorkbenchState state) {
        root.getStyleClass().add("empty-state");
    }

    @Override
    public ViewId id() {
        return ViewId.DEMO;
    }

    @Override
    public Node root() {
        return root;
    }
}
