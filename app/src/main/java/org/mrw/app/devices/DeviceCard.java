package org.mrw.app.devices;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.mrw.app.state.ModelEntry;

/** The card of one device: binds a {@link DeviceCardModel} and forwards the buttons to it. */
final class DeviceCard extends VBox {

    DeviceCard(DeviceCardModel model, List<ModelEntry> models) {
        getStyleClass().addAll("card", "device-card");
        setSpacing(6);
        setId("device-" + model.serial());

        Label title = new Label();
        title.getStyleClass().add("device-title");
        title.textProperty().bind(model.titleProperty());
        Label state = new Label();
        state.setId("agent-state-" + model.serial());
        state.getStyleClass().add("agent-state");
        state.textProperty().bind(Bindings.createStringBinding(() -> "agent " + model.agentStateProperty().get().label(),
                model.agentStateProperty()));
        model.agentStateProperty().addListener((o, a, b) -> styleState(state, b));
        styleState(state, model.agentStateProperty().get());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(8, title, grow, state);
        head.setAlignment(Pos.CENTER_LEFT);

        VBox details = lines(model.detailsProperty(), "details-" + model.serial());
        VBox runtimes = lines(model.runtimesProperty(), "runtimes-" + model.serial());
        Label throughput = new Label();
        throughput.getStyleClass().add("device-throughput");
        throughput.textProperty().bind(model.throughputProperty());
        throughput.setWrapText(true);
        Label detail = new Label();
        detail.setId("state-detail-" + model.serial());
        detail.textProperty().bind(model.stateDetailProperty());
        detail.setWrapText(true);
        detail.getStyleClass().add("view-subtitle");

        Button deploy = button("Deploy", "Copy the agent to the device (unchanged files are skipped)", model, "deploy");
        deploy.setOnAction(e -> model.deploy());
        Button start = button("Start", "Deploy if needed, start the agent and ask it for its runtimes", model, "start");
        start.setOnAction(e -> model.start());
        Button stop = button("Stop", "Shut the agent down", model, "stop");
        stop.setOnAction(e -> model.stop());
        Button bench = button("Benchmark", "Time the chosen zoo model in the agent (a few seconds)", model, "benchmark");
        bench.setOnAction(e -> model.benchmark());
        start.disableProperty().bind(model.busyProperty().or(model.agentStateProperty().isEqualTo(DeviceCardModel.AgentState.RUNNING)));
        stop.disableProperty().bind(model.busyProperty().or(model.agentStateProperty().isNotEqualTo(DeviceCardModel.AgentState.RUNNING)));
        deploy.disableProperty().bind(model.busyProperty());
        bench.disableProperty().bind(model.busyProperty());

        // the benchmark runs what an agent runs: TFLite and PyTorch Mobile (lite) files of the zoo
        ComboBox<String> benchModel = new ComboBox<>();
        models.stream().map(ModelEntry::id).filter(id -> id.endsWith("_tflite") || id.endsWith("_ptl")).forEach(benchModel.getItems()::add);
        if (!benchModel.getItems().contains(model.benchmarkModelProperty().get()) && !benchModel.getItems().isEmpty()) {
            model.benchmarkModelProperty().set(benchModel.getItems().get(0));
        }
        benchModel.valueProperty().bindBidirectional(model.benchmarkModelProperty());
        benchModel.setTooltip(new Tooltip("Zoo model the benchmark times"));
        benchModel.disableProperty().bind(model.busyProperty());
        HBox buttons = new HBox(6, deploy, start, stop, bench);
        buttons.setAlignment(Pos.CENTER_LEFT);
        for (Button b : List.of(deploy, start, stop, bench)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        Label benchLabel = new Label("Benchmark model");
        benchLabel.getStyleClass().add("device-line");
        HBox benchRow = new HBox(8, benchLabel, benchModel);
        benchRow.setAlignment(Pos.CENTER_LEFT);

        ProgressBar progress = new ProgressBar();
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(model.progressProperty());
        progress.visibleProperty().bind(model.busyProperty());
        progress.managedProperty().bind(model.busyProperty());

        TextArea log = new TextArea();
        log.setId("log-" + model.serial());
        log.getStyleClass().add("agent-log");
        log.setEditable(false);
        log.setWrapText(true);
        log.setPrefRowCount(6);
        log.setPromptText("The agent's log appears here once it has started.");
        model.logProperty().addListener((o, a, b) -> {
            log.setText(b);
            log.positionCaret(b.length());
            log.setScrollTop(Double.MAX_VALUE);
        });
        Button refreshLog = new Button("↻");
        refreshLog.setTooltip(new Tooltip("Read the log again"));
        refreshLog.setOnAction(e -> model.refreshLog());
        Label logTitle = section("AGENT LOG");
        Region g2 = new Region();
        HBox.setHgrow(g2, Priority.ALWAYS);
        HBox logHead = new HBox(6, logTitle, g2, refreshLog);
        logHead.setAlignment(Pos.CENTER_LEFT);

        getChildren().addAll(head, details, section("RUNTIMES"), runtimes, section("LAST MEASURED THROUGHPUT"), throughput,
                benchRow, buttons, progress, detail, logHead, log);
    }

    /** A column of one-line labels showing a multi-line text property; {@code id} goes on the column. */
    private static VBox lines(javafx.beans.property.StringProperty text, String id) {
        VBox box = new VBox(1);
        box.setId(id);
        Runnable fill = () -> box.getChildren().setAll(text.get() == null ? List.of()
                : text.get().lines().map(line -> {
                    Label l = new Label(line);
                    l.getStyleClass().add("device-line");
                    return l;
                }).toList());
        text.addListener((o, a, b) -> fill.run());
        fill.run();
        return box;
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("device-section");
        return l;
    }

    private static Button button(String text, String tip, DeviceCardModel model, String action) {
        Button b = new Button(text);
        b.setId(action + "-" + model.serial());
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    private static void styleState(Label label, DeviceCardModel.AgentState s) {
        label.getStyleClass().removeIf(c -> c.startsWith("agent-state-"));
        label.getStyleClass().add("agent-state-" + s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
}
