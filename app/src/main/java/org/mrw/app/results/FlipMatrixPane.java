package org.mrw.app.results;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import javafx.collections.FXCollections;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.mrw.core.analysis.Comparison;
import org.mrw.core.analysis.Condition;
import org.mrw.core.analysis.FlipMatrix;

/**
 * The flip matrix of one condition: cell (row, column) counts the images right on the row's target and
 * wrong on the column's, shaded by count; the tooltip gives McNemar's test of the pair from the run's
 * comparisons. Clicking a cell shows those images in the flipped-samples table.
 */
final class FlipMatrixPane extends BorderPane {

    private final ComboBox<Condition> condition = new ComboBox<>();
    private final ComboBox<Integer> repetition = new ComboBox<>();
    private final GridPane grid = new GridPane();
    private final Label detail = new Label("Hover over a cell for its paired test; click it to list its images.");
    private final BiConsumer<Condition, String> openFlips;
    private RunResults results;
    private FlipMatrix matrix;

    /** @param openFlips shows the flipped table for a condition and the target the images flipped on */
    FlipMatrixPane(BiConsumer<Condition, String> openFlips) {
        this.openFlips = openFlips;
        getStyleClass().add("results-matrix");
        condition.setId("matrix-condition");
        condition.setCellFactory(l -> conditionCell());
        condition.setButtonCell(conditionCell());
        condition.valueProperty().addListener((o, a, n) -> update());
        repetition.valueProperty().addListener((o, a, n) -> update());
        repetition.setCellFactory(l -> repetitionCell());
        repetition.setButtonCell(repetitionCell());
        Label explain = new Label("Cell: images right on the row's target and wrong on the column's, of the images both judged.");
        explain.getStyleClass().add("view-subtitle");
        explain.setWrapText(true);
        HBox bar = new HBox(8, new Label("Condition"), condition, new Label("repetition"), repetition);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(6, bar, explain);
        top.setPadding(new Insets(8, 8, 4, 8));
        setTop(top);
        grid.setHgap(3);
        grid.setVgap(3);
        grid.setPadding(new Insets(8));
        grid.setId("flip-matrix");
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        setCenter(scroll);
        detail.setId("matrix-detail");
        detail.setWrapText(true);
        detail.setPadding(new Insets(6, 8, 8, 8));
        setBottom(detail);
    }

    private static ListCell<Integer> repetitionCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(Integer r, boolean empty) {
                super.updateItem(r, empty);
                setText(r == null ? null : Integer.toString(r + 1)); // people count repetitions from 1
            }
        };
    }

    static ListCell<Condition> conditionCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(Condition c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty && c != null ? null : Epsilons.condition(c));
            }
        };
    }

    void show(RunResults r) {
        results = r;
        matrix = null;
        repetition.setItems(FXCollections.observableArrayList(r.repetitions()));
        repetition.setValue(r.repetitions().get(0));
        repetition.setDisable(r.repetitions().size() < 2);
        condition.setItems(FXCollections.observableArrayList(r.conditions()));
        condition.setValue(r.defaultMatrixCondition().orElse(null));
        update();
    }

    void select(Condition c) {
        condition.setValue(c);
    }

    FlipMatrix matrix() {
        return matrix;
    }

    private void update() {
        grid.getChildren().clear();
        if (results == null || condition.getValue() == null || repetition.getValue() == null) {
            return;
        }
        matrix = results.matrix(condition.getValue(), repetition.getValue()).orElse(null);
        if (matrix == null) {
            detail.setText("No target judged " + Epsilons.condition(condition.getValue()) + " in repetition "
                    + (repetition.getValue() + 1) + ".");
            return;
        }
        List<String> targets = matrix.targets();
        Label corner = new Label("right on ↓ · wrong on →");
        corner.getStyleClass().add("matrix-corner");
        grid.add(corner, 0, 0);
        for (int j = 0; j < targets.size(); j++) {
            // long ids break after their last underscore, not inside a word
            String id = targets.get(j);
            int cut = id.lastIndexOf('_');
            Label h = new Label(id.length() > 14 && cut > 0 ? id.substring(0, cut + 1) + "\n" + id.substring(cut + 1) : id);
            h.getStyleClass().add("matrix-header");
            h.setWrapText(true);
            h.setMaxWidth(124);
            GridPane.setHalignment(h, HPos.CENTER);
            grid.add(h, j + 1, 0);
        }
        int max = Math.max(1, matrix.max());
        for (int i = 0; i < targets.size(); i++) {
            Label h = new Label(targets.get(i));
            h.getStyleClass().add("matrix-header");
            grid.add(h, 0, i + 1);
            for (int j = 0; j < targets.size(); j++) {
                grid.add(cell(i, j, max), j + 1, i + 1);
            }
        }
    }

    private Label cell(int i, int j, int max) {
        Label cell = new Label();
        cell.setId("flip-cell-" + i + "-" + j);
        cell.getStyleClass().add("matrix-cell");
        cell.setPrefSize(124, 44);
        cell.setMinSize(60, 36);
        cell.setAlignment(Pos.CENTER);
        if (i == j) {
            cell.setText("—");
            cell.getStyleClass().add("matrix-diagonal");
            return cell;
        }
        int count = matrix.count(i, j);
        cell.setText(Integer.toString(count));
        double shade = count == 0 ? 0 : 0.12 + 0.78 * count / max;
        // the flip colour (vermillion) at an opacity that grows with the count; flips are red everywhere
        cell.setStyle(String.format(Locale.ROOT, "-fx-background-color: rgba(213, 94, 0, %.3f);%s", shade,
                shade > 0.5 ? " -fx-text-fill: white;" : ""));
        String tip = tooltip(i, j);
        Tooltip t = new Tooltip(tip);
        t.setShowDelay(Duration.millis(150));
        t.setShowDuration(Duration.seconds(30));
        Tooltip.install(cell, t);
        cell.setOnMouseEntered(e -> detail.setText(tip));
        cell.setOnMouseClicked(e -> openFlips.accept(matrix.condition(), matrix.targets().get(j)));
        return cell;
    }

    /** The cell's count in words and the pair's McNemar test from the run's comparisons. */
    String tooltip(int i, int j) {
        String a = matrix.targets().get(i);
        String b = matrix.targets().get(j);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d of %d images right on %s and wrong on %s (%s)",
                matrix.count(i, j), matrix.judged()[i][j], a, b, Epsilons.condition(matrix.condition())));
        Optional<Comparison> c = matrix.comparison(results.report().comparisons(), i, j);
        if (c.isPresent()) {
            var m = c.get().mcnemar();
            s.append(String.format(Locale.ROOT, "%n%s: p = %s (discordant pairs %d vs %d, n = %d)",
                    m.method(), pValue(m.pValue()), matrix.count(i, j), matrix.count(j, i), m.n()));
        } else {
            s.append("\nNo paired test: the run compares only targets that judged the same source's adversarials.");
        }
        return s.toString();
    }

    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "—";
        }
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }
}
