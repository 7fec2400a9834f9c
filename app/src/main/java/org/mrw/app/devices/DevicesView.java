package org.mrw.app.devices;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import org.mrw.app.shell.Fxml;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;

/**
 * The Devices view: a card per device — the host device always, then each phone adb sees — with what it
 * is, the runtimes its agent reports, the agent's state, the last measured throughput, deploy / start /
 * stop / benchmark, and the agent's log tail. Without adb it says what to install and still shows the
 * host device.
 */
public final class DevicesView implements View {

    private final DevicesViewModel model;
    private final WorkbenchState state;
    private final BorderPane root;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private boolean refreshedOnce;

    @FXML
    private FlowPane cardPane;
    @FXML
    private Label adbProblem;
    @FXML
    private Label count;
    @FXML
    private Button refresh;

    public DevicesView(WorkbenchState state) {
        this(state, System.getenv());
    }

    /** @param environment where adb is looked up (tests pass one without adb) */
    public DevicesView(WorkbenchState state, Map<String, String> environment) {
        this.state = state;
        this.model = new DevicesViewModel(state, environment);
        root = Fxml.load(this, "Devices.fxml", "devices.css");
        model.cards().addListener((ListChangeListener<DeviceCardModel>) c -> rebuild());
        model.adbProblemProperty().addListener((o, a, b) -> showAdbProblem(b));
        rebuild();
    }

    private void showAdbProblem(String problem) {
        boolean show = problem != null;
        adbProblem.setVisible(show);
        adbProblem.setManaged(show);
        adbProblem.setText(show ? "No phones: " + problem + ".\nTo use a phone: sudo apt install adb, plug the phone in with "
                + "USB debugging on, then Refresh. The host device works without adb." : "");
    }

    private void rebuild() {
        cardPane.getChildren().setAll(model.cards().stream().map(c -> new DeviceCard(c, state.models())).toList());
        int phones = model.cards().size() - 1;
        count.setText("host device" + (phones == 0 ? ", no phones" : " and " + phones + (phones == 1 ? " phone" : " phones")));
    }

    @FXML
    private void refresh() {
        refresh.setDisable(true);
        model.refresh().whenComplete((cards, e) -> {
            refresh.setDisable(false);
            ready.complete(null);
        });
    }

    /** The view's state (tests drive it). */
    public DevicesViewModel model() {
        return model;
    }

    @Override
    public ViewId id() {
        return ViewId.DEVICES;
    }

    @Override
    public Node root() {
        return root;
    }

    /** Looks for devices the first time the view shows. */
    @Override
    public void shown() {
        refreshOnce();
    }

    /** Looks for devices unless that was done already (the shell calls it at start for the device count). */
    public void refreshOnce() {
        if (!refreshedOnce) {
            refreshedOnce = true;
            refresh();
        }
    }

    /** Completes after the first device listing (the host card is there from the start). */
    @Override
    public CompletionStage<?> ready() {
        return ready;
    }
}
