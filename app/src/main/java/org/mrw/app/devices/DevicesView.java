package org.mrw.app.devices;

import javafx.scene.Node;
import javafx.scene.control.Label;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/** The Devices view (being built). */
public final class DevicesView implements View {

    private final Label root = new Label("Devices: not built yet");

    public DevicesView(WorkbenchState state) {
        root.getStyleClass().add("empty-state");
    }

    @Override
    public ViewId id() {
        return ViewId.DEVICES;
    }

    @Override
    public Node root() {
        return root;
    }
}
