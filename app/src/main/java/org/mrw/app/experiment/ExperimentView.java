package org.mrw.app.experiment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javafx.beans.property.IntegerProperty;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.CheckBoxTreeItem;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.control.cell.CheckBoxListCell;
import javafx.scene.control.cell.CheckBoxTreeCell;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.control.RangeSlider;
import org.controlsfx.control.SegmentedButton;
import org.mrw.app.shell.Fxml;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.ModelEntry;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.attack.AttackCost;
import org.mrw.core.attack.EpsilonSweep;
import org.mrw.core.attack.EpsilonSweep.Spacing;
import org.mrw.core.device.DeviceInfo;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.MachineRates;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.core.experiment.Presets;
import org.mrw.core.experiment.SpecException;
import org.mrw.core.experiment.WorkEstimate;
import org.mrw.core.task.Durations;

/**
 * The Experiment view: the spec {@code mrw run} runs, as a form that reads like a methods section —
 * data and selection, attacks with their settings, the ε sweep, sources and targets (this computer and
 * each device), procedure, and the work it asks for. Bound to {@link WorkbenchState#specTextProperty()}:
 * the form rewrites the YAML, and YAML set elsewhere (a preset, a loaded file) fills the form.
 */
public final class ExperimentView implements View {

    /** The range slider's default top in 8-bit levels (32/255 ≈ 0.125 covers the usual L∞ budgets). */
    private static final double SLIDER_LEVELS = 32;

    private final WorkbenchState state;
    private final ExperimentViewModel vm;
    private final BorderPane root;
    private final MachineRates rates = MachineRates.benchmarked();

    @FXML private ChoiceBox<String> preset;
    @FXML private ScrollPane scroll;
    @FXML private VBox sections;
    @FXML private Label validation;
    @FXML private Button runButton;

    private final VBox sheets = new VBox(8);
    private final VBox groupsBox = new VBox(10);
    private final FlowPane chips = new FlowPane(6, 6);
    private final Label epsNote = new Label();
    private final Label epsError = new Label();
    private final VBox estimateBox = new VBox(6);
    private final RangeSlider range = new RangeSlider(0, SLIDER_LEVELS, 1, 8);
    private final TextField fromField = new TextField();
    private final TextField toField = new TextField();
    private final Label datasetLabel = new Label();

    /** The YAML this view last wrote to (or accepted from) the shared state; other text is loaded into the form. */
    private String written;
    private boolean applying;
    private boolean syncingSlider;
    private String loadProblem;
    private Path lastFolder;

    public ExperimentView(WorkbenchState state) {
        this.state = state;
        this.vm = new ExperimentViewModel(() -> List.copyOf(state.models()));
        root = Fxml.load(this, "Experiment.fxml", "experiment.css");
        sections.getChildren().addAll(dataSection(), attacksSection(), epsilonSection(), modelsSection(), procedureSection(),
                estimateSection());
        preset.getItems().setAll(Presets.NAMES);
        preset.setOnAction(e -> {
            String name = preset.getValue();
            if (name != null) {
                Presets.text(name).ifPresent(t -> state.specTextProperty().set(t));
            }
        });
        vm.yamlProperty().addListener((o, a, yaml) -> {
            if (!applying) {
                loadProblem = null;
                written = yaml;
                state.specTextProperty().set(yaml);
                preset.setValue(null);
            }
        });
        vm.errorProperty().addListener(o -> showValidation());
        vm.estimateProperty().addListener(o -> showEstimate());
        state.specTextProperty().addListener((o, a, text) -> {
            if (text != null && !text.equals(written)) {
                apply(text, "the spec");
            }
        });
        state.models().addListener((ListChangeListener<ModelEntry>) c -> rebuildGroups());
        state.devices().addListener((ListChangeListener<DeviceInfo>) c -> rebuildGroups());
        apply(state.specTextProperty().get(), "the spec");
        Presets.NAMES.stream().filter(n -> Presets.text(n).orElse("").equals(state.specTextProperty().get())).findFirst()
                .ifPresent(preset::setValue);
        root.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                installShortcuts(scene);
            }
        });
    }

    /** Fills the form from YAML; a bad spec leaves the form and says why. Returns whether it loaded. */
    private boolean apply(String text, String where) {
        applying = true;
        try {
            vm.loadText(text, where);
            written = text;
            loadProblem = null;
            return true;
        } catch (SpecException e) {
            loadProblem = "Could not use " + where + ": " + ExperimentViewModel.plain(stripWhere(e.getMessage(), where))
                    + ". The form still shows the previous spec.";
            return false;
        } finally {
            applying = false;
            syncSlider();
            showValidation();
            showEstimate();
        }
    }

    private static String stripWhere(String message, String where) {
        return message.startsWith(where + ": ") ? message.substring(where.length() + 2) : message;
    }

    // ---------------------------------------------------------------- sections

    private static VBox section(String title, String subtitle, Node... content) {
        Label t = new Label(title);
        t.getStyleClass().add("section-title");
        VBox box = new VBox(8, t);
        if (subtitle != null) {
            Label s = new Label(subtitle);
            s.getStyleClass().add("view-subtitle");
            s.setWrapText(true);
            box.getChildren().add(s);
        }
        box.getChildren().addAll(content);
        box.getStyleClass().addAll("card", "experiment-section");
        return box;
    }

    private static Label words(String text) {
        Label l = new Label(text);
        l.setMinWidth(Label.USE_PREF_SIZE);
        return l;
    }

    private static HBox sentence(Node... parts) {
        HBox row = new HBox(6, parts);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private Node dataSection() {
        TextField name = new TextField();
        name.setId("spec-name");
        name.setPrefColumnCount(14);
        name.textProperty().bindBidirectional(vm.nameProperty());
        Spinner<Integer> count = intSpinner("data-count", 1, ExperimentSpec.MAX_SAMPLES, vm.countProperty(), 100);
        ChoiceBox<Boolean> selection = new ChoiceBox<>();
        selection.getItems().setAll(true, false);
        selection.setConverter(converter(b -> b ? "at random" : "in dataset order"));
        selection.valueProperty().bindBidirectional(vm.randomSelectionProperty().asObject());
        TextField seed = new TextField();
        seed.setId("data-seed");
        seed.setPrefColumnCount(8);
        TextFormatter<Long> seedFormat = new TextFormatter<>(converter(String::valueOf, s -> {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return vm.seedProperty().get();
            }
        }), 0L);
        seed.setTextFormatter(seedFormat);
        seedFormat.valueProperty().bindBidirectional(vm.seedProperty().asObject());
        CheckBox correct = new CheckBox("keeping only images that every source model (PC, float) classifies correctly");
        correct.setId("data-correct");
        correct.selectedProperty().bindBidirectional(vm.correctOnSourcesProperty());
        datasetLabel.getStyleClass().add("dataset-name");
        vm.datasetPathProperty().addListener(o -> showDataset());
        showDataset();
        Button useData = new Button("Use the Data view's dataset");
        useData.setOnAction(e -> vm.datasetPathProperty().set(state.dataProperty().get().isBundled() ? null
                : state.dataProperty().get().path().toString()));
        return section("Data and selection", null,
                sentence(words("Run"), name, words("— we select"), count, words("images"), selection,
                        words("(seed"), seed, words(")")),
                sentence(words("from"), datasetLabel, useData), sentence(correct));
    }

    private void showDataset() {
        String p = vm.datasetPathProperty().get();
        datasetLabel.setText(p == null || p.isBlank() ? "the Fashion-MNIST test split (bundled)" : p);
        datasetLabel.setMinWidth(Label.USE_PREF_SIZE);
    }

    private Node attacksSection() {
        FlowPane picks = new FlowPane(8, 6);
        for (String n : org.mrw.core.attack.Attacks.NAMES) {
            AttackForm f = vm.attack(n);
            ToggleButton t = new ToggleButton(f.title());
            t.setId("attack-" + n);
            t.getStyleClass().add("attack-pick");
            t.selectedProperty().bindBidirectional(f.selectedProperty());
            t.setTooltip(new Tooltip(f.title() + ": " + f.kind()));
            picks.getChildren().add(t);
        }
        vm.attacks().addListener((ListChangeListener<AttackForm>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(f -> f.selectedProperty().addListener(o -> rebuildSheets()));
            }
            rebuildSheets();
        });
        vm.attacks().forEach(f -> f.selectedProperty().addListener(o -> rebuildSheets()));
        rebuildSheets();
        return section("Attacks", "Each ticked attack runs on every source with the settings below (blank rows keep the "
                + "attack's default).", picks, sheets);
    }

    private void rebuildSheets() {
        List<Node> cards = new ArrayList<>();
        for (AttackForm f : vm.attacks()) {
            if (!f.selectedProperty().get()) {
                continue;
            }
            List<PropertySheet.Item> items = new ArrayList<>();
            f.knobs().forEach(k -> items.add(KnobItem.of(f, k)));
            items.add(KnobItem.ownEpsilons(f));
            items.add(KnobItem.label(f));
            PropertySheet sheet = new PropertySheet(javafx.collections.FXCollections.observableArrayList(items));
            sheet.setModeSwitcherVisible(false);
            sheet.setSearchBoxVisible(false);
            sheet.setMode(PropertySheet.Mode.NAME);
            sheet.setId("sheet-" + (f.labelProperty().get() == null ? f.name() : f.labelProperty().get()));
            // tall enough for every row: a sheet of three rows needs no scroll bar
            sheet.setPrefHeight(31 * items.size() + 14);
            sheet.setMinHeight(31 * items.size() + 14);
            Label title = new Label(f.title() + (f.labelProperty().get() != null ? " “" + f.labelProperty().get() + "”" : ""));
            title.getStyleClass().add("attack-title");
            Label kind = new Label(f.kind());
            kind.getStyleClass().add("view-subtitle");
            Button twin = new Button("+ another " + f.title());
            twin.setTooltip(new Tooltip("Run it a second time with other settings, under another label"));
            twin.setOnAction(e -> vm.addTwin(f.name()));
            kind.setWrapText(true);
            VBox left = new VBox(4, title, kind, twin);
            left.setPrefWidth(300);
            left.setMinWidth(260);
            HBox card = new HBox(12, left, sheet);
            HBox.setHgrow(sheet, Priority.ALWAYS);
            card.getStyleClass().add("attack-card");
            cards.add(card);
        }
        if (cards.isEmpty()) {
            Label empty = new Label("No attack ticked: the run measures clean accuracy only. Tick FGSM for a first sweep.");
            empty.getStyleClass().add("view-subtitle");
            cards.add(empty);
        }
        sheets.getChildren().setAll(cards);
    }

    private Node epsilonSection() {
        ToggleButton rangeMode = new ToggleButton("Range");
        rangeMode.setId("eps-mode-range");
        ToggleButton listMode = new ToggleButton("Typed list");
        listMode.setId("eps-mode-list");
        SegmentedButton mode = new SegmentedButton(rangeMode, listMode);
        Runnable showMode = () -> {
            boolean r = vm.epsilonModeProperty().get() == ExperimentViewModel.EpsilonMode.RANGE;
            rangeMode.setSelected(r);
            listMode.setSelected(!r);
        };
        showMode.run();
        vm.epsilonModeProperty().addListener(o -> showMode.run());
        rangeMode.setOnAction(e -> vm.epsilonModeProperty().set(ExperimentViewModel.EpsilonMode.RANGE));
        listMode.setOnAction(e -> vm.epsilonModeProperty().set(ExperimentViewModel.EpsilonMode.LIST));

        range.setId("eps-range");
        range.setShowTickMarks(true);
        range.setShowTickLabels(true);
        range.setMajorTickUnit(8);
        range.setMinorTickCount(7);
        range.setSnapToTicks(true);
        range.setBlockIncrement(1);
        range.setPrefWidth(360);
        range.setLabelFormatter(converter(v -> v.doubleValue() == 0 ? "0" : Math.round(v.doubleValue()) + "/255"));
        range.lowValueProperty().addListener(o -> sliderMoved());
        range.highValueProperty().addListener(o -> sliderMoved());
        fromField.setId("eps-from");
        toField.setId("eps-to");
        fromField.setPrefColumnCount(6);
        toField.setPrefColumnCount(6);
        fromField.setOnAction(e -> typedEnd(fromField, vm.epsilonFromProperty()));
        toField.setOnAction(e -> typedEnd(toField, vm.epsilonToProperty()));
        fromField.focusedProperty().addListener((o, a, f) -> {
            if (!f) {
                typedEnd(fromField, vm.epsilonFromProperty());
            }
        });
        toField.focusedProperty().addListener((o, a, f) -> {
            if (!f) {
                typedEnd(toField, vm.epsilonToProperty());
            }
        });
        vm.epsilonFromProperty().addListener(o -> syncSlider());
        vm.epsilonToProperty().addListener(o -> syncSlider());
        Spinner<Integer> steps = intSpinner("eps-steps", 1, EpsilonSweep.MAX_VALUES, vm.epsilonStepsProperty(), 4);
        ChoiceBox<Spacing> spacing = new ChoiceBox<>();
        spacing.setId("eps-spacing");
        spacing.getItems().setAll(Spacing.values());
        spacing.setConverter(converter(s -> s == Spacing.LINEAR ? "linear" : "log"));
        spacing.valueProperty().bindBidirectional(vm.spacingProperty());
        HBox rangeRow = sentence(words("from"), fromField, range, words("to"), toField, words("in"), steps,
                words("values,"), spacing, words("spacing"));
        TextField list = new TextField();
        list.setId("eps-list");
        list.setPromptText("1/255, 2/255, 0.03");
        list.textProperty().bindBidirectional(vm.epsilonListProperty());
        HBox.setHgrow(list, Priority.ALWAYS);
        HBox listRow = sentence(words("ε ="), list);
        rangeRow.visibleProperty().bind(rangeMode.selectedProperty());
        rangeRow.managedProperty().bind(rangeRow.visibleProperty());
        listRow.visibleProperty().bind(listMode.selectedProperty());
        listRow.managedProperty().bind(listRow.visibleProperty());
        chips.setId("eps-chips");
        vm.epsilons().addListener((ListChangeListener<Double>) c -> showChips());
        epsError.getStyleClass().add("error-text");
        epsError.textProperty().bind(vm.epsilonErrorProperty());
        epsError.visibleProperty().bind(vm.epsilonErrorProperty().isNotNull());
        epsError.managedProperty().bind(epsError.visibleProperty());
        epsNote.setId("eps-note");
        epsNote.setWrapText(true);
        epsNote.getStyleClass().add("view-subtitle");
        vm.round8Property().addListener(o -> showChips());
        vm.attacks().forEach(f -> f.selectedProperty().addListener(o -> showChips()));
        showChips();
        syncSlider();
        return section("Budgets ε", "One sweep shared by every attack (an attack can keep its own list above), in the "
                + "attack's norm on [0,1] pixels; shown as a decimal and in 8-bit levels.",
                sentence(mode), rangeRow, listRow, epsError, chips, epsNote);
    }

    private void typedEnd(TextField field, javafx.beans.property.DoubleProperty target) {
        try {
            List<Double> v = EpsilonSweep.parse(field.getText());
            if (v.size() == 1 && !v.get(0).isInfinite()) {
                target.set(v.get(0));
            }
        } catch (IllegalArgumentException e) {
            // the field shows the stored end again below
        }
        syncSlider();
    }

    private void sliderMoved() {
        if (syncingSlider) {
            return;
        }
        vm.epsilonFromProperty().set(EpsilonSweep.snap(Math.round(range.getLowValue()) / 255.0));
        vm.epsilonToProperty().set(EpsilonSweep.snap(Math.round(range.getHighValue()) / 255.0));
    }

    /** Moves the slider and the end fields to the model's range (the slider grows for large L2 budgets). */
    private void syncSlider() {
        syncingSlider = true;
        try {
            double from = vm.epsilonFromProperty().get() * 255;
            double to = vm.epsilonToProperty().get() * 255;
            range.setMax(Math.max(SLIDER_LEVELS, Math.ceil(to / 8) * 8));
            range.setMajorTickUnit(range.getMax() > 64 ? Math.ceil(range.getMax() / 64) * 8 : 8);
            range.setLowValue(0);
            range.setHighValue(Math.min(range.getMax(), to));
            range.setLowValue(Math.min(from, range.getHighValue()));
            fromField.setText(EpsilonSweep.onLevel(vm.epsilonFromProperty().get()) ? EpsilonSweep.levels(vm.epsilonFromProperty().get())
                    : EpsilonSweep.decimal(vm.epsilonFromProperty().get()));
            toField.setText(EpsilonSweep.onLevel(vm.epsilonToProperty().get()) ? EpsilonSweep.levels(vm.epsilonToProperty().get())
                    : EpsilonSweep.decimal(vm.epsilonToProperty().get()));
        } finally {
            syncingSlider = false;
        }
    }

    private void showChips() {
        List<Node> out = new ArrayList<>();
        for (double e : vm.epsilons()) {
            Label decimal = new Label(EpsilonSweep.decimal(e));
            decimal.getStyleClass().add("chip-decimal");
            Label levels = new Label(EpsilonSweep.levels(e));
            levels.getStyleClass().add("chip-levels");
            HBox chip = new HBox(5, decimal, levels);
            chip.getStyleClass().add("epsilon-chip");
            chip.setAlignment(Pos.CENTER);
            if (vm.round8Property().get() && !EpsilonSweep.onLevel(e) && !Double.isInfinite(e)) {
                Label eff = new Label("→ " + EpsilonSweep.levels(EpsilonSweep.roundedLinf(e)) + " rounded");
                eff.getStyleClass().add("chip-effective");
                chip.getChildren().add(eff);
            }
            Tooltip.install(chip, new Tooltip("ε = " + e + " = " + EpsilonSweep.levels(e)));
            out.add(chip);
        }
        chips.getChildren().setAll(out);
        String note = vm.roundingNote();
        epsNote.setText(note == null ? "8-bit rounding is off: only the float adversarials are judged." : note);
    }

    private Node modelsSection() {
        Button add = new Button("+ Add group");
        add.setId("add-group");
        add.setOnAction(e -> vm.addGroup());
        vm.groups().addListener((ListChangeListener<GroupForm>) c -> rebuildGroups());
        rebuildGroups();
        return section("Models", "Each group's sources are attacked on this computer (float models; white-box attacks need "
                + "PyTorch or TensorFlow); every target of the group judges their adversarials — here or on a device.",
                groupsBox, add);
    }

    private void rebuildGroups() {
        List<Node> cards = new ArrayList<>();
        if (state.models().isEmpty()) {
            Label empty = new Label("No models in the library: build the zoo (models/build) or open model files on the "
                    + "Models view, then pick sources and targets here.");
            empty.getStyleClass().add("empty-state");
            empty.setWrapText(true);
            cards.add(empty);
        }
        if (vm.groups().isEmpty()) {
            Label empty = new Label("No group yet: press “Add group”, then tick the sources to attack and the targets to judge.");
            empty.getStyleClass().add("view-subtitle");
            cards.add(empty);
        }
        for (GroupForm g : vm.groups()) {
            cards.add(groupCard(g));
        }
        groupsBox.getChildren().setAll(cards);
    }

    private Node groupCard(GroupForm g) {
        TextField name = new TextField();
        name.setPrefColumnCount(12);
        name.textProperty().bindBidirectional(g.nameProperty());
        Button remove = new Button("Remove group");
        remove.setOnAction(e -> vm.groups().remove(g));
        Label summary = new Label();
        summary.getStyleClass().add("view-subtitle");
        Runnable count = () -> summary.setText(g.sources().size() + " source(s) → " + g.targets().size() + " target(s)");
        count.run();
        g.sources().addListener((ListChangeListener<String>) c -> count.run());
        g.targets().addListener((ListChangeListener<String>) c -> count.run());

        // sources: float library models, plus any reference of the spec the library lacks
        Set<String> sourceRefs = new LinkedHashSet<>(g.sources());
        vm.sourceCandidates().forEach(m -> sourceRefs.add(m.reference()));
        ListView<String> sources = new ListView<>();
        sources.setId("sources-" + g.nameProperty().get());
        sources.getItems().setAll(sourceRefs);
        Map<String, javafx.beans.property.BooleanProperty> ticks = new LinkedHashMap<>();
        for (String ref : sourceRefs) {
            javafx.beans.property.BooleanProperty p = new javafx.beans.property.SimpleBooleanProperty(g.sources().contains(ref));
            p.addListener((o, a, on) -> GroupForm.choose(g.sources(), ref, on));
            ticks.put(ref, p);
        }
        sources.setCellFactory(CheckBoxListCell.forListView(ticks::get, converter(r -> describe(r)
                + (vm.entry(r).map(m -> ExperimentViewModel.differentiable(m.format())).orElse(true) ? "" : " (no gradients)"))));
        sources.setPrefHeight(190);

        TreeView<String> targets = new TreeView<>();
        targets.setId("targets-" + g.nameProperty().get());
        CheckBoxTreeItem<String> top = new CheckBoxTreeItem<>("all");
        Map<TreeItem<String>, String> refs = new LinkedHashMap<>();
        CheckBoxTreeItem<String> here = new CheckBoxTreeItem<>("This computer");
        here.setExpanded(true);
        Set<String> hereRefs = new LinkedHashSet<>();
        g.targets().stream().filter(t -> !t.startsWith(ModelResolver.DEVICE)).forEach(hereRefs::add);
        state.models().forEach(m -> hereRefs.add(m.reference()));
        for (String ref : hereRefs) {
            leaf(here, ref, describe(ref), g, refs);
        }
        top.getChildren().add(here);
        // one branch per device: the connected ones and any the spec names
        Map<String, String> devices = new LinkedHashMap<>();
        for (DeviceInfo d : state.devices()) {
            devices.put(d.serial(), d.host() ? "Host device (" + d.serial() + ", the agent on this computer)"
                    : d.manufacturer() + " " + d.model() + " (" + d.serial() + ", Android " + d.androidVersion() + ")");
        }
        for (String t : g.targets()) {
            if (t.startsWith(ModelResolver.DEVICE)) {
                String serial = t.substring(ModelResolver.DEVICE.length(), Math.max(ModelResolver.DEVICE.length(), t.indexOf('/')));
                devices.putIfAbsent(serial, serial + " (not connected now)");
            }
        }
        for (Map.Entry<String, String> d : devices.entrySet()) {
            CheckBoxTreeItem<String> branch = new CheckBoxTreeItem<>(d.getValue());
            Set<String> onDevice = new LinkedHashSet<>();
            g.targets().stream().filter(t -> t.startsWith(ModelResolver.DEVICE + d.getKey() + "/")).forEach(onDevice::add);
            state.models().forEach(m -> onDevice.add(ModelResolver.DEVICE + d.getKey() + "/" + m.reference()));
            for (String ref : onDevice) {
                leaf(branch, ref, describe(ref.substring(ref.indexOf('/') + 1)), g, refs);
            }
            branch.setExpanded(g.targets().stream().anyMatch(onDevice::contains));
            top.getChildren().add(branch);
        }
        tick(g, refs);
        targets.setRoot(top);
        targets.setShowRoot(false);
        targets.setCellFactory(CheckBoxTreeCell.forTreeView());
        targets.setPrefHeight(190);

        Label sourcesTitle = new Label("Sources (attacked)");
        sourcesTitle.getStyleClass().add("column-title");
        Label targetsTitle = new Label("Targets (judge the adversarials)");
        targetsTitle.getStyleClass().add("column-title");
        Label noDevices = new Label(state.devices().isEmpty() ? "No device connected: open the Devices view to find phones "
                + "and the host device." : "");
        noDevices.getStyleClass().add("view-subtitle");
        noDevices.setWrapText(true);
        GridPane columns = new GridPane();
        columns.setHgap(12);
        columns.setVgap(4);
        ColumnConstraints half = new ColumnConstraints();
        half.setPercentWidth(50);
        columns.getColumnConstraints().addAll(half, half);
        columns.addRow(0, sourcesTitle, targetsTitle);
        columns.addRow(1, sources, targets);
        columns.add(noDevices, 1, 2);
        VBox card = new VBox(6, sentence(words("Group"), name, summary, new javafx.scene.layout.Region(), remove), columns);
        card.getStyleClass().add("group-card");
        return card;
    }

    /** Adds a target's box under its branch, unticked: {@link #tick} ticks them once the whole tree stands. */
    private CheckBoxTreeItem<String> leaf(CheckBoxTreeItem<String> branch, String ref, String label, GroupForm g,
                                          Map<TreeItem<String>, String> refs) {
        CheckBoxTreeItem<String> item = new CheckBoxTreeItem<>(label);
        branch.getChildren().add(item);
        refs.put(item, ref);
        return item;
    }

    /**
     * Ticks the group's targets and starts following the boxes. Done after every box is in the tree, so a
     * branch shows "some ticked" rather than taking its first child's state for all of them.
     */
    private static void tick(GroupForm g, Map<TreeItem<String>, String> refs) {
        refs.forEach((item, ref) -> ((CheckBoxTreeItem<String>) item).setSelected(g.targets().contains(ref)));
        refs.forEach((item, ref) -> ((CheckBoxTreeItem<String>) item).selectedProperty()
                .addListener((o, a, on) -> GroupForm.choose(g.targets(), ref, on)));
    }

    /** "resnet_float_pt · PyTorch (TorchScript), float" for a library model; the reference itself otherwise. */
    private String describe(String reference) {
        return vm.entry(reference).map(m -> m.id() + " · " + m.runtime() + ", " + m.variantName())
                .orElse(reference + " (not in the library)");
    }

    private Node procedureSection() {
        CheckBox round8 = new CheckBox("Judge the adversarials also after rounding them to 8-bit levels (what saving a PNG does)");
        round8.setId("round8");
        round8.selectedProperty().bindBidirectional(vm.round8Property());
        Spinner<Integer> reps = intSpinner("repetitions", 1, 1000, vm.repetitionsProperty(), 1);
        Spinner<Integer> batch = intSpinner("batch-size", 1, 10_000, vm.batchSizeProperty(), 100);
        return section("Procedure", null, sentence(round8),
                sentence(words("Every attack is repeated"), reps, words("time(s) with different seeds, in batches of"), batch,
                        words("images (a unit of work and of commit).")));
    }

    private Node estimateSection() {
        estimateBox.setId("estimate");
        showEstimate();
        return section("Estimated work", null, estimateBox);
    }

    private void showEstimate() {
        WorkEstimate w = vm.estimateProperty().get();
        if (w == null) {
            Label l = new Label("Fix the spec (see the line at the bottom) to see the work it asks for.");
            l.getStyleClass().add("view-subtitle");
            estimateBox.getChildren().setAll(l);
            return;
        }
        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(3);
        grid.addRow(0, head("attack"), head("per image, on one source"), head("counted as"));
        int row = 1;
        for (WorkEstimate.AttackLine a : w.attacks()) {
            AttackCost c = a.cost();
            List<String> parts = new ArrayList<>();
            if (c.gradients() > 0) {
                parts.add(number(c.gradients()) + " gradient passes");
            }
            if (c.queries() > 0) {
                parts.add(number(c.queries()) + " queries");
            }
            Label how = new Label(c.formula());
            how.getStyleClass().add("view-subtitle");
            grid.addRow(row++, new Label(a.label()), new Label(c.bound().words() + " " + String.join(" + ", parts)), how);
        }
        Label totals = new Label(String.format(Locale.ROOT, "In all (%d images): %s gradient passes on the sources, "
                        + "%s forward passes (%s attack queries, %s judging adversarials, %s clean baseline, %s selecting images).",
                w.images(), number(w.gradients()), number(w.forwards()), number(w.queries()), number(w.judging()),
                number(w.clean()), number(w.selection())));
        totals.setWrapText(true);
        WorkEstimate.TimeEstimate t = w.time(rates);
        Label time = new Label("≈ " + Durations.rough(t.totalSeconds()) + " on this computer (" + Durations.rough(t.computeSeconds())
                + " computing + " + Durations.rough(t.loadSeconds()) + " loading models)"
                + (t.deviceForwards() > 0 ? "; plus " + number(t.deviceForwards()) + " passes on devices, timed there" : ""));
        time.setId("estimate-time");
        time.getStyleClass().add("estimate-time");
        Label source = new Label("An estimate: " + t.source() + (t.unknownModels().isEmpty() ? ""
                : "; timed at Inception's rate: " + String.join(", ", t.unknownModels())) + ". Attacks marked “at most” usually stop sooner.");
        source.getStyleClass().add("view-subtitle");
        source.setWrapText(true);
        estimateBox.getChildren().setAll(grid, totals, time, source);
    }

    private static Label head(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("column-title");
        return l;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private void showValidation() {
        validation.getStyleClass().removeAll("error-text", "validation-ok");
        String problem = loadProblem != null ? loadProblem : vm.errorProperty().get();
        if (problem != null) {
            validation.setText("⚠ " + problem);
            validation.getStyleClass().add("error-text");
        } else {
            long attacks = vm.attacks().stream().filter(a -> a.selectedProperty().get()).count();
            validation.setText("✓ Ready to run: " + vm.countProperty().get() + " images, " + attacks + " attack(s), "
                    + vm.epsilons().size() + " ε, " + vm.groups().size() + " group(s).");
            validation.getStyleClass().add("validation-ok");
        }
        runButton.setDisable(vm.errorProperty().get() != null);
    }

    // ---------------------------------------------------------------- actions

    @FXML
    private void loadChosen() {
        FileChooser chooser = chooser("Load an experiment spec");
        java.io.File f = chooser.showOpenDialog(root.getScene().getWindow());
        if (f != null) {
            load(f.toPath());
        }
    }

    @FXML
    private void saveChosen() {
        FileChooser chooser = chooser("Save the experiment spec");
        chooser.setInitialFileName(vm.nameProperty().get() + ".yaml");
        java.io.File f = chooser.showSaveDialog(root.getScene().getWindow());
        if (f != null) {
            save(f.toPath());
        }
    }

    private FileChooser chooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Experiment specs (*.yaml, *.yml)", "*.yaml", "*.yml"));
        Path folder = lastFolder != null ? lastFolder : state.workspaceProperty().get();
        if (folder != null && Files.isDirectory(folder)) {
            chooser.setInitialDirectory(folder.toFile());
        }
        return chooser;
    }

    /** Writes the spec's YAML (the exact text the form shows) to a file, in the background. */
    public CompletableFuture<Path> save(Path file) {
        String text = state.specTextProperty().get();
        lastFolder = file.toAbsolutePath().getParent();
        return state.work().submit("Saving " + file.getFileName(), (p, c) -> {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        }).whenComplete((ok, e) -> BackgroundWork.fx(() -> {
            if (e != null) {
                loadProblem = "Could not save " + file + ": " + rootMessage(e) + ". Choose a folder you can write to.";
                showValidation();
            }
        }));
    }

    /**
     * Reads a spec file in the background and fills the form; a file that is no valid spec leaves the form
     * as it was and the validation line says what is wrong. Completes with whether it loaded.
     */
    public CompletableFuture<Boolean> load(Path file) {
        lastFolder = file.toAbsolutePath().getParent();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        state.work().submit("Loading " + file.getFileName(), (p, c) -> Files.readString(file, StandardCharsets.UTF_8))
                .whenComplete((text, e) -> BackgroundWork.fx(() -> {
                    boolean ok;
                    if (e != null) {
                        loadProblem = "Could not read " + file + ": " + rootMessage(e) + ". The form still shows the previous spec.";
                        showValidation();
                        ok = false;
                    } else {
                        ok = apply(text, file.getFileName().toString());
                        if (ok) {
                            written = text;
                            state.specTextProperty().set(text);
                            preset.setValue(null);
                        }
                    }
                    done.complete(ok);
                }));
        return done;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Hands the spec to the Run view. */
    @FXML
    public void run() {
        if (vm.errorProperty().get() != null) {
            showValidation();
            return;
        }
        state.runRequestProperty().set(state.specTextProperty().get());
        state.navigate(ViewId.RUN);
    }

    /** Ctrl+S saves, Ctrl+O loads, while this view is the one shown. */
    private void installShortcuts(Scene scene) {
        if (scene.getProperties().containsKey(ExperimentView.class)) {
            return;
        }
        scene.getProperties().put(ExperimentView.class, Boolean.TRUE);
        KeyCombination save = new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN);
        KeyCombination open = new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (root.getScene() != scene || root.getParent() == null) {
                return;
            }
            if (save.match(e)) {
                e.consume();
                saveChosen();
            } else if (open.match(e)) {
                e.consume();
                loadChosen();
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static Spinner<Integer> intSpinner(String id, int min, int max, IntegerProperty property, int initial) {
        Spinner<Integer> s = new Spinner<>(new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, initial));
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(96);
        s.getValueFactory().setValue(Math.max(min, Math.min(max, property.get())));
        s.getValueFactory().valueProperty().addListener((o, a, v) -> {
            if (v != null && v != property.get()) {
                property.set(v);
            }
        });
        property.addListener((o, a, v) -> {
            if (!v.equals(s.getValue())) {
                s.getValueFactory().setValue(v.intValue());
            }
        });
        // a typed number counts when focus leaves, not only on Enter
        s.focusedProperty().addListener((o, a, f) -> {
            if (!f) {
                s.increment(0);
            }
        });
        return s;
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> show) {
        return converter(show, s -> null);
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> show,
                                                    java.util.function.Function<String, T> parse) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : show.apply(t);
            }

            @Override
            public T fromString(String s) {
                return parse.apply(s);
            }
        };
    }

    /** The form's state (tests and other views read it). */
    public ExperimentViewModel model() {
        return vm;
    }

    @Override
    public ViewId id() {
        return ViewId.EXPERIMENT;
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public CompletionStage<?> ready() {
        // everything the form shows comes from the spec text and the library, both at hand
        return CompletableFuture.completedFuture(null);
    }
}
