package org.mrw.app.models;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.MapChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.mrw.app.shell.Fxml;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.ModelEntry;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.model.InputSpec;

/**
 * The Models view: the model library as a table (framework colour badge, variant, format, input shape,
 * size, the zoo's accuracy and clean accuracy measured on demand), and the selected model's input
 * descriptor, editable, with a test load. Model files are added with Ctrl+O, the folder button or by
 * dropping files (and SavedModel folders) on the view.
 */
public final class ModelsView implements View {

    /** Ctrl+O (Cmd+O on a Mac) opens model files while this view is shown. */
    public static final KeyCombination OPEN = KeyCombination.keyCombination("Shortcut+O");

    private final WorkbenchState state;
    private final ModelsViewModel model;
    private final Map<String, ModelsViewModel.LoadReport> loadReports = new HashMap<>();
    private Function<Window, List<Path>> fileChooser = ModelsView::chooseFiles;
    private BackgroundWork.Entry measureJob;

    @FXML private BorderPane root;
    @FXML private Label subtitle;
    @FXML private Button openButton;
    @FXML private TextField filterField;
    @FXML private Spinner<Integer> samplesSpinner;
    @FXML private Button measureButton;
    @FXML private Button measureAllButton;
    @FXML private HBox measureBar;
    @FXML private ProgressBar measureProgress;
    @FXML private Label measureText;
    @FXML private Label message;
    @FXML private TableView<ModelEntry> table;
    @FXML private TableColumn<ModelEntry, String> nameColumn;
    @FXML private TableColumn<ModelEntry, ModelEntry> frameworkColumn;
    @FXML private TableColumn<ModelEntry, String> runtimeColumn;
    @FXML private TableColumn<ModelEntry, ModelEntry> variantColumn;
    @FXML private TableColumn<ModelEntry, String> formatColumn;
    @FXML private TableColumn<ModelEntry, String> inputColumn;
    @FXML private TableColumn<ModelEntry, Number> sizeColumn;
    @FXML private TableColumn<ModelEntry, Number> zooColumn;
    @FXML private TableColumn<ModelEntry, ModelEntry> cleanColumn;
    @FXML private javafx.scene.control.ScrollPane detailsScroll;
    @FXML private Label detailsTitle;
    @FXML private Label detailsFile;
    @FXML private Button testLoadButton;
    @FXML private ProgressIndicator testLoadSpinner;
    @FXML private Label testLoadResult;
    @FXML private Label descriptorNote;
    @FXML private GridPane descriptorGrid;
    @FXML private ChoiceBox<InputSpec.Layout> layoutChoice;
    @FXML private TextField channelsField;
    @FXML private TextField heightField;
    @FXML private TextField widthField;
    @FXML private ChoiceBox<InputSpec.ChannelOrder> orderChoice;
    @FXML private TextField rangeMinField;
    @FXML private TextField rangeMaxField;
    @FXML private TextField meanField;
    @FXML private TextField stdField;
    @FXML private TextArea classNamesArea;
    @FXML private Button applyButton;
    @FXML private Button revertButton;
    @FXML private Label descriptorMessage;

    public ModelsView(WorkbenchState state) {
        this.state = state;
        this.model = new ModelsViewModel(state);
        Fxml.load(this, "ModelsView.fxml", "models.css");
        buildTable();
        buildToolbar();
        buildDetails();
        installDragAndDrop();
        installShortcut();
        showDetails(null);
    }

    @Override
    public ViewId id() {
        return ViewId.MODELS;
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public CompletionStage<?> ready() {
        // the library is read from the zoo manifest when the workbench starts: the table is complete now
        return CompletableFuture.completedFuture(null);
    }

    /** The view model (tests drive the view through it, as the controls do). */
    public ModelsViewModel viewModel() {
        return model;
    }

    /** What a drop or the file chooser hands over: adds the files, selects them, reports bad ones. */
    public ModelsViewModel.Opened open(List<Path> files) {
        ModelsViewModel.Opened opened = model.open(files);
        if (!opened.models().isEmpty()) {
            filterField.clear();
            table.getSelectionModel().clearSelection();
            opened.models().forEach(m -> table.getSelectionModel().select(m));
            table.scrollTo(opened.models().get(0));
        }
        if (!opened.errors().isEmpty()) {
            showMessage("Could not open " + String.join("; ", opened.errors())
                    + (opened.models().isEmpty() ? "" : ". The other files were added."), true);
        } else if (!opened.models().isEmpty()) {
            showMessage("Added " + opened.models().stream().map(ModelEntry::id).toList() + ". Test load it to check it runs.", false);
        }
        return opened;
    }

    /** Replaces the file chooser (tests: a headless run cannot show the native dialog). */
    public void setFileChooser(Function<Window, List<Path>> chooser) {
        this.fileChooser = chooser;
    }

    // ---- table -------------------------------------------------------------------------------

    private void buildTable() {
        table.setItems(model.models());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setPlaceholder(emptyState());
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().id()));
        frameworkColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        frameworkColumn.setCellFactory(c -> new BadgeCell(m -> m.framework(), m -> "badge-" + frameworkKey(m.framework())));
        frameworkColumn.setComparator((a, b) -> a.framework().compareTo(b.framework()));
        runtimeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().runtime()));
        variantColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        variantColumn.setCellFactory(c -> new BadgeCell(ModelEntry::variantName, m -> m.int8() ? "badge-int8" : null));
        variantColumn.setComparator((a, b) -> Boolean.compare(a.int8(), b.int8()));
        formatColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(formatName(c.getValue().format())));
        inputColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().inputShape()));
        sizeColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().bytes()));
        sizeColumn.setCellFactory(c -> new TextCell<>(n -> bytes(n.longValue())));
        zooColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().zooAccuracy()));
        zooColumn.setCellFactory(c -> new TextCell<>(n -> Double.isNaN(n.doubleValue()) ? "–" : percent(n.doubleValue())));
        cleanColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        cleanColumn.setCellFactory(c -> new CleanAccuracyCell());
        cleanColumn.setComparator((a, b) -> Double.compare(accuracyOf(a), accuracyOf(b)));
        for (TableColumn<ModelEntry, ?> col : List.of(sizeColumn, zooColumn, cleanColumn)) {
            col.setStyle("-fx-alignment: CENTER-RIGHT;");
        }
        model.measurements().addListener((MapChangeListener<String, ModelsViewModel.Measurement>) c -> table.refresh());
        model.measuring().addListener((MapChangeListener<String, Boolean>) c -> table.refresh());
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> showDetails(b));
        state.models().addListener((javafx.collections.ListChangeListener<ModelEntry>) c -> updateSubtitle());
        updateSubtitle();
    }

    private double accuracyOf(ModelEntry m) {
        ModelsViewModel.Measurement r = model.measurements().get(m.reference());
        return r == null || r.failed() ? -1 : r.accuracy();
    }

    private Node emptyState() {
        Label empty = new Label();
        empty.getStyleClass().add("empty-state");
        empty.setWrapText(true);
        empty.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> state.models().isEmpty()
                ? "No models yet. Open a model file with Ctrl+O, or drop .pt, .ptl, .tflite or .onnx files or a SavedModel "
                        + "folder here. (The reference zoo lives in models/; run models/build to make it.)"
                : "No model matches \"" + model.filterProperty().get() + "\". Clear the filter to see all "
                        + state.models().size() + " models.", state.models(), model.filterProperty()));
        return empty;
    }

    private void updateSubtitle() {
        long zoo = state.models().stream().filter(ModelEntry::fromZoo).count();
        long opened = state.models().size() - zoo;
        subtitle.setText(state.models().size() + " models: " + zoo + " from the zoo" + (opened > 0 ? ", " + opened + " opened" : "")
                + " · drop model files here to add them");
    }

    /** The format as the file type people know it by (the table is narrow; the details pane names it in full). */
    static String formatName(org.mrw.core.model.ModelFormat format) {
        return switch (format) {
            case TORCHSCRIPT -> ".pt";
            case TORCHSCRIPT_LITE -> ".ptl (Lite)";
            case SAVED_MODEL -> "SavedModel";
            case TFLITE -> ".tflite";
            case ONNX -> ".onnx";
        };
    }

    static String frameworkKey(String framework) {
        String f = framework.toLowerCase(Locale.ROOT);
        return f.contains("torch") ? "pytorch" : f.contains("onnx") ? "onnx" : "tensorflow";
    }

    static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
    }

    static String percent(double a) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * a);
    }

    /** A cell showing a coloured badge (framework) or an outlined one (int8). */
    private static final class BadgeCell extends TableCell<ModelEntry, ModelEntry> {
        private final Function<ModelEntry, String> text;
        private final Function<ModelEntry, String> style;
        private final Label badge = new Label();

        BadgeCell(Function<ModelEntry, String> text, Function<ModelEntry, String> style) {
            this.text = text;
            this.style = style;
            setText(null);
        }

        @Override
        protected void updateItem(ModelEntry item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            String s = style.apply(item);
            if (s == null) {
                setGraphic(null);
                setText(text.apply(item));
                return;
            }
            badge.setText(text.apply(item));
            badge.getStyleClass().setAll("label", "badge", s);
            setText(null);
            setGraphic(badge);
        }
    }

    private static final class TextCell<T> extends TableCell<ModelEntry, T> {
        private final Function<T, String> format;

        TextCell(Function<T, String> format) {
            this.format = format;
        }

        @Override
        protected void updateItem(T item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : format.apply(item));
        }
    }

    /** Clean accuracy: blank until measured, "measuring…" meanwhile, the error in red with its message as tooltip. */
    private final class CleanAccuracyCell extends TableCell<ModelEntry, ModelEntry> {
        @Override
        protected void updateItem(ModelEntry item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll("error-text", "measuring");
            setTooltip(null);
            if (empty || item == null) {
                setText(null);
                return;
            }
            ModelsViewModel.Measurement r = model.measurements().get(item.reference());
            if (model.measuring().containsKey(item.reference()) && r == null) {
                setText("measuring…");
                getStyleClass().add("measuring");
            } else if (r == null) {
                setText("–");
                setTooltip(new Tooltip("Not measured yet: select models and press Measure"));
            } else if (r.failed()) {
                setText("error");
                getStyleClass().add("error-text");
                setTooltip(new Tooltip(r.error()));
            } else {
                setText(percent(r.accuracy()));
                setTooltip(new Tooltip(String.format(Locale.ROOT, "%d of %d images of %s right, %.0f images/s", r.correct(),
                        r.samples(), r.dataset(), r.imagesPerSecond())));
            }
        }
    }

    // ---- toolbar: open, filter, measure ---------------------------------------------------------

    private void buildToolbar() {
        filterField.textProperty().bindBidirectional(model.filterProperty());
        samplesSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 100_000, 1000, 100));
        samplesSpinner.getEditor().setTextFormatter(new javafx.scene.control.TextFormatter<>(c -> c.getControlNewText().matches("\\d{0,6}") ? c : null));
        measureButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(measureBar.visibleProperty()));
        measureAllButton.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(model.models()).or(measureBar.visibleProperty()));
        openButton.setTooltip(new Tooltip("Open model files (Ctrl+O): .pt, .ptl, .tflite, .onnx; or drop them on this view"));
        measureButton.setTooltip(new Tooltip("Evaluate the selected models on the first images of the dataset chosen in Data"));
    }

    @FXML
    private void openFiles() {
        List<Path> files = fileChooser.apply(root.getScene() == null ? null : root.getScene().getWindow());
        if (files != null && !files.isEmpty()) {
            open(files);
        }
    }

    @FXML
    private void openFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a TensorFlow SavedModel folder");
        File dir = chooser.showDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (dir != null) {
            open(List.of(dir.toPath()));
        }
    }

    private static List<Path> chooseFiles(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open model files");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Models (.pt, .ptl, .pth, .tflite, .onnx)", "*.pt", "*.ptl", "*.pth", "*.tflite", "*.onnx"),
                new FileChooser.ExtensionFilter("All files", "*"));
        List<File> files = chooser.showOpenMultipleDialog(owner);
        return files == null ? List.of() : files.stream().map(File::toPath).toList();
    }

    @FXML
    private void measureSelected() {
        measure(new ArrayList<>(table.getSelectionModel().getSelectedItems()));
    }

    @FXML
    private void measureAll() {
        measure(new ArrayList<>(model.models()));
    }

    /** Measures clean accuracy of {@code models} on as many images as the spinner says. */
    public CompletableFuture<Map<String, ModelsViewModel.Measurement>> measure(List<ModelEntry> models) {
        samplesSpinner.commitValue();
        int n = samplesSpinner.getValue();
        CompletableFuture<Map<String, ModelsViewModel.Measurement>> done = model.measure(models, n);
        measureJob = state.work().running().isEmpty() ? null : state.work().running().get(state.work().running().size() - 1);
        measureBar.setVisible(true);
        measureBar.setManaged(true);
        if (measureJob != null) {
            measureProgress.progressProperty().bind(measureJob.progressProperty());
            measureText.textProperty().bind(measureJob.messageProperty());
        }
        done.whenComplete((r, e) -> BackgroundWork.fx(() -> {
            measureProgress.progressProperty().unbind();
            measureText.textProperty().unbind();
            measureBar.setVisible(false);
            measureBar.setManaged(false);
            measureJob = null;
            if (e != null) {
                boolean cancelled = ModelsViewModel.cancelled(e);
                showMessage(cancelled ? "Measurement cancelled; the models finished before it keep their numbers."
                        : "Measurement failed: " + ModelsViewModel.rootMessage(e), !cancelled);
            } else {
                long failed = r.values().stream().filter(ModelsViewModel.Measurement::failed).count();
                showMessage(failed == 0 ? "Measured " + r.size() + " model" + (r.size() == 1 ? "" : "s") + " (hover a number for details)."
                        : failed + " of " + r.size() + " could not be measured; hover \"error\" in the Clean acc. column to see why.", failed > 0);
            }
        }));
        return done;
    }

    @FXML
    private void cancelMeasure() {
        if (measureJob != null) {
            measureJob.cancel();
        }
    }

    private void showMessage(String text, boolean error) {
        message.setText(text);
        message.getStyleClass().removeAll("error-text", "ok-text");
        message.getStyleClass().add(error ? "error-text" : "ok-text");
        message.setVisible(true);
        message.setManaged(true);
    }

    // ---- details: descriptor and test load ----------------------------------------------------

    private void buildDetails() {
        javafx.scene.control.SplitPane.setResizableWithParent(detailsScroll, false); // the table takes a wider window
        descriptorGrid.getChildren().stream().filter(n -> n instanceof Label).forEach(n -> ((Label) n).setMinWidth(Region.USE_PREF_SIZE));
        layoutChoice.getItems().setAll(InputSpec.Layout.values());
        orderChoice.getItems().setAll(InputSpec.ChannelOrder.values());
        testLoadSpinner.setManaged(false);
        testLoadButton.setTooltip(new Tooltip("Load the model in the background and run one forward pass"));
    }

    private ModelEntry selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    private void showDetails(ModelEntry m) {
        boolean none = m == null;
        descriptorGrid.setDisable(none);
        applyButton.setDisable(none);
        revertButton.setDisable(none);
        testLoadButton.setDisable(none);
        descriptorMessage.setText("");
        if (none) {
            detailsTitle.setText("No model selected");
            detailsFile.setText("Select a model in the table to see and edit its input descriptor and to test-load it.");
            descriptorNote.setText("");
            testLoadResult.setText("");
            fillForm(null);
            return;
        }
        detailsTitle.setText(m.id());
        String what = m.format().displayName().equals(m.runtime()) ? m.runtime() : m.format().displayName() + " in " + m.runtime();
        detailsFile.setText(what + " · " + m.variantName() + " · " + bytes(m.bytes()) + "\n" + m.file().toAbsolutePath().normalize());
        descriptorNote.setText(m.descriptor() == null
                ? "The file records its own input; test load to read it, or fill the form to override it."
                : m.fromZoo() ? "From the zoo manifest. An edit lasts this session (zoo files are not changed)."
                : "Applying writes " + InputSpec.besideModel(m.file()).getFileName() + " beside the model, where the CLI reads it too.");
        fillForm(m.descriptor());
        showLoadReport(loadReports.get(m.reference()));
    }

    private void fillForm(InputSpec d) {
        layoutChoice.setValue(d == null ? InputSpec.Layout.NCHW : d.layout());
        orderChoice.setValue(d == null ? InputSpec.ChannelOrder.RGB : d.channelOrder());
        channelsField.setText(d == null ? "" : Integer.toString(d.channels()));
        heightField.setText(d == null ? "" : Integer.toString(d.height()));
        widthField.setText(d == null ? "" : Integer.toString(d.width()));
        rangeMinField.setText(d == null ? "" : number(d.rangeMin()));
        rangeMaxField.setText(d == null ? "" : number(d.rangeMax()));
        meanField.setText(d == null ? "" : numbers(d.mean()));
        stdField.setText(d == null ? "" : numbers(d.std()));
        classNamesArea.setText(d == null ? "" : String.join("\n", d.classNames()));
    }

    private static String number(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? Long.toString((long) v) : Float.toString(v);
    }

    private static String numbers(float[] values) {
        List<String> out = new ArrayList<>();
        for (float v : values) {
            out.add(number(v));
        }
        return String.join(", ", out);
    }

    @FXML
    private void applyDescriptor() {
        ModelEntry m = selected();
        if (m == null) {
            return;
        }
        InputSpec spec;
        try {
            spec = ModelsViewModel.parseDescriptor(layoutChoice.getValue().name(), channelsField.getText(), heightField.getText(),
                    widthField.getText(), orderChoice.getValue().name(), meanField.getText(), stdField.getText(),
                    rangeMinField.getText(), rangeMaxField.getText(), classNamesArea.getText(), m.descriptor());
        } catch (IllegalArgumentException e) {
            descriptorMessage.getStyleClass().setAll("label", "error-text");
            descriptorMessage.setText("Not applied: " + e.getMessage() + ".");
            return;
        }
        ModelEntry changed;
        String note;
        try {
            changed = model.applyDescriptor(m, spec);
            note = m.fromZoo() ? "Applied for this session; the model reloads with it on next use."
                    : "Applied and written to " + InputSpec.besideModel(m.file()) + ".";
        } catch (IOException e) {
            changed = state.models().stream().filter(x -> x.reference().equals(m.reference())).findFirst().orElse(null);
            note = null;
            descriptorMessage.getStyleClass().setAll("label", "error-text");
            descriptorMessage.setText("Applied for this session, but " + InputSpec.besideModel(m.file()) + " could not be written ("
                    + e.getMessage() + "); check the folder's permissions.");
        }
        loadReports.remove(m.reference());
        if (changed != null) {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(changed);
        }
        if (note != null) {
            descriptorMessage.getStyleClass().setAll("label", "ok-text");
            descriptorMessage.setText(note);
        }
    }

    @FXML
    private void revertDescriptor() {
        ModelEntry m = selected();
        fillForm(m == null ? null : m.descriptor());
        descriptorMessage.setText("");
    }

    /** Test-loads the selected model; the future completes (on any thread) with the report the pane shows. */
    @FXML
    public CompletableFuture<ModelsViewModel.LoadReport> testLoad() {
        ModelEntry m = selected();
        if (m == null) {
            return CompletableFuture.completedFuture(null);
        }
        testLoadSpinner.setVisible(true);
        testLoadButton.setDisable(true);
        testLoadResult.getStyleClass().setAll("label", "view-subtitle");
        testLoadResult.setText("Loading " + m.id() + " with " + m.runtime() + "…");
        CompletableFuture<ModelsViewModel.LoadReport> report = model.testLoad(m);
        CompletableFuture<ModelsViewModel.LoadReport> shown = new CompletableFuture<>();
        report.thenAccept(r -> BackgroundWork.fx(() -> {
            loadReports.put(m.reference(), r);
            testLoadSpinner.setVisible(false);
            ModelEntry now = selected();
            if (now != null && now.reference().equals(m.reference())) {
                testLoadButton.setDisable(false);
                showLoadReport(r);
            }
            shown.complete(r);
        }));
        return shown;
    }

    private void showLoadReport(ModelsViewModel.LoadReport r) {
        if (r == null) {
            testLoadResult.setText("");
            return;
        }
        if (r.failed()) {
            testLoadResult.getStyleClass().setAll("label", "error-text");
            testLoadResult.setText("Could not load: " + r.error());
            return;
        }
        testLoadResult.getStyleClass().setAll("label", "ok-text");
        String time = r.cached() ? "already loaded" : String.format(Locale.ROOT, "loaded in %.2f s", r.loadSeconds());
        String with = r.format().equals(r.runtime()) ? r.runtime() + ", " + r.variant() : r.format() + " in " + r.runtime() + ", " + r.variant();
        testLoadResult.setText(String.format(Locale.ROOT, "✓ %s (%s); %d classes, input %s %d×%d×%d; one forward pass %.1f ms.",
                time, with, r.classes(), r.input().layout(), r.input().channels(), r.input().height(),
                r.input().width(), r.forwardMillis()));
    }

    // ---- drag and drop, shortcut ------------------------------------------------------------------

    private void installDragAndDrop() {
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
                if (!root.getStyleClass().contains("drop-target")) {
                    root.getStyleClass().add("drop-target");
                }
            }
            e.consume();
        });
        root.setOnDragExited(e -> root.getStyleClass().remove("drop-target"));
        root.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                open(e.getDragboard().getFiles().stream().map(File::toPath).toList());
            }
            root.getStyleClass().remove("drop-target");
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** Ctrl+O belongs to this view: it is on the scene while the view is in it, and gone when another view shows. */
    private void installShortcut() {
        Runnable action = this::openFiles;
        root.sceneProperty().addListener((o, old, now) -> {
            if (old != null && old.getAccelerators().get(OPEN) == action) {
                old.getAccelerators().remove(OPEN);
            }
            if (now != null) {
                now.getAccelerators().put(OPEN, action);
            }
        });
    }

    /** For tests: the scene the shortcut sits on. */
    Scene scene() {
        return root.getScene();
    }
}
