package org.mrw.app.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.mrw.app.state.ModelEntry;
import org.mrw.core.attack.Access;
import org.mrw.core.attack.Attacks;
import org.mrw.core.attack.EpsilonSweep;
import org.mrw.core.attack.EpsilonSweep.Spacing;
import org.mrw.core.attack.Norm;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.core.experiment.SpecException;
import org.mrw.core.experiment.WorkEstimate;
import org.mrw.core.model.ModelFormat;

/**
 * The Experiment form's state, without any control: the fields of an {@link ExperimentSpec} as
 * properties, the YAML they make, what is wrong with it in plain words, and the work it asks for.
 * Changing any field rewrites {@link #yamlProperty()}; {@link #load} fills every field from a spec.
 */
public final class ExperimentViewModel {

    /** How the shared ε sweep is given. */
    public enum EpsilonMode { RANGE, LIST }

    private final Supplier<List<ModelEntry>> library;

    private final StringProperty name = new SimpleStringProperty("experiment");
    private final StringProperty datasetPath = new SimpleStringProperty();
    private final IntegerProperty count = new SimpleIntegerProperty(100);
    private final LongProperty seed = new SimpleLongProperty(0);
    private final BooleanProperty randomSelection = new SimpleBooleanProperty(true);
    private final BooleanProperty correctOnSources = new SimpleBooleanProperty(true);
    private final ObservableList<AttackForm> attacks = FXCollections.observableArrayList();
    private final Map<String, AttackForm> primary = new LinkedHashMap<>();
    private final ObjectProperty<EpsilonMode> epsilonMode = new SimpleObjectProperty<>(EpsilonMode.RANGE);
    private final DoubleProperty epsilonFrom = new SimpleDoubleProperty(1 / 255.0);
    private final DoubleProperty epsilonTo = new SimpleDoubleProperty(8 / 255.0);
    private final IntegerProperty epsilonSteps = new SimpleIntegerProperty(4);
    private final ObjectProperty<Spacing> spacing = new SimpleObjectProperty<>(Spacing.LOG);
    private final StringProperty epsilonList = new SimpleStringProperty("1/255, 2/255, 4/255, 8/255");
    private final BooleanProperty round8 = new SimpleBooleanProperty(true);
    private final IntegerProperty repetitions = new SimpleIntegerProperty(1);
    private final IntegerProperty batchSize = new SimpleIntegerProperty(100);
    private final ObservableList<GroupForm> groups = FXCollections.observableArrayList();

    private final ObservableList<Double> epsilons = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper epsilonError = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper yaml = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<WorkEstimate> estimate = new ReadOnlyObjectWrapper<>();
    private final InvalidationListener changed = o -> update();
    private boolean loading;

    /** @param library the models the form offers (the workbench's library), read at each validation */
    public ExperimentViewModel(Supplier<List<ModelEntry>> library) {
        this.library = library;
        for (String n : Attacks.NAMES) {
            AttackForm f = new AttackForm(n);
            primary.put(n, f);
            attacks.add(f);
        }
        for (Observable o : List.<Observable>of(name, datasetPath, count, seed, randomSelection, correctOnSources, epsilonMode,
                epsilonFrom, epsilonTo, epsilonSteps, spacing, epsilonList, round8, repetitions, batchSize)) {
            o.addListener(changed);
        }
        attacks.forEach(this::watch);
        attacks.addListener((ListChangeListener<AttackForm>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(this::watch);
            }
            update();
        });
        groups.addListener((ListChangeListener<GroupForm>) c -> {
            while (c.next()) {
                for (GroupForm g : c.getAddedSubList()) {
                    g.nameProperty().addListener(changed);
                    g.sources().addListener(changed);
                    g.targets().addListener(changed);
                }
            }
            update();
        });
    }

    private void watch(AttackForm f) {
        f.observables().forEach(o -> o.addListener(changed));
    }

    // ---- fields

    public StringProperty nameProperty() {
        return name;
    }

    /** Dataset path as the spec writes it; null or blank: the bundled Fashion-MNIST test split. */
    public StringProperty datasetPathProperty() {
        return datasetPath;
    }

    public IntegerProperty countProperty() {
        return count;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public BooleanProperty randomSelectionProperty() {
        return randomSelection;
    }

    public BooleanProperty correctOnSourcesProperty() {
        return correctOnSources;
    }

    /** Every attack of the form, ticked or not, in the order the spec lists them (one per name, plus relabelled twins). */
    public ObservableList<AttackForm> attacks() {
        return attacks;
    }

    /** The form of an attack name (the first one of that name). */
    public AttackForm attack(String attackName) {
        return primary.get(attackName);
    }

    public ObjectProperty<EpsilonMode> epsilonModeProperty() {
        return epsilonMode;
    }

    public DoubleProperty epsilonFromProperty() {
        return epsilonFrom;
    }

    public DoubleProperty epsilonToProperty() {
        return epsilonTo;
    }

    public IntegerProperty epsilonStepsProperty() {
        return epsilonSteps;
    }

    public ObjectProperty<Spacing> spacingProperty() {
        return spacing;
    }

    public StringProperty epsilonListProperty() {
        return epsilonList;
    }

    public BooleanProperty round8Property() {
        return round8;
    }

    public IntegerProperty repetitionsProperty() {
        return repetitions;
    }

    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    public ObservableList<GroupForm> groups() {
        return groups;
    }

    // ---- derived

    /** The shared sweep's values (empty while its input is wrong: see {@link #epsilonErrorProperty()}). */
    public ObservableList<Double> epsilons() {
        return epsilons;
    }

    public ReadOnlyStringProperty epsilonErrorProperty() {
        return epsilonError.getReadOnlyProperty();
    }

    /** The spec the form makes, as YAML. */
    public ReadOnlyStringProperty yamlProperty() {
        return yaml.getReadOnlyProperty();
    }

    /** What is wrong with the spec, in plain words; null when it can run. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The work the spec asks for; null while it is invalid. */
    public ReadOnlyObjectProperty<WorkEstimate> estimateProperty() {
        return estimate.getReadOnlyProperty();
    }

    /** The library's float models that run on this computer: what can be attacked. */
    public List<ModelEntry> sourceCandidates() {
        return library.get().stream().filter(m -> !m.int8()).toList();
    }

    public List<ModelEntry> library() {
        return library.get();
    }

    /** The library entry a reference names (a device target's model too), if it is in the library. */
    public Optional<ModelEntry> entry(String reference) {
        String ref = reference.startsWith(ModelResolver.DEVICE) ? reference.substring(reference.indexOf('/') + 1) : reference;
        return library.get().stream().filter(m -> m.reference().equals(ref)).findFirst();
    }

    // ---- load and build

    /** Fills every field from a spec; the YAML is rewritten once at the end. */
    public void load(ExperimentSpec spec) {
        loading = true;
        try {
            name.set(spec.name());
            seed.set(spec.seedOrDefault());
            datasetPath.set(spec.dataset() == null ? null : spec.dataset().path());
            count.set(spec.countOrDefault());
            randomSelection.set(spec.randomSelection());
            correctOnSources.set(spec.correctOnSources());
            round8.set(spec.round8OrDefault());
            repetitions.set(spec.repetitionsOrDefault());
            batchSize.set(spec.batchSizeOrDefault());
            List<ExperimentSpec.AttackSpec> specs = spec.attacks() == null ? List.of() : spec.attacks();
            List<Double> shared = specs.isEmpty() ? null : specs.get(0).eps();
            if (shared != null) {
                loadSweep(shared);
            }
            primary.values().forEach(AttackForm::clear);
            List<AttackForm> ordered = new ArrayList<>();
            for (ExperimentSpec.AttackSpec a : specs) {
                String n = a.name().trim().toLowerCase(java.util.Locale.ROOT);
                n = n.equals("hsj") ? "hopskipjump" : n.equals("fgm") ? "fgsm" : n.equals("carlini-wagner") ? "cw" : n;
                AttackForm f = primary.get(n);
                if (f == null || ordered.contains(f)) {
                    f = new AttackForm(n);
                }
                f.load(a, !a.eps().equals(shared));
                ordered.add(f);
            }
            primary.values().stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
            attacks.setAll(ordered);
            groups.setAll(spec.groups().stream().map(GroupForm::of).toList());
        } finally {
            loading = false;
        }
        update();
    }

    private void loadSweep(List<Double> values) {
        Optional<EpsilonSweep.Range> range = EpsilonSweep.asRange(values);
        epsilonList.set(EpsilonSweep.format(values));
        if (range.isPresent()) {
            epsilonMode.set(EpsilonMode.RANGE);
            epsilonFrom.set(range.get().from());
            epsilonTo.set(range.get().to());
            epsilonSteps.set(range.get().steps());
            spacing.set(range.get().spacing());
        } else {
            epsilonMode.set(EpsilonMode.LIST);
        }
    }

    /** Parses YAML and fills the form; on a bad spec throws and leaves the form as it was. */
    public ExperimentSpec loadText(String text, String where) {
        ExperimentSpec spec = ExperimentSpec.parse(text, where);
        load(spec);
        return spec;
    }

    /** Adds a group named after the first free "groupN". */
    public GroupForm addGroup() {
        int i = groups.size() + 1;
        while (true) {
            String n = "group" + i;
            if (groups.stream().noneMatch(g -> n.equals(g.nameProperty().get()))) {
                GroupForm g = new GroupForm(n);
                groups.add(g);
                return g;
            }
            i++;
        }
    }

    /** Adds a second, separately labelled instance of an attack (e.g. PGD in L∞ and in L2). */
    public AttackForm addTwin(String attackName) {
        AttackForm f = new AttackForm(attackName);
        long same = attacks.stream().filter(a -> a.name().equals(attackName)).count();
        f.labelProperty().set(attackName + "-" + (same + 1));
        f.selectedProperty().set(true);
        attacks.add(f);
        return f;
    }

    /** The shared sweep from the ε fields. */
    List<Double> sweep() {
        if (epsilonMode.get() == EpsilonMode.LIST) {
            List<Double> v = EpsilonSweep.parse(epsilonList.get());
            if (v.isEmpty()) {
                throw new IllegalArgumentException("type at least one ε, e.g. 1/255, 2/255, 0.03");
            }
            return v;
        }
        return EpsilonSweep.spaced(epsilonFrom.get(), epsilonTo.get(), epsilonSteps.get(), spacing.get());
    }

    /**
     * The spec the form makes (not validated).
     *
     * @throws IllegalArgumentException when an ε field cannot be read (the message says which)
     */
    public ExperimentSpec spec() {
        List<Double> shared = sweep();
        List<ExperimentSpec.AttackSpec> list = new ArrayList<>();
        for (AttackForm f : attacks) {
            if (f.selectedProperty().get()) {
                try {
                    list.add(f.spec(shared));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(f.title() + "'s own ε: " + e.getMessage(), e);
                }
            }
        }
        String path = datasetPath.get() == null || datasetPath.get().isBlank() ? null : datasetPath.get().trim();
        return new ExperimentSpec(name.get() == null ? null : name.get().trim(), seed.get(),
                new ExperimentSpec.DataSpec(path, count.get(), randomSelection.get() ? "random" : "first", correctOnSources.get()),
                groups.stream().map(GroupForm::spec).toList(), list.isEmpty() ? null : list, round8.get(), repetitions.get(),
                batchSize.get());
    }

    private void update() {
        if (loading) {
            return;
        }
        try {
            List<Double> v = sweep();
            epsilonError.set(null);
            if (!epsilons.equals(v)) {
                epsilons.setAll(v);
            }
        } catch (IllegalArgumentException e) {
            epsilonError.set(e.getMessage());
            epsilons.clear();
        }
        ExperimentSpec spec;
        try {
            spec = spec();
        } catch (IllegalArgumentException e) {
            error.set("ε: " + e.getMessage());
            estimate.set(null);
            return;
        }
        String text = spec.toYaml();
        yaml.set(text);
        try {
            ExperimentSpec valid = ExperimentSpec.parse(text, "spec");
            String problem = modelProblem(valid);
            error.set(problem);
            estimate.set(problem == null ? WorkEstimate.of(valid, modelFacts) : null);
        } catch (SpecException e) {
            error.set(plain(e.getMessage()));
            estimate.set(null);
        }
    }

    /** Sizes from the library's input descriptors; Fashion-MNIST's for models not in it. */
    private final WorkEstimate.ModelFacts modelFacts = new WorkEstimate.ModelFacts() {
        @Override
        public int classes(String reference) {
            return entry(reference).filter(m -> m.descriptor() != null && !m.descriptor().classNames().isEmpty())
                    .map(m -> m.descriptor().classNames().size()).orElse(10);
        }

        @Override
        public int imageSize(String reference) {
            return entry(reference).filter(m -> m.descriptor() != null)
                    .map(m -> m.descriptor().channels() * m.descriptor().height() * m.descriptor().width()).orElse(784);
        }
    };

    /** Sources that cannot give what their attacks need, and zoo ids the library does not have. */
    private String modelProblem(ExperimentSpec spec) {
        for (ExperimentSpec.GroupSpec g : spec.groups()) {
            List<String> refs = new ArrayList<>(g.sources() == null ? List.of() : g.sources());
            refs.addAll(g.targets());
            for (String ref : refs) {
                String inner = ref.startsWith(ModelResolver.DEVICE) ? ref.substring(ref.indexOf('/') + 1) : ref;
                if (inner.startsWith("zoo:") && entry(inner).isEmpty()) {
                    return "group " + g.name() + ": there is no zoo model '" + inner.substring(4) + "' in the library; "
                            + "pick one from the lists";
                }
            }
            for (String source : g.sources() == null ? List.<String>of() : g.sources()) {
                Optional<ModelEntry> m = entry(source);
                if (m.isEmpty() || spec.attacks() == null) {
                    continue;
                }
                ModelFormat format = m.get().format();
                boolean differentiable = differentiable(format);
                for (ExperimentSpec.AttackSpec a : spec.attacks()) {
                    if (!differentiable && Attacks.create(a.name(), a.settings()).access() == Access.GRADIENTS) {
                        return a.labelOrName() + " needs gradients, and " + m.get().id() + " (" + format.displayName()
                                + ") has none: attack its PyTorch or TensorFlow twin and judge this one as a target, "
                                + "or choose a black-box attack";
                    }
                }
            }
        }
        return null;
    }

    /** Whether models of a format give input gradients (Models.loadDifferentiable: TorchScript, its lite form, SavedModel). */
    static boolean differentiable(ModelFormat format) {
        return format == ModelFormat.TORCHSCRIPT || format == ModelFormat.TORCHSCRIPT_LITE || format == ModelFormat.SAVED_MODEL;
    }

    /** A spec message without the "where: " prefix and Jackson's class names. */
    static String plain(String message) {
        String m = message.startsWith("spec: ") ? message.substring(6) : message;
        m = m.replaceAll("\\(class [\\w.$]+\\)", "").replaceAll("Unrecognized field", "unknown key")
                .replaceAll(", not marked as ignorable", "");
        return m.replaceAll("\\s+", " ").trim();
    }

    /**
     * The note about 8-bit rounding for the shown sweep: the L∞ change left after rounding, per ε that
     * is not a whole level; null without rounding or without an L∞ attack.
     */
    public String roundingNote() {
        if (!round8.get()) {
            return null;
        }
        boolean linf = attacks.stream().anyMatch(a -> a.selectedProperty().get() && a.attack().norm() == Norm.LINF);
        if (!linf) {
            return "8-bit rounding on: the adversarials are also judged rounded to 8-bit levels; their L2 distance is measured after rounding.";
        }
        List<String> moved = new ArrayList<>();
        for (double e : epsilons) {
            if (!EpsilonSweep.onLevel(e) && !Double.isInfinite(e)) {
                moved.add(EpsilonSweep.label(e) + " → " + EpsilonSweep.label(EpsilonSweep.roundedLinf(e)));
            }
        }
        return "8-bit rounding on: an L∞ adversarial rounded to 8-bit levels differs from the clean image by at most "
                + "round(255·ε)/255. " + (moved.isEmpty() ? "Every ε here is a whole level, so the effective ε is ε itself."
                : "Effective ε: " + String.join("; ", moved) + ".");
    }
}
