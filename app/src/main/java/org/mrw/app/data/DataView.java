package org.mrw.app.data;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.controlsfx.control.GridView;
import org.mrw.app.shell.Fxml;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.DatasetOptions;
import org.mrw.core.data.DatasetSummary;

/**
 * The Data view: the dataset in use (bundled Fashion-MNIST until another is opened) with its format,
 * size, image shape and images per class; reader options for the next open; the selection rule that
 * edits the experiment spec; and a virtualised grid of the images with their labels, filtered by class.
 */
public final class DataView implements View {

    private static final String ALL = "All classes";

    private final WorkbenchState state;
    private final DataViewModel model;
    private final Thumbnails thumbnails = new Thumbnails();
    private boolean updatingSelection;

    @FXML private BorderPane root;
    @FXML private Label subtitle;
    @FXML private Button openFileButton;
    @FXML private Button openFolderButton;
    @FXML private Button bundledButton;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private Label error;
    @FXML private Label nameValue;
    @FXML private Label formatValue;
    @FXML private Label sizeValue;
    @FXML private Label shapeValue;
    @FXML private Label sourceValue;
    @FXML private ChoiceBox<Integer> channelsChoice;
    @FXML private ChoiceBox<DatasetOptions.Layout> layoutChoice;
    @FXML private ChoiceBox<String> splitChoice;
    @FXML private TextField resizeField;
    @FXML private TextField cropField;
    @FXML private TextField classNamesField;
    @FXML private Button reopenButton;
    @FXML private Spinner<Integer> countSpinner;
    @FXML private ChoiceBox<String> orderChoice;
    @FXML private TextField seedField;
    @FXML private CheckBox correctCheck;
    @FXML private Label selectionNote;
    @FXML private Label specError;
    @FXML private Label classesTitle;
    @FXML private TableView<Integer> classTable;
    @FXML private TableColumn<Integer, Number> labelColumn;
    @FXML private TableColumn<Integer, String> classColumn;
    @FXML private TableColumn<Integer, Number> countColumn;
    @FXML private ComboBox<String> classFilter;
    @FXML private Label gridCount;
    @FXML private GridView<Integer> grid;
    @FXML private Label gridEmpty;

    public DataView(WorkbenchState state) {
        Fxml.load(this, "DataView.fxml", "data.css");
        this.state = state;
        this.model = new DataViewModel(state);
        buildDatasetPane();
        buildSelection();
        buildClasses();
        buildGrid();
        installDragAndDrop();
        model.summaryProperty().addListener((o, a, b) -> showSummary(b));
        model.errorProperty().addListener((o, a, b) -> {
            error.setText(b);
            error.setVisible(!b.isEmpty());
            error.setManaged(!b.isEmpty());
        });
        busyIndicator.visibleProperty().bind(model.busyProperty());
        showSummary(model.summaryProperty().get());
    }

    @Override
    public ViewId id() {
        return ViewId.DATA;
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public CompletionStage<?> ready() {
        return model.firstLoad();
    }

    /** The view model (tests drive the view through it, as the controls do). */
    public DataViewModel viewModel() {
        return model;
    }

    /** What the file chooser, the folder chooser and a drop hand over: opens with the reader options shown. */
    public CompletableFuture<DatasetSummary> open(Path path) {
        DatasetOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            error.setText("Reader options: " + e.getMessage() + ". Nothing was opened.");
            error.setVisible(true);
            error.setManaged(true);
            return CompletableFuture.failedFuture(e);
        }
        return model.open(path, options);
    }

    // ---- the dataset card ----------------------------------------------------------------------

    private void buildDatasetPane() {
        channelsChoice.getItems().setAll(0, 1, 3);
        channelsChoice.setConverter(converter(c -> c == 0 ? "as stored" : c == 1 ? "grey (1)" : "RGB (3)"));
        channelsChoice.setValue(0);
        layoutChoice.getItems().setAll(DatasetOptions.Layout.values());
        layoutChoice.setValue(DatasetOptions.Layout.AUTO);
        splitChoice.getItems().setAll("only one", "train", "test");
        splitChoice.setValue("only one");
        for (TextField f : List.of(resizeField, cropField)) {
            f.setTextFormatter(new TextFormatter<>(c -> c.getControlNewText().matches("\\d{0,4}") ? c : null));
        }
        reopenButton.disableProperty().bind(model.busyProperty());
        openFileButton.disableProperty().bind(model.busyProperty());
        openFolderButton.disableProperty().bind(model.busyProperty());
        bundledButton.disableProperty().bind(model.busyProperty());
        openFileButton.setTooltip(new Tooltip("IDX (.idx3-ubyte[.gz]), CIFAR-10 binary (.bin), NumPy (.npy with labels beside it, .npz)"));
        openFolderButton.setTooltip(new Tooltip("A folder with one subfolder of images per class, or one holding IDX / CIFAR files"));
    }

    private DatasetOptions options() {
        DatasetOptions o = DatasetOptions.defaults().withChannels(channelsChoice.getValue()).withLayout(layoutChoice.getValue());
        if (!"only one".equals(splitChoice.getValue())) {
            o = o.withSplit(splitChoice.getValue());
        }
        int resize = resizeField.getText().isBlank() ? 0 : Integer.parseInt(resizeField.getText());
        int crop = cropField.getText().isBlank() ? 0 : Integer.parseInt(cropField.getText());
        o = o.withResize(resize, crop);
        if (!classNamesField.getText().isBlank()) {
            o = o.withClassNames(Arrays.stream(classNamesField.getText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        return o;
    }

    @FXML
    private void openFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a dataset");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Datasets (IDX, CIFAR-10 .bin, .npy, .npz)", "*-ubyte", "*-ubyte.gz", "*.idx*", "*.bin",
                        "*.npy", "*.npz", "*.gz"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File f = chooser.showOpenDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (f != null) {
            open(f.toPath());
        }
    }

    @FXML
    private void openFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a dataset folder");
        File f = chooser.showDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (f != null) {
            open(f.toPath());
        }
    }

    @FXML
    private void openBundled() {
        model.open(null, DatasetOptions.defaults());
    }

    @FXML
    private void reopen() {
        open(state.dataProperty().get().path());
    }

    private void showSummary(DatasetSummary s) {
        thumbnails.use(model.datasetProperty().get());
        if (s == null) {
            subtitle.setText("opening the dataset…");
            gridEmpty.setText("Opening the dataset… Open another with the buttons above, or drop a dataset file or folder here.");
            gridEmpty.setVisible(true);
            grid.setItems(FXCollections.observableArrayList());
            classTable.getItems().clear();
            return;
        }
        subtitle.setText(s.name() + " · " + String.format(Locale.ROOT, "%,d", s.size()) + " images · drop a dataset here to switch");
        nameValue.setText(s.name());
        formatValue.setText(s.format());
        sizeValue.setText(String.format(Locale.ROOT, "%,d in %d classes", s.size(), s.classCounts().length));
        shapeValue.setText(s.shape() + (s.channels() == 1 ? " (grey)" : s.channels() == 3 ? " (RGB)" : ""));
        sourceValue.setText(state.dataProperty().get().isBundled() ? "bundled with the workbench" : String.valueOf(s.source()));
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < s.classCounts().length; i++) {
            labels.add(i);
        }
        classTable.getItems().setAll(labels);
        classesTitle.setText("Classes (" + s.classCounts().length + ")");
        List<String> filters = new ArrayList<>();
        filters.add(ALL);
        for (int i = 0; i < s.classCounts().length; i++) {
            filters.add(i + " · " + s.className(i));
        }
        classFilter.getItems().setAll(filters);
        classFilter.setValue(ALL);
        updateSelectionNote();
        filterGrid();
    }

    // ---- the selection rule ------------------------------------------------------------------

    private void buildSelection() {
        countSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1_000_000, 1000, 100));
        countSpinner.getEditor().setTextFormatter(new TextFormatter<>(c -> c.getControlNewText().matches("\\d{0,7}") ? c : null));
        orderChoice.getItems().setAll("random (seeded)", "first in the dataset");
        seedField.setTextFormatter(new TextFormatter<>(c -> c.getControlNewText().matches("-?\\d{0,18}") ? c : null));
        showSelection(model.selectionProperty().get());
        model.selectionProperty().addListener((o, a, b) -> showSelection(b));
        model.specErrorProperty().addListener((o, a, b) -> {
            specError.setText(b);
            specError.setVisible(!b.isEmpty());
            specError.setManaged(!b.isEmpty());
        });
        countSpinner.valueProperty().addListener((o, a, b) -> writeSelection());
        orderChoice.valueProperty().addListener((o, a, b) -> writeSelection());
        correctCheck.selectedProperty().addListener((o, a, b) -> writeSelection());
        seedField.textProperty().addListener((o, a, b) -> writeSelection());
        correctCheck.setTooltip(new Tooltip("The study's rule: attack only images the source models get right, so every flip "
                + "is caused by the attack (dataset.correctOnSources in the spec)"));
    }

    private void showSelection(DataViewModel.Selection s) {
        updatingSelection = true;
        try {
            boolean ok = s != null;
            for (Node n : List.of(countSpinner, orderChoice, seedField, correctCheck)) {
                n.setDisable(!ok);
            }
            if (ok) {
                countSpinner.getValueFactory().setValue(s.count());
                orderChoice.setValue(s.random() ? "random (seeded)" : "first in the dataset");
                if (!seedField.getText().equals(Long.toString(s.seed()))) {
                    seedField.setText(Long.toString(s.seed()));
                }
                correctCheck.setSelected(s.correctOnSources());
            }
        } finally {
            updatingSelection = false;
        }
        updateSelectionNote();
    }

    private void writeSelection() {
        if (updatingSelection || model.selectionProperty().get() == null) {
            return;
        }
        long seed;
        try {
            seed = Long.parseLong(seedField.getText().trim());
        } catch (NumberFormatException e) {
            return; // an empty or half-typed seed: the spec keeps the last whole one
        }
        model.setSelection(new DataViewModel.Selection(countSpinner.getValue(), seed, orderChoice.getValue().startsWith("random"),
                correctCheck.isSelected()));
    }

    private void updateSelectionNote() {
        DataViewModel.Selection s = model.selectionProperty().get();
        DatasetSummary d = model.summaryProperty().get();
        if (s == null) {
            selectionNote.setText("");
            return;
        }
        String text = "Writes dataset: and seed: of the experiment spec. A run takes "
                + (s.random() ? "a seeded random " : "the first ") + String.format(Locale.ROOT, "%,d", s.count()) + " images"
                + (s.correctOnSources() ? " that every source model gets right" : "") + ".";
        if (d != null && s.count() > d.size()) {
            text += String.format(Locale.ROOT, " This dataset has only %,d.", d.size());
        }
        selectionNote.setText(text);
    }

    // ---- classes -----------------------------------------------------------------------------

    private void buildClasses() {
        labelColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        classColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(summary() == null ? "" : summary().className(c.getValue())));
        countColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(summary() == null ? 0 : summary().count(c.getValue())));
        countColumn.setCellFactory(c -> new CountBarCell());
        classTable.setPlaceholder(new Label("No dataset open"));
        classTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && b + 1 < classFilter.getItems().size()) {
                classFilter.setValue(classFilter.getItems().get(b + 1));
            }
        });
    }

    private DatasetSummary summary() {
        return model.summaryProperty().get();
    }

    /** The count with a bar as long as its share of the largest class: an unbalanced dataset shows at a glance. */
    private final class CountBarCell extends TableCell<Integer, Number> {
        private final Region bar = new Region();
        private final Label count = new Label();
        private final HBox box = new HBox(6, count, bar);

        CountBarCell() {
            bar.getStyleClass().add("class-bar");
            box.setAlignment(Pos.CENTER_LEFT);
            count.setMinWidth(44);
        }

        @Override
        protected void updateItem(Number item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null || summary() == null) {
                setGraphic(null);
                return;
            }
            int max = Arrays.stream(summary().classCounts()).max().orElse(1);
            count.setText(String.format(Locale.ROOT, "%,d", item.intValue()));
            bar.setPrefWidth(70.0 * item.intValue() / Math.max(1, max));
            bar.setMinWidth(bar.getPrefWidth());
            setGraphic(box);
        }
    }

    // ---- the thumbnail grid ------------------------------------------------------------------

    private void buildGrid() {
        grid.setCellWidth(Thumbnails.SIDE + 8);
        grid.setCellHeight(Thumbnails.SIDE + 22);
        grid.setHorizontalCellSpacing(4);
        grid.setVerticalCellSpacing(4);
        grid.setCellFactory(g -> thumbnails.cell(this::labelName));
        classFilter.valueProperty().addListener((o, a, b) -> filterGrid());
        gridEmpty.setMouseTransparent(true);
    }

    private String labelName(int label) {
        DatasetSummary s = summary();
        return s == null ? Integer.toString(label) : s.className(label);
    }

    private void filterGrid() {
        Dataset d = model.datasetProperty().get();
        DatasetSummary s = summary();
        if (d == null || s == null) {
            return;
        }
        String f = classFilter.getValue();
        int label = f == null || f.equals(ALL) ? -1 : Integer.parseInt(f.substring(0, f.indexOf(' ')));
        // indices stay ints in an array: an ObservableList over it boxes only the visible cells' items
        int[] indices;
        if (label < 0) {
            indices = null;
        } else {
            indices = new int[s.count(label)];
            int k = 0;
            for (int i = 0; i < d.size() && k < indices.length; i++) {
                if (d.label(i) == label) {
                    indices[k++] = i;
                }
            }
        }
        grid.setItems(FXCollections.observableList(new IndexList(indices, d.size())));
        int shown = indices == null ? d.size() : indices.length;
        gridCount.setText(String.format(Locale.ROOT, "%,d images%s", shown, label < 0 ? "" : " of class " + s.className(label)));
        gridEmpty.setText(shown == 0 ? "No images of this class in the dataset." : "");
        gridEmpty.setVisible(shown == 0);
    }

    /** Dataset indices, all of them or those of one class, without boxing every one up front. */
    private static final class IndexList extends java.util.AbstractList<Integer> implements java.util.RandomAccess {
        private final int[] indices;
        private final int size;

        IndexList(int[] indices, int all) {
            this.indices = indices;
            this.size = indices == null ? all : indices.length;
        }

        @Override
        public Integer get(int i) {
            return indices == null ? i : indices[i];
        }

        @Override
        public int size() {
            return size;
        }
    }

    // ---- drag and drop ---------------------------------------------------------------------------

    private void installDragAndDrop() {
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && e.getDragboard().getFiles().size() == 1) {
                e.acceptTransferModes(TransferMode.COPY);
                if (!root.getStyleClass().contains("drop-target")) {
                    root.getStyleClass().add("drop-target");
                }
            }
            e.consume();
        });
        root.setOnDragExited(e -> root.getStyleClass().remove("drop-target"));
        root.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            if (ok) {
                open(e.getDragboard().getFiles().get(0).toPath());
            }
            root.getStyleClass().remove("drop-target");
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> f) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : f.apply(t);
            }

            @Override
            public T fromString(String s) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
