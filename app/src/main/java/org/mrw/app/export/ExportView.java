package org.mrw.app.export;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import javafx.beans.Observable;
import javafx.embed.swing.SwingFXUtils;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.StringConverter;
import org.mrw.app.shell.Fxml;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.RunRef;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.analysis.RunReport;
import org.mrw.core.data.Dataset;
import org.mrw.core.figure.AdversarialExport;
import org.mrw.core.figure.CurveFigure;
import org.mrw.core.figure.Drawing;
import org.mrw.core.figure.FigureExport;
import org.mrw.core.figure.FigureSize;
import org.mrw.core.figure.ImageGrid;
import org.mrw.core.figure.ReportTables;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.figure.RobustnessCurves;
import org.mrw.core.figure.Tables;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.RunAdversarials;
import org.mrw.core.store.RunBundle;
import org.mrw.core.store.RunInfo;
import org.mrw.core.store.SqliteResultsStore;

/**
 * The Export view: the shown run's robustness curves as SVG / PDF / PNG at a paper preset, its metrics
 * table as CSV or LaTeX (booktabs), its adversarial images (a sheet, one PNG per image, or NPY), or the
 * whole run as a bundle. The preview renders exactly the chosen output (off the FX thread, latest
 * choice wins); writes run in the background and say what and where when they fail.
 */
public final class ExportView implements View {

    /** What to export. */
    enum Kind {
        CURVES("Robustness curves (figure)"), TABLE("Metrics table"), IMAGES("Adversarial images"), BUNDLE("Run bundle (zip)");

        final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    /** Paper and slide sizes. */
    enum Preset {
        SINGLE("Single column (3.5 in)", FigureSize.SINGLE_COLUMN), DOUBLE("Double column (7 in)", FigureSize.DOUBLE_COLUMN),
        SLIDE("Slide 16:9 (10 in)", FigureSize.SLIDE);

        final String title;
        final FigureSize size;

        Preset(String title, FigureSize size) {
            this.title = title;
            this.size = size;
        }
    }

    /** How adversarial images are written. */
    enum ImageFormat {
        SHEET("PNG sheet (original, perturbation, adversarial)"), PNGS("PNG per image (a folder)"), NPY("NPY (float32, n×c×h×w)");

        final String title;

        ImageFormat(String title) {
            this.title = title;
        }
    }

    /** The run's data the choices are built from (loaded in the background). */
    record RunData(RunRef ref, RunInfo info, List<ResultRow> rows, RunReport report, List<RunAdversarials.Unit> units,
                   int[] indices, List<String> targets, List<String> attacks, List<String> sources) {
    }

    /** Everything the user chose, taken on the FX thread, used off it. */
    record Choice(Kind kind, CurveFigure figure, Preset preset, FigureExport.Format figureFormat, double dpi, boolean latex,
                  RunAdversarials.Unit unit, String target, boolean imageRounded, int imageCount, ImageFormat imageFormat,
                  RunBundle.Contents contents, Path file) {
    }

    /** A rendered preview: a picture, a text, and a caption. */
    private record Preview(BufferedImage image, String text, String caption) {
    }

    private static final String ALL = "all";
    private static final double SCREEN_DPI = 150;

    private final WorkbenchState state;
    private final BorderPane root;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private RunData data;
    private CompletableFuture<Dataset> dataset;
    private long generation;
    private boolean previewRunning;
    private boolean previewAgain;
    private boolean suggestName = true;
    private CompletableFuture<Path> lastExport = CompletableFuture.completedFuture(null);

    @FXML private Label runLabel;
    @FXML private VBox form;
    @FXML private ChoiceBox<Kind> kind;
    @FXML private GridPane figureOptions;
    @FXML private ChoiceBox<String> value;
    @FXML private ChoiceBox<String> grouping;
    @FXML private ChoiceBox<String> attack;
    @FXML private ChoiceBox<String> source;
    @FXML private ChoiceBox<RobustnessCurves.EpsilonTicks> ticks;
    @FXML private ChoiceBox<RobustnessCurves.Uncertainty> uncertainty;
    @FXML private CheckBox figureRounded;
    @FXML private ChoiceBox<Preset> size;
    @FXML private ChoiceBox<FigureExport.Format> figureFormat;
    @FXML private Spinner<Integer> dpi;
    @FXML private GridPane tableOptions;
    @FXML private ChoiceBox<String> tableFormat;
    @FXML private GridPane imageOptions;
    @FXML private ChoiceBox<RunAdversarials.Unit> unit;
    @FXML private ChoiceBox<String> target;
    @FXML private CheckBox imageRounded;
    @FXML private Spinner<Integer> imageCount;
    @FXML private ChoiceBox<ImageFormat> imageFormat;
    @FXML private VBox bundleOptions;
    @FXML private CheckBox bundleDatabase;
    @FXML private CheckBox bundleRows;
    @FXML private CheckBox bundleAdversarials;
    @FXML private CheckBox bundleReport;
    @FXML private TextField folder;
    @FXML private Button chooseFolder;
    @FXML private TextField fileName;
    @FXML private Button exportButton;
    @FXML private ProgressIndicator busy;
    @FXML private Label status;
    @FXML private Label previewCaption;
    @FXML private StackPane previewPane;
    @FXML private ImageView preview;
    @FXML private TextArea previewText;
    @FXML private Label empty;

    public ExportView(WorkbenchState state) {
        this.state = state;
        root = Fxml.load(this, "Export.fxml", "export.css");
        setUpControls();
        state.runProperty().addListener((o, a, b) -> load(b));
        if (state.runProperty().get() != null) {
            load(state.runProperty().get());
        } else {
            showEmpty("Preparing the example run (ResNet in every runtime, FGSM and BIM, 100 images; about a minute the first time)."
                    + " Run an experiment of your own to export it instead.");
            state.exampleRun().whenComplete((r, error) -> BackgroundWork.fx(() -> {
                if (error != null && data == null) {
                    showError("The example run could not be made: " + message(error) + ". Run an experiment, then come back to export it.");
                    ready.completeExceptionally(error);
                }
            }));
        }
    }

    @Override
    public ViewId id() {
        return ViewId.EXPORT;
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public CompletionStage<?> ready() {
        return ready;
    }

    /** Whether a preview is being rendered (tests wait for it to settle before a snapshot). */
    boolean previewBusy() {
        return previewRunning;
    }

    /** The last export started (its file or folder), for tests and the status line. */
    CompletableFuture<Path> lastExport() {
        return lastExport;
    }

    // ------------------------------------------------------------------ controls

    private void setUpControls() {
        kind.getItems().setAll(Kind.values());
        kind.setConverter(converter(k -> k.title));
        kind.setValue(Kind.CURVES);
        value.getItems().setAll("accuracy", "attack success rate");
        value.setValue("accuracy");
        grouping.getItems().setAll("one plot", "a panel per framework", "a panel per deployment");
        grouping.setValue("one plot"); // every target named in the legend, one attack at a time (below)
        attack.getItems().setAll(ALL);
        attack.setValue(ALL);
        source.getItems().setAll(ALL);
        source.setValue(ALL);
        ticks.getItems().setAll(RobustnessCurves.EpsilonTicks.values());
        ticks.setConverter(converter(t -> t == RobustnessCurves.EpsilonTicks.DECIMAL ? "decimal (0.016)" : "8-bit levels (4/255)"));
        ticks.setValue(RobustnessCurves.EpsilonTicks.DECIMAL);
        uncertainty.getItems().setAll(RobustnessCurves.Uncertainty.values());
        uncertainty.setConverter(converter(u -> switch (u) {
            case BAND -> "95 % bootstrap band";
            case ERROR_BARS -> "95 % error bars";
            case NONE -> "none";
        }));
        uncertainty.setValue(RobustnessCurves.Uncertainty.BAND);
        size.getItems().setAll(Preset.values());
        size.setConverter(converter(p -> p.title));
        size.setValue(Preset.DOUBLE);
        figureFormat.getItems().setAll(FigureExport.Format.values());
        figureFormat.setValue(FigureExport.Format.PDF);
        dpi.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(36, 1200, 300, 50));
        tableFormat.getItems().setAll("CSV", "LaTeX (booktabs)");
        tableFormat.setValue("LaTeX (booktabs)");
        unit.setConverter(converter(RunAdversarials.Unit::describe));
        imageCount.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1000, 6, 1));
        imageFormat.getItems().setAll(ImageFormat.values());
        imageFormat.setConverter(converter(f -> f.title));
        imageFormat.setValue(ImageFormat.SHEET);
        folder.setText(state.workspaceProperty().get().resolve("exports").toString());

        figureOptions.managedProperty().bind(figureOptions.visibleProperty());
        tableOptions.managedProperty().bind(tableOptions.visibleProperty());
        imageOptions.managedProperty().bind(imageOptions.visibleProperty());
        bundleOptions.managedProperty().bind(bundleOptions.visibleProperty());
        dpi.disableProperty().bind(figureFormat.valueProperty().isNotEqualTo(FigureExport.Format.PNG));
        // The preview image fits the pane whatever its size; the text preview fills it.
        preview.fitWidthProperty().bind(previewPane.widthProperty().subtract(20));
        preview.fitHeightProperty().bind(previewPane.heightProperty().subtract(20));

        for (Observable o : List.of(kind.valueProperty(), value.valueProperty(), grouping.valueProperty(), attack.valueProperty(),
                source.valueProperty(), ticks.valueProperty(), uncertainty.valueProperty(), figureRounded.selectedProperty(),
                size.valueProperty(), figureFormat.valueProperty(), dpi.valueProperty(), tableFormat.valueProperty(), unit.valueProperty(),
                target.valueProperty(), imageRounded.selectedProperty(), imageCount.valueProperty(), imageFormat.valueProperty(),
                bundleDatabase.selectedProperty(), bundleRows.selectedProperty(), bundleAdversarials.selectedProperty(),
                bundleReport.selectedProperty())) {
            o.addListener(x -> changed());
        }
        fileName.textProperty().addListener((o, a, b) -> {
            if (!b.equals(suggestedName())) {
                suggestName = false; // the user typed a name: keep it
            }
            previewCaption.setText(caption());
        });
        folder.textProperty().addListener((o, a, b) -> previewCaption.setText(caption()));
        chooseFolder.setOnAction(e -> chooseFolder());
        exportButton.setOnAction(e -> export());
        showOptions();
        form.setDisable(true);
    }

    private static <T> StringConverter<T> converter(Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : text.apply(t);
            }

            @Override
            public T fromString(String s) {
                throw new UnsupportedOperationException("choices are picked, not typed");
            }
        };
    }

    private void changed() {
        showOptions();
        if (kind.getValue() != null && suggestName) {
            fileName.setText(suggestedName());
            suggestName = true;
        }
        requestPreview();
    }

    private void showOptions() {
        Kind k = kind.getValue();
        figureOptions.setVisible(k == Kind.CURVES);
        tableOptions.setVisible(k == Kind.TABLE);
        imageOptions.setVisible(k == Kind.IMAGES);
        bundleOptions.setVisible(k == Kind.BUNDLE);
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Export to folder");
        Path current = Path.of(folder.getText().isBlank() ? "." : folder.getText());
        if (Files.isDirectory(current)) {
            chooser.setInitialDirectory(current.toFile());
        }
        java.io.File chosen = chooser.showDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (chosen != null) {
            folder.setText(chosen.getAbsolutePath());
        }
    }

    /** A file name for the current choice: what it is, in the format's extension. */
    private String suggestedName() {
        Kind k = kind.getValue();
        if (k == null) {
            return "";
        }
        return switch (k) {
            case CURVES -> ("attack success rate".equals(value.getValue()) ? "success" : "accuracy") + "-curves"
                    + (figureRounded.isSelected() ? "-8bit" : "") + "-" + size.getValue().name().toLowerCase(Locale.ROOT) + "."
                    + figureFormat.getValue().name().toLowerCase(Locale.ROOT);
            case TABLE -> "metrics." + (tableFormat.getValue().startsWith("CSV") ? "csv" : "tex");
            case IMAGES -> {
                RunAdversarials.Unit u = unit.getValue();
                String stem = "adversarials" + (u == null ? "" : "-" + u.attack() + "-eps" + Math.round(u.epsilon() * 255) + "of255")
                        + (imageRounded.isSelected() ? "-8bit" : "");
                yield switch (imageFormat.getValue()) {
                    case SHEET -> stem + ".png";
                    case PNGS -> stem;
                    case NPY -> stem + ".npy";
                };
            }
            case BUNDLE -> (data == null ? "run" : data.info().id()) + ".zip";
        };
    }

    private Choice choice() {
        CurveFigure f = CurveFigure.defaults().withSuccess("attack success rate".equals(value.getValue()))
                .withGrouping(switch (grouping.getValue()) {
                    case "a panel per framework" -> RobustnessCurves.Grouping.FRAMEWORK;
                    case "a panel per deployment" -> RobustnessCurves.Grouping.DEPLOYMENT;
                    default -> null;
                })
                .withAttack(ALL.equals(attack.getValue()) ? null : attack.getValue())
                .withSource(ALL.equals(source.getValue()) ? null : source.getValue())
                .withRounded(figureRounded.isSelected()).withEpsilonTicks(ticks.getValue()).withUncertainty(uncertainty.getValue());
        Path file = Path.of(folder.getText().isBlank() ? "." : folder.getText()).resolve(fileName.getText().isBlank()
                ? suggestedName() : fileName.getText());
        return new Choice(kind.getValue(), f, size.getValue(), figureFormat.getValue(), dpi.getValue(),
                !tableFormat.getValue().startsWith("CSV"), unit.getValue(), target.getValue(), imageRounded.isSelected(),
                imageCount.getValue(), imageFormat.getValue(), new RunBundle.Contents(bundleDatabase.isSelected(), bundleRows.isSelected(),
                bundleAdversarials.isSelected(), bundleReport.isSelected()), file);
    }

    // ------------------------------------------------------------------ the run

    private void load(RunRef ref) {
        if (ref == null) {
            return;
        }
        form.setDisable(true);
        runLabel.setText("Run " + ref.runId() + " in " + ref.workspace() + " (loading…)");
        showEmpty("Reading run " + ref.runId() + "…");
        state.work().submit("Reading run " + ref.runId() + " for export", (p, c) -> read(ref)).whenComplete((d, error) -> BackgroundWork.fx(() -> {
            if (!ref.equals(state.runProperty().get())) {
                return; // another run was chosen meanwhile
            }
            if (error != null) {
                runLabel.setText("Run " + ref.runId() + " in " + ref.workspace());
                showError("Cannot read run " + ref.runId() + " in " + ref.workspace() + ": " + message(error)
                        + ". Choose another run in Results.");
                ready.completeExceptionally(error);
                return;
            }
            show(d);
        }));
    }

    private static RunData read(RunRef ref) {
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(ref.workspace())) {
            RunInfo info = store.run(ref.runId()).orElseThrow(() -> new IllegalArgumentException("no run " + ref.runId()));
            List<ResultRow> rows = store.rows(ref.runId());
            RunReport report = RunReport.of(rows, RunBundle.REPORT_SEED);
            List<String> targets = rows.stream().map(ResultRow::target).distinct().toList();
            List<String> attacks = rows.stream().map(ResultRow::attack).filter(a -> !ResultRow.CLEAN.equals(a)).distinct().toList();
            List<String> sources = rows.stream().filter(r -> !ResultRow.CLEAN.equals(r.attack())).map(ResultRow::source).distinct().toList();
            return new RunData(ref, info, rows, report, RunAdversarials.units(ref.workspace(), ref.runId(), rows),
                    store.samples(ref.runId()), targets, attacks, sources);
        }
    }

    private void show(RunData d) {
        data = d;
        dataset = null;
        runLabel.setText("Run " + d.info().id() + " (" + d.info().status() + ", " + d.rows().size() + " judgements, "
                + d.indices().length + " images) in " + d.ref().workspace());
        attack.getItems().setAll(withAll(d.attacks()));
        // one attack at a time reads best (all attacks overlay two curves per target); "all" stays offered
        attack.setValue(d.attacks().isEmpty() ? ALL : d.attacks().get(0));
        source.getItems().setAll(withAll(d.sources()));
        source.setValue(ALL);
        unit.getItems().setAll(d.units());
        // The strongest stored attack first: its sheet shows the most flips.
        unit.setValue(d.units().isEmpty() ? null : d.units().stream().filter(u -> u.attack().equals(d.units().get(0).attack()))
                .reduce((a, b) -> b).orElse(d.units().get(0)));
        target.getItems().setAll(d.targets());
        target.setValue(d.targets().stream().filter(t -> t.contains("int8") && t.contains("tflite")).findFirst()
                .orElse(d.targets().isEmpty() ? null : d.targets().get(0)));
        form.setDisable(false);
        suggestName = true;
        fileName.setText(suggestedName());
        requestPreview();
    }

    private static List<String> withAll(List<String> names) {
        List<String> out = new ArrayList<>();
        out.add(ALL);
        out.addAll(names);
        return out;
    }

    private synchronized CompletableFuture<Dataset> dataset(RunData d) {
        if (dataset == null) {
            dataset = state.work().submit("Opening the dataset of run " + d.info().id(), (p, c) -> RunAdversarials.dataset(d.info(), d.ref().workspace()));
        }
        return dataset;
    }

    // ------------------------------------------------------------------ preview

    private void requestPreview() {
        if (data == null || kind.getValue() == null) {
            return;
        }
        generation++;
        if (previewRunning) {
            previewAgain = true; // latest wins: one more render when the current one ends
            return;
        }
        previewRunning = true;
        previewAgain = false;
        long mine = generation;
        Choice c = choice();
        RunData d = data;
        CompletableFuture<Dataset> ds = c.kind() == Kind.IMAGES ? dataset(d) : CompletableFuture.completedFuture(null);
        ds.thenCompose(set -> state.work().submit("Export preview", (p, cancel) -> render(c, d, set)))
                .whenComplete((pv, error) -> BackgroundWork.fx(() -> {
                    previewRunning = false;
                    if (mine == generation || !previewAgain) {
                        if (error != null) {
                            showError("Nothing to preview: " + message(error));
                        } else {
                            showPreview(pv);
                        }
                        ready.complete(null);
                    }
                    if (previewAgain) {
                        previewAgain = false;
                        generation--;
                        requestPreview();
                    }
                }));
    }

    /** Renders what the choice writes: the figure at its size (PNG at its dpi), the table's text, the sheet, the bundle's contents. */
    private static Preview render(Choice c, RunData d, Dataset set) throws IOException {
        switch (c.kind()) {
            case CURVES -> {
                FigureSize s = c.preset().size;
                double dpi = c.figureFormat() == FigureExport.Format.PNG ? c.dpi() : SCREEN_DPI;
                BufferedImage img = FigureExport.render(figure(c, d), s, dpi);
                String what = c.figureFormat() == FigureExport.Format.PNG
                        ? String.format(Locale.ROOT, "%d × %d px at %.0f dpi", s.pixelWidth(c.dpi()), s.pixelHeight(c.dpi()), c.dpi())
                        : "vector, fonts embedded";
                return new Preview(img, null, String.format(Locale.ROOT, "%s: %.2f × %.2f in, %s", c.figureFormat(),
                        s.width() / FigureSize.POINTS_PER_INCH, s.height() / FigureSize.POINTS_PER_INCH, what));
            }
            case TABLE -> {
                String text = table(c, d);
                return new Preview(null, text, (c.latex() ? "LaTeX (needs \\usepackage{booktabs})" : "CSV (RFC 4180)") + ", "
                        + text.lines().count() + " lines");
            }
            case IMAGES -> {
                RunAdversarials.Samples s = samples(c, d, set);
                ImageGrid grid = AdversarialExport.sheet(s, RunAdversarials.judgements(d.rows(), c.unit(), c.imageRounded(), c.target()), c.target());
                FigureSize size = grid.size(FigureSize.SINGLE_COLUMN.width());
                double dpi = c.imageFormat() == ImageFormat.SHEET ? FigureExport.DEFAULT_DPI : SCREEN_DPI;
                String what = switch (c.imageFormat()) {
                    case SHEET -> String.format(Locale.ROOT, "PNG sheet, %d × %d px at %.0f dpi", size.pixelWidth(dpi), size.pixelHeight(dpi), dpi);
                    case PNGS -> String.format(Locale.ROOT, "%d PNG files (%d × %d px, 8-bit) and samples.csv", 2 * s.samples().size(),
                            s.width(), s.height());
                    case NPY -> String.format(Locale.ROOT, "NPY float32 [%d, %d, %d, %d]", s.samples().size(), s.channels(), s.height(), s.width());
                };
                return new Preview(FigureExport.render(grid, size, dpi), null, what);
            }
            default -> {
                StringBuilder b = new StringBuilder("The zip will hold:\n\n  spec.yaml          the spec the run ran\n"
                        + "  run.json           id, status, seed, times, versions of every engine and device\n"
                        + "  samples.csv        the selected images (dataset index, label)\n");
                if (c.contents().rows()) {
                    b.append("  rows.csv, rows.json  ").append(d.rows().size()).append(" judgements\n");
                }
                if (c.contents().database()) {
                    b.append("  results.db         this run only (open with mrw report --workspace)\n");
                }
                if (c.contents().report()) {
                    b.append("  report/            metrics.csv, metrics.tex, accuracy-curves.svg/.pdf\n");
                }
                if (c.contents().adversarials()) {
                    b.append("  adversarials/      ").append(d.units().size()).append(" attack × ε sets as NPY\n");
                }
                b.append("\nVersions:\n");
                d.info().versions().forEach((k, v) -> b.append("  ").append(k).append(" ").append(v).append('\n'));
                return new Preview(null, b.toString(), "Bundle of run " + d.info().id());
            }
        }
    }

    private static Drawing figure(Choice c, RunData d) {
        // bounded attacks draw over ε; an unbounded minimisation attack (Boundary) over the L2 budget
        return Drawing.of(c.figure().draw(d.report().metrics(), d.rows(), Bootstrap.seeded(RunReport.DEFAULT_SEED))
                .orElseThrow(() -> new IllegalArgumentException("nothing to draw: no results match attack "
                        + (c.figure().attack() == null ? "any" : c.figure().attack()) + ", source "
                        + (c.figure().source() == null ? "any" : c.figure().source())
                        + (c.figure().rounded() ? " and 8-bit rounding" : "") + "; choose another")));
    }

    private static String table(Choice c, RunData d) {
        var t = ReportTables.metrics(d.report().metrics());
        return c.latex() ? Tables.latex(t) : Tables.csv(t);
    }

    private static RunAdversarials.Samples samples(Choice c, RunData d, Dataset set) {
        if (c.unit() == null) {
            throw new IllegalArgumentException("run " + d.info().id() + " kept no adversarial images");
        }
        return RunAdversarials.load(d.ref().workspace(), d.info().id(), d.indices(), c.unit(), c.imageRounded(), set, c.imageCount());
    }

    private void showPreview(Preview pv) {
        empty.setVisible(false);
        preview.setVisible(pv.image() != null);
        preview.setImage(pv.image() == null ? null : SwingFXUtils.toFXImage(pv.image(), null));
        previewText.setVisible(pv.text() != null);
        previewText.setText(pv.text() == null ? "" : pv.text());
        previewText.setUserData(pv.caption());
        previewCaption.setText(caption());
    }

    private String caption() {
        Object what = previewText.getUserData();
        return (what == null ? "" : what + "  →  ") + Path.of(folder.getText().isBlank() ? "." : folder.getText()).resolve(fileName.getText());
    }

    private void showEmpty(String text) {
        empty.getStyleClass().remove("error-text");
        empty.setText(text);
        empty.setVisible(true);
        preview.setVisible(false);
        previewText.setVisible(false);
    }

    private void showError(String text) {
        showEmpty(text);
        empty.getStyleClass().add("error-text");
    }

    // ------------------------------------------------------------------ writing

    /** Writes the current choice in the background; the status line says where, or what went wrong. */
    CompletableFuture<Path> export() {
        if (data == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no run loaded yet"));
        }
        Choice c = choice();
        RunData d = data;
        busy.setVisible(true);
        exportButton.setDisable(true);
        status.getStyleClass().remove("error-text");
        status.setText("Writing " + c.file() + "…");
        CompletableFuture<Dataset> ds = c.kind() == Kind.IMAGES ? dataset(d) : CompletableFuture.completedFuture(null);
        lastExport = ds.thenCompose(set -> state.work().submit("Exporting " + c.file().getFileName(), (p, cancel) -> {
            write(c, d, set, p, cancel);
            return c.file();
        }));
        lastExport.whenComplete((file, error) -> BackgroundWork.fx(() -> {
            busy.setVisible(false);
            exportButton.setDisable(false);
            if (error != null) {
                status.getStyleClass().add("error-text");
                status.setText(unwrap(error) instanceof CancellationException ? "Export cancelled; nothing was replaced."
                        : "Could not write " + c.file() + ": " + message(error) + ". Choose a folder you can write to; your choices are kept.");
            } else {
                status.setText("Wrote " + file + sizeOf(file));
            }
        }));
        return lastExport;
    }

    private static void write(Choice c, RunData d, Dataset set, org.mrw.core.task.Progress progress,
                              org.mrw.core.task.Cancellation cancel) throws IOException {
        Path file = c.file();
        switch (c.kind()) {
            case CURVES -> FigureExport.write(figure(c, d), c.preset().size, c.dpi(), withExtension(file, c.figureFormat()));
            case TABLE -> {
                createParent(file);
                Files.writeString(file, table(c, d), StandardCharsets.UTF_8);
            }
            case IMAGES -> {
                RunAdversarials.Samples s = samples(c, d, set);
                var judged = RunAdversarials.judgements(d.rows(), c.unit(), c.imageRounded(), c.target());
                switch (c.imageFormat()) {
                    case SHEET -> {
                        ImageGrid grid = AdversarialExport.sheet(s, judged, c.target());
                        FigureExport.write(grid, grid.size(FigureSize.SINGLE_COLUMN.width()), FigureExport.DEFAULT_DPI, file);
                    }
                    case PNGS -> AdversarialExport.pngs(s, judged, file);
                    case NPY -> {
                        createParent(file);
                        try (OutputStream out = Files.newOutputStream(file)) {
                            AdversarialExport.npy(s, false, out);
                        }
                    }
                }
            }
            case BUNDLE -> RunBundle.write(d.ref().workspace(), d.info().id(), file, c.contents(), progress, cancel);
        }
    }

    private static Path withExtension(Path file, FigureExport.Format format) {
        String ext = "." + format.name().toLowerCase(Locale.ROOT);
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext) ? file : file.resolveSibling(file.getFileName() + ext);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static String sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? " (" + RunBundle.size(Files.size(file)) + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** What went wrong, in a line: the file system's reason and file, or the exception's message. */
    static String message(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            return reason + " (" + f.getFile() + ")";
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
