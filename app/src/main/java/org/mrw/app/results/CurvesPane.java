package org.mrw.app.results;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.controlsfx.control.SegmentedButton;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.mrw.app.state.BackgroundWork;
import org.mrw.core.analysis.BudgetCurves;
import org.mrw.core.figure.Curve;
import org.mrw.core.figure.CurveFigure;
import org.mrw.core.figure.FigureStyle;
import org.mrw.core.figure.Platform;
import org.mrw.core.figure.ReportCurves;
import org.mrw.core.figure.RobustnessCurves;
import org.mrw.core.model.Variant;
import org.mrw.core.stats.Bootstrap;

/**
 * Robustness curves of a run in a ChartViewer, drawn by core's {@link RobustnessCurves} exactly as
 * exported, with the value (accuracy / success rate), float vs 8-bit, attack and source filters, the
 * layout (panels per framework, one plot, panels per deployment), bands on or off, and a checklist
 * that hides or shows each curve. An attack run unbounded (ε = ∞, Boundary) is drawn over the L2 budget
 * ({@link BudgetCurves}); those curves are computed in the background once per filter choice.
 */
final class CurvesPane extends BorderPane {

    private static final String ANY = "all";
    private static final float SCREEN_SCALE = 1.7f;

    private final ChartViewer viewer = new ChartViewer();
    private final ToggleButton accuracy = new ToggleButton("accuracy");
    private final ToggleButton success = new ToggleButton("success rate");
    private final ToggleButton floats = new ToggleButton("float");
    private final ToggleButton rounded = new ToggleButton("8-bit rounded");
    private final ComboBox<String> attack = new ComboBox<>();
    private final ComboBox<String> source = new ComboBox<>();
    private final ComboBox<String> layout = new ComboBox<>(FXCollections.observableArrayList(
            "panel per framework", "one plot", "panel per deployment"));
    private final CheckBox bands = new CheckBox("95 % bootstrap bands");
    private final ListView<Curve> series = new ListView<>();
    private final Set<String> hidden = new HashSet<>();
    private final Label empty = new Label();
    private RunResults results;
    private List<Curve> shown = List.of();
    private boolean updating;
    /** One source and one attack on screen: the target alone names a curve. */
    private boolean single;

    private final BackgroundWork work;
    /** Curves over the L2 budget per (run, value, rounding, attack, source), computed off the FX thread. */
    private final Map<List<Object>, List<Curve>> budgetCache = new HashMap<>();
    private final Set<List<Object>> budgetPending = new HashSet<>();
    /** Whether the curves on screen are over the L2 budget rather than ε. */
    private boolean overBudget;

    CurvesPane(BackgroundWork work) {
        this.work = work;
        getStyleClass().add("results-curves");
        SegmentedButton value = new SegmentedButton(accuracy, success);
        accuracy.setSelected(true);
        SegmentedButton version = new SegmentedButton(floats, rounded);
        floats.setSelected(true);
        accuracy.setId("curves-accuracy");
        success.setId("curves-success");
        rounded.setId("curves-rounded");
        attack.setId("curves-attack");
        source.setId("curves-source");
        series.setId("curves-series");
        layout.getSelectionModel().select(0);
        bands.setSelected(true);
        for (ToggleButton b : List.of(accuracy, success, floats, rounded)) {
            // a segmented pair never goes empty: clicking the selected one keeps it
            b.setOnMouseReleased(e -> b.setSelected(true));
            b.selectedProperty().addListener((o, a, n) -> update());
        }
        attack.valueProperty().addListener((o, a, n) -> update());
        source.valueProperty().addListener((o, a, n) -> update());
        layout.valueProperty().addListener((o, a, n) -> update());
        bands.selectedProperty().addListener((o, a, n) -> update());
        series.setCellFactory(l -> new SeriesCell());
        series.setPrefHeight(260);
        VBox.setVgrow(series, Priority.ALWAYS);

        VBox side = new VBox(6, section("Value"), value, section("Adversarials"), version,
                section("Attack"), attack, section("Source model"), source, section("Layout"), layout, bands,
                section("Curves (click to hide)"), series);
        side.setPadding(new Insets(8));
        side.setPrefWidth(280);
        side.getStyleClass().add("results-side");
        attack.setMaxWidth(Double.MAX_VALUE);
        source.setMaxWidth(Double.MAX_VALUE);
        layout.setMaxWidth(Double.MAX_VALUE);
        ScrollPane scroll = new ScrollPane(side);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        setRight(scroll);
        empty.getStyleClass().add("empty-state");
        empty.setWrapText(true);
        setCenter(viewer);
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("results-section");
        return l;
    }

    void show(RunResults r) {
        updating = true;
        results = r;
        hidden.clear();
        budgetCache.clear(); // a reloaded run may hold more rows than when these were computed
        attack.setItems(FXCollections.observableArrayList(withAny(r.attacks())));
        // one attack at a time by default: one curve per target
        attack.setValue(r.attacks().isEmpty() ? ANY : r.attacks().get(0));
        source.setItems(FXCollections.observableArrayList(withAny(r.sources())));
        source.setValue(ANY);
        rounded.setDisable(!r.hasRounded());
        if (!r.hasRounded()) {
            floats.setSelected(true);
        }
        updating = false;
        update();
    }

    private static List<String> withAny(List<String> values) {
        List<String> out = new ArrayList<>();
        out.add(ANY);
        out.addAll(values);
        return out;
    }

    /** The curves the filters give, hidden ones included (the checklist's items). */
    List<Curve> curves() {
        return List.copyOf(series.getItems());
    }

    /** The curves drawn. */
    List<Curve> shownCurves() {
        return shown;
    }

    JFreeChart chart() {
        return viewer.getChart();
    }

    void setSuccess(boolean s) {
        (s ? success : accuracy).setSelected(true);
    }

    private void update() {
        if (updating || results == null) {
            return;
        }
        boolean successRate = success.isSelected();
        ReportCurves.Filter filter = new ReportCurves.Filter(successRate, rounded.isSelected(),
                ANY.equals(attack.getValue()) ? null : attack.getValue(), ANY.equals(source.getValue()) ? null : source.getValue());
        List<Curve> all = ReportCurves.of(results.report().metrics(), filter);
        overBudget = false;
        if (all.isEmpty()) {
            CurveFigure figure = CurveFigure.defaults().withSuccess(successRate).withRounded(filter.rounded())
                    .withAttack(filter.attack()).withSource(filter.source());
            List<Object> key = java.util.Arrays.asList(results.ref(), successRate, filter.rounded(), filter.attack(), filter.source());
            List<Curve> budget = budgetCache.get(key);
            if (budget == null && results.conditions().stream().anyMatch(figure::acceptsUnbounded)) {
                computeBudget(key, figure);
                series.getItems().clear();
                shown = List.of();
                empty.setText("Computing accuracy over the L2 budget from the minimal adversarials…");
                setCenter(empty);
                return;
            }
            if (budget != null) {
                all = budget;
                overBudget = true;
            }
        }
        single = (results.sources().size() == 1 || filter.source() != null) && (results.attacks().size() == 1 || filter.attack() != null);
        series.getItems().setAll(all);
        shown = all.stream().filter(c -> !hidden.contains(c.label())).toList();
        if (shown.isEmpty()) {
            empty.setText(all.isEmpty() ? "No results match these filters: choose another attack or source."
                    : "Every curve is hidden: click one in the list on the right to show it.");
            setCenter(empty);
            return;
        }
        RobustnessCurves.Options options = RobustnessCurves.Options.defaults()
                .withYLabel(successRate ? RobustnessCurves.SUCCESS_RATE : RobustnessCurves.ACCURACY)
                .withXLabel(overBudget ? CurveFigure.BUDGET_AXIS : filter.rounded() ? CurveFigure.ROUNDED_AXIS : "ε (L∞)")
                .withEpsilonTicks(overBudget ? RobustnessCurves.EpsilonTicks.DECIMAL : RobustnessCurves.EpsilonTicks.PIXEL_LEVELS)
                .withUncertainty(bands.isSelected() ? RobustnessCurves.Uncertainty.BAND : RobustnessCurves.Uncertainty.NONE);
        JFreeChart chart = switch (layout.getSelectionModel().getSelectedIndex()) {
            case 1 -> RobustnessCurves.overlay(shown, options);
            case 2 -> RobustnessCurves.grouped(shown, RobustnessCurves.Grouping.DEPLOYMENT, options);
            default -> RobustnessCurves.grouped(shown, RobustnessCurves.Grouping.FRAMEWORK, options);
        };
        viewer.setChart(ScreenCharts.enlarge(chart, SCREEN_SCALE));
        setCenter(viewer);
    }

    /** Starts the budget curves of {@code key} in the background; the view redraws when they arrive. */
    private void computeBudget(List<Object> key, CurveFigure figure) {
        if (!budgetPending.add(key)) {
            return;
        }
        RunResults on = results;
        work.submit("L2-budget curves", (progress, cancel) ->
                        figure.budgetCurves(on.rows(), Bootstrap.seeded(RunResults.BOOTSTRAP_SEED)))
                .whenComplete((curves, e) -> BackgroundWork.fx(() -> {
                    budgetPending.remove(key);
                    if (results != on) {
                        return; // another run is shown now
                    }
                    if (e != null) {
                        empty.setText("Could not compute the curves over the L2 budget: " + e.getMessage());
                        setCenter(empty);
                        return;
                    }
                    budgetCache.put(key, curves);
                    update();
                }));
    }

    /** Whether the curves on screen are over the L2 budget (an unbounded attack) rather than ε. */
    boolean overBudget() {
        return overBudget;
    }

    /** A curve's entry: its swatch (colour, dash, marker as in the chart), its label, shown or hidden. */
    private final class SeriesCell extends ListCell<Curve> {
        SeriesCell() {
            setOnMouseClicked(e -> {
                Curve c = getItem();
                if (c != null && !hidden.remove(c.label())) {
                    hidden.add(c.label());
                }
                if (c != null) {
                    update();
                }
            });
        }

        @Override
        protected void updateItem(Curve c, boolean isEmpty) {
            super.updateItem(c, isEmpty);
            if (isEmpty || c == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            boolean off = hidden.contains(c.label());
            int arrow = c.label().indexOf(" ← ");
            setText(single && arrow > 0 ? c.label().substring(0, arrow) : c.label());
            setTooltip(new javafx.scene.control.Tooltip(c.label() + " · " + c.deployment() + (off ? " (hidden)" : "")));
            setGraphic(swatch(c, off));
            setOpacity(off ? 0.45 : 1);
        }
    }

    static Canvas swatch(Curve c, boolean off) {
        Canvas canvas = new Canvas(30, 14);
        GraphicsContext g = canvas.getGraphicsContext2D();
        java.awt.Color awt = FigureStyle.colour(c.framework());
        Color colour = off ? Color.gray(0.7) : Color.rgb(awt.getRed(), awt.getGreen(), awt.getBlue());
        g.setStroke(colour);
        g.setFill(colour);
        g.setLineWidth(2);
        if (c.variant() == Variant.INT8) {
            g.setLineDashes(5, 3);
        }
        g.strokeLine(1, 7, 29, 7);
        g.setLineDashes();
        Rectangle2D box = new Rectangle2D.Double(10, 2, 10, 10);
        if (c.platform() == Platform.MOBILE) {
            g.fillRect(box.getX() + 0.5, box.getY() + 0.5, 9, 9);
        } else if (c.platform() == Platform.HOST_DEVICE) {
            g.fillPolygon(new double[] {15, 20.5, 9.5}, new double[] {1.5, 12, 12}, 3);
        } else {
            g.fillOval(box.getX(), box.getY(), 10, 10);
        }
        return canvas;
    }
}
