package org.mrw.app.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.mrw.core.analysis.Comparison;
import org.mrw.core.analysis.Condition;

/**
 * The run's paired tests ({@link org.mrw.core.analysis.Comparisons}): per pair of targets and condition,
 * n, both accuracies, McNemar's test on correctness and Wilcoxon's on margins, each method named.
 */
final class ComparisonsPane extends BorderPane {

    private final ComboBox<Condition> condition = new ComboBox<>();
    private final TableView<Comparison> table = new TableView<>();
    private RunResults results;

    ComparisonsPane() {
        table.setId("comparisons-table");
        condition.setId("comparisons-condition");
        condition.setCellFactory(l -> FlipMatrixPane.conditionCell());
        condition.setButtonCell(FlipMatrixPane.conditionCell());
        condition.setPromptText("all conditions");
        condition.valueProperty().addListener((o, a, n) -> refilter());
        Label note = new Label("Paired on the images both targets judged; p two-sided, not corrected for multiple tests.");
        note.getStyleClass().add("view-subtitle");
        HBox bar = new HBox(8, new Label("Condition"), condition, note);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        setTop(bar);
        table.getColumns().addAll(List.of(
                text("target A", 130, Comparison::targetA),
                text("target B", 130, Comparison::targetB),
                text("condition", 250, c -> Epsilons.condition(c.condition())
                        + (results != null && results.repetitions().size() > 1 ? " · rep " + (c.repetition() + 1) : "")),
                text("n", 50, c -> Integer.toString(c.n())),
                text("acc. A", 64, c -> pct(c.accuracyA())),
                text("acc. B", 64, c -> pct(c.accuracyB())),
                text("McNemar", 190, c -> c.mcnemar().method()),
                text("statistic", 74, c -> String.format(Locale.ROOT, "%.3g", c.mcnemar().statistic())),
                pColumn("p", c -> c.mcnemar().pValue()),
                text("Wilcoxon (margins)", 150, c -> c.wilcoxon().method()),
                pColumn("p (Wilcoxon)", c -> c.wilcoxon().pValue())));
        table.setPlaceholder(new Label("No paired tests: the run has no two targets judging the same adversarials."));
        setCenter(table);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    private TableColumn<Comparison, String> text(String title, double width, Function<Comparison, String> value) {
        TableColumn<Comparison, String> col = new TableColumn<>(title);
        col.setCellValueFactory(c -> new ReadOnlyStringWrapper(value.apply(c.getValue())));
        col.setPrefWidth(width);
        col.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                setTooltip(empty || getTableRow() == null || getTableRow().getItem() == null ? null
                        : new Tooltip(getTableRow().getItem().method()));
            }
        });
        return col;
    }

    /** p-values below 0.05 in bold: a reading aid, not a verdict (no multiple-test correction). */
    private TableColumn<Comparison, String> pColumn(String title, Function<Comparison, Double> p) {
        TableColumn<Comparison, String> col = new TableColumn<>(title);
        col.setCellValueFactory(c -> new ReadOnlyStringWrapper(FlipMatrixPane.pValue(p.apply(c.getValue()))));
        col.setPrefWidth(80);
        col.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                Comparison row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setStyle(row != null && p.apply(row) < 0.05 ? "-fx-font-weight: bold;" : "");
            }
        });
        return col;
    }

    void show(RunResults r) {
        results = r;
        List<Condition> conditions = new ArrayList<>();
        conditions.add(null);
        r.report().comparisons().stream().map(Comparison::condition).distinct().forEach(conditions::add);
        condition.setItems(FXCollections.observableArrayList(conditions));
        condition.setValue(r.defaultMatrixCondition().filter(conditions::contains).orElse(null));
        refilter();
    }

    void select(Condition c) {
        if (condition.getItems().contains(c)) {
            condition.setValue(c);
        }
    }

    TableView<Comparison> table() {
        return table;
    }

    private void refilter() {
        if (results == null) {
            return;
        }
        Condition c = condition.getValue();
        table.getItems().setAll(results.report().comparisons().stream().filter(x -> c == null || x.condition().equals(c)).toList());
    }
}
