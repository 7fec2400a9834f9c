package org.mrw.app.state;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.experiment.Presets;
import org.mrw.core.zoo.ZooManifest;

/**
 * What the views share, as observable properties changed on the FX thread: the workspace, the model
 * library, the dataset, the experiment spec being edited, and the run the results views show. Opens on
 * the bundled defaults (the zoo, Fashion-MNIST's test split, the example spec).
 */
public final class WorkbenchState implements AutoCloseable {

    private final BackgroundWork work;
    private final ClassifierCache classifiers;
    private final Settings settings;
    private final Path zooDir;
    private final ObjectProperty<Path> workspace;
    private final ObservableList<ModelEntry> models = FXCollections.observableArrayList();
    private final ObjectProperty<DataChoice> data = new SimpleObjectProperty<>(DataChoice.bundled());
    private CompletableFuture<Dataset> dataset;
    private CompletableFuture<Dataset> adopted;
    private final StringProperty specText = new SimpleStringProperty(Presets.text("example").orElseThrow());
    private final ObjectProperty<RunRef> run = new SimpleObjectProperty<>();
    private final ObservableList<org.mrw.core.device.DeviceInfo> devices = FXCollections.observableArrayList();
    private final ObjectProperty<String> runRequest = new SimpleObjectProperty<>();
    private java.util.function.Consumer<org.mrw.app.shell.ViewId> navigator = v -> { };
    private final Path exampleWorkspace;
    private CompletableFuture<RunRef> example;

    public WorkbenchState(Settings settings, Path workspace, Path zooDir, Path exampleWorkspace) {
        this.settings = settings;
        this.work = new BackgroundWork();
        this.classifiers = new ClassifierCache(work);
        this.zooDir = zooDir;
        this.workspace = new SimpleObjectProperty<>(workspace);
        this.exampleWorkspace = exampleWorkspace;
        models.setAll(ModelLibrary.zoo(zooDir));
        data.addListener((o, a, b) -> dataset = adopted);
    }

    /** The defaults: the user's settings, the last workspace (or ~/mrw-workspace), the checkout's zoo. */
    public static WorkbenchState defaults() {
        Settings s = Settings.user();
        Path ws = s.recentWorkspaces().stream().findFirst().orElse(Path.of(System.getProperty("user.home"), "mrw-workspace"));
        return new WorkbenchState(s, ws, ZooManifest.defaultDir(), ExampleRun.defaultWorkspace());
    }

    public BackgroundWork work() {
        return work;
    }

    public ClassifierCache classifiers() {
        return classifiers;
    }

    public Settings settings() {
        return settings;
    }

    public Path zooDir() {
        return zooDir;
    }

    public ObjectProperty<Path> workspaceProperty() {
        return workspace;
    }

    public ObservableList<ModelEntry> models() {
        return models;
    }

    public ObjectProperty<DataChoice> dataProperty() {
        return data;
    }

    /** The chosen dataset, opened in the background once per choice. */
    public synchronized CompletableFuture<Dataset> dataset() {
        if (dataset == null) {
            DataChoice choice = data.get();
            dataset = work.submit("Opening " + choice.label(), (p, c) -> choice.isBundled() ? Datasets.fashionMnistTest()
                    : Datasets.open(choice.path(), choice.options()));
        }
        return dataset;
    }

    /**
     * Makes {@code choice} the dataset, already opened (the Data view opens a dataset first and only
     * switches when that worked, so a bad file never replaces a good dataset). FX thread.
     */
    public synchronized void useDataset(DataChoice choice, Dataset opened) {
        adopted = CompletableFuture.completedFuture(opened);
        try {
            data.set(choice); // the listener takes the opened dataset, so other views' listeners see it at once
        } finally {
            adopted = null;
        }
    }

    /** The experiment spec being edited (YAML, the file the CLI runs). */
    public StringProperty specTextProperty() {
        return specText;
    }

    /** The run the Results, Export and Demo views show (null until one is chosen or the example is ready). */
    public ObjectProperty<RunRef> runProperty() {
        return run;
    }

    /**
     * The finished example run (run in the background the first time, about a minute); it becomes the
     * shown run when none is chosen yet.
     */
    public synchronized CompletableFuture<RunRef> exampleRun() {
        if (example == null) {
            example = work.submit("Example run (ResNet, FGSM and BIM, 100 images)", (p, c) -> ExampleRun.ensure(exampleWorkspace, p, c));
            example.thenAccept(r -> BackgroundWork.fx(() -> {
                if (run.get() == null) {
                    run.set(r);
                }
            }));
        }
        return example;
    }

    /** Devices found by the last refresh (the host device first, then adb's phones); the Devices view refreshes it. */
    public ObservableList<org.mrw.core.device.DeviceInfo> devices() {
        return devices;
    }

    /**
     * A request to run a spec (its YAML): the Experiment view sets it, the Run view starts the run and
     * clears it. Set on the FX thread.
     */
    public ObjectProperty<String> runRequestProperty() {
        return runRequest;
    }

    /** Shows another view (set by the shell). */
    public void navigate(org.mrw.app.shell.ViewId view) {
        navigator.accept(view);
    }

    /** Called once by the shell. */
    public void setNavigator(java.util.function.Consumer<org.mrw.app.shell.ViewId> navigator) {
        this.navigator = navigator;
    }

    @Override
    public void close() {
        classifiers.close();
        work.close();
        settings.flush();
    }
}
