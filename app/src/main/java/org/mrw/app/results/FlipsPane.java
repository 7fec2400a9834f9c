package org.mrw.app.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.mrw.core.analysis.Condition;
import org.mrw.core.analysis.FlippedSamples;

/**
 * The flipped samples of a run, filterable by the target they flipped, their class and the condition;
 * each target's prediction in its own column, red where it flipped. Selecting a row opens the
 * {@link InspectorPane} beside the table.
 */
final class FlipsPane extends BorderPane {

    private final ComboBox<String> target = new ComboBox<>();
    private final ComboBox<Integer> label = new ComboBox<>();
    private final ComboBox<Condition> condition = new ComboBox<>();
    private final TableView<FlippedSamples.Sample> table = new TableView<>();
    private final Label count = new Label();
    private final InspectorPane inspector;
    private final SplitPane split = new SplitPane();
    private RunResults results;
    private boolean updating;

    FlipsPane(InspectorPane inspector) {
        this.inspector = inspector;
        getStyleClass().add("results-flips");
        target.setId("flips-target");
        label.setId("flips-class");
        condition.setId("flips-condition");
        table.setId("flips-table");
        count.setId("flips-count");
        target.setCellFactory(l -> textCell(t -> t == null ? "any target" : t));
        target.setButtonCell(textCell(t -> t == null ? "any target" : t));
        label.setCellFactory(l -> textCell(this::classText));
        label.setButtonCell(textCell(this::classText));
        condition.setCellFactory(l -> FlipMatrixPane.conditionCell());
        condition.setButtonCell(FlipMatrixPane.conditionCell());
        // a combo box shows its prompt, not its button cell, while its value is null ("any")
        target.setPromptText("any target");
        label.setPromptText("any class");
        condition.setPromptText("all conditions");
        target.valueProperty().addListener((o, a, n) -> refilter());
        label.valueProperty().addListener((o, a, n) -> refilter());
        condition.valueProperty().addListener((o, a, n) -> refilter());
        HBox bar = new HBox(8, new Label("Flipped on"), target, new Label("class"), label, new Label("condition"), condition, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        HBox.setHgrow(count, Priority.ALWAYS);
        count.setMaxWidth(Double.MAX_VALUE);
        count.setAlignment(Pos.CENTER_RIGHT);
        count.getStyleClass().add("view-subtitle");
        setTop(bar);
        table.setPlaceholder(new Label("No image flipped a target under these filters: widen them."));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            if (s != null && results != null) {
                openInspector(s);
            }
        });
        split.getItems().setAll(table);
        setCenter(split);
    }

    private String classText(Integer l) {
        return l == null ? "any class" : l + " · " + results.className(l);
    }

    private static <T> ListCell<T> textCell(java.util.function.Function<T, String> text) {
        return new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                // a combo box's button cell is "empty" while its value is null: show what null means
                setText(empty && item != null ? null : text.apply(item));
            }
        };
    }

    void show(RunResults r) {
        updating = true;
        results = r;
        List<String> targets = new ArrayList<>();
        targets.add(null);
        targets.addAll(r.targets());
        target.setItems(FXCollections.observableArrayList(targets));
        target.setValue(null);
        List<Integer> labels = new ArrayList<>();
        labels.add(null);
        r.flipped().stream().map(FlippedSamples.Sample::label).distinct().sorted().forEach(labels::add);
        label.setItems(FXCollections.observableArrayList(labels));
        label.setValue(null);
        List<Condition> conditions = new ArrayList<>();
        conditions.add(null);
        conditions.addAll(r.attackConditions());
        condition.setItems(FXCollections.observableArrayList(conditions));
        condition.setValue(null);
        buildColumns();
        split.getItems().setAll(table);
        updating = false;
        refilter();
    }

    /** Shows the images of one condition that flipped {@code flippedOn} (the flip matrix's cell click). */
    void filter(Condition c, String flippedOn) {
        updating = true;
        condition.setValue(c.clean() ? null : c);
        target.setValue(flippedOn);
        updating = false;
        refilter();
    }

    void setTarget(String t) {
        target.setValue(t);
    }

    TableView<FlippedSamples.Sample> table() {
        return table;
    }

    private void refilter() {
        if (updating || results == null) {
            return;
        }
        FlippedSamples.Filter f = new FlippedSamples.Filter(target.getValue(), label.getValue(), condition.getValue());
        List<FlippedSamples.Sample> rows = FlippedSamples.filter(results.flipped(), f);
        table.getItems().setAll(rows);
        count.setText(String.format(Locale.ROOT, "%d of %d flipped images", rows.size(), results.flipped().size()));
    }

    private void buildColumns() {
        table.getColumns().clear();
        TableColumn<FlippedSamples.Sample, Integer> sample = new TableColumn<>("sample");
        sample.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().sample()));
        sample.setPrefWidth(62);
        TableColumn<FlippedSamples.Sample, String> lab = new TableColumn<>("label");
        lab.setCellValueFactory(c -> new ReadOnlyStringWrapper(results.className(c.getValue().label())));
        lab.setPrefWidth(90);
        TableColumn<FlippedSamples.Sample, String> cond = new TableColumn<>("condition");
        cond.setCellValueFactory(c -> new ReadOnlyStringWrapper(Epsilons.shortCondition(c.getValue().condition(),
                results.sources().size() > 1) + (results.repetitions().size() > 1 ? " · rep " + (c.getValue().repetition() + 1) : "")));
        cond.setPrefWidth(results.sources().size() > 1 ? 260 : 160);
        table.getColumns().add(sample);
        table.getColumns().add(lab);
        table.getColumns().add(cond);
        for (String t : results.targets()) {
            TableColumn<FlippedSamples.Sample, FlippedSamples.Judgement> col = new TableColumn<>(t);
            col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().judgement(t).orElse(null)));
            col.setCellFactory(c -> new JudgementCell());
            col.setPrefWidth(126);
            table.getColumns().add(col);
        }
    }

    private void openInspector(FlippedSamples.Sample s) {
        if (split.getItems().size() == 1) {
            split.getItems().add(inspector);
            split.setDividerPositions(0.47);
        }
        inspector.inspect(results, s);
    }

    /** A target's prediction: red when it flipped, muted when the target was wrong on the clean image too. */
    private final class JudgementCell extends TableCell<FlippedSamples.Sample, FlippedSamples.Judgement> {
        @Override
        protected void updateItem(FlippedSamples.Judgement j, boolean empty) {
            super.updateItem(j, empty);
            getStyleClass().removeAll("flip-cell", "hold", "prediction-wrong");
            if (empty || j == null) {
                setText(null);
                return;
            }
            setText(results.className(j.prediction()));
            if (j.flipped()) {
                getStyleClass().add("flip-cell");
            } else if (!j.correct()) {
                getStyleClass().add("prediction-wrong");
            } else {
                getStyleClass().add("hold");
            }
        }
    }
}
