package org.mrw.app.data;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.DataChoice;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.DatasetOptions;
import org.mrw.core.data.DatasetSummary;
import org.mrw.core.data.Datasets;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.SpecException;

/**
 * What the Data view shows and does, without controls: the dataset in use and its summary, opening
 * another one (the old one stays when the new one is bad), and the selection rule — sample count,
 * seed, order and "correct on every source model" — read from and written to the {@code dataset:}
 * part of the experiment spec. Properties change on the FX thread.
 */
public final class DataViewModel {

    /** The selection rule as the spec holds it. */
    public record Selection(int count, long seed, boolean random, boolean correctOnSources) {
    }

    private final WorkbenchState state;
    private final ReadOnlyObjectWrapper<DatasetSummary> summary = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Dataset> dataset = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper specError = new ReadOnlyStringWrapper("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>();
    private final CompletableFuture<DatasetSummary> first;
    private boolean writing;

    public DataViewModel(WorkbenchState state) {
        this.state = state;
        readSpec(state.specTextProperty().get());
        state.specTextProperty().addListener((o, a, b) -> {
            if (!writing) {
                readSpec(b);
            }
        });
        first = show(state.dataProperty().get(), state.dataset());
        // another view may switch the dataset too (useDataset): follow it
        state.dataProperty().addListener((o, a, b) -> {
            if (!busy.get()) {
                show(b, state.dataset());
            }
        });
    }

    /** Completes (FX thread) once the dataset in use at start is summarised, or fails with why it could not be opened. */
    public CompletableFuture<DatasetSummary> firstLoad() {
        return first;
    }

    public ReadOnlyObjectProperty<DatasetSummary> summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The opened dataset the summary describes (thumbnails come from it). */
    public ReadOnlyObjectProperty<Dataset> datasetProperty() {
        return dataset.getReadOnlyProperty();
    }

    /** Why the last open failed ("" when it did not). */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Why the spec's selection cannot be shown or edited ("" when it can). */
    public ReadOnlyStringProperty specErrorProperty() {
        return specError.getReadOnlyProperty();
    }

    /** True while a dataset is being opened. */
    public BooleanProperty busyProperty() {
        return busy;
    }

    /** The selection rule as the spec says (null while the spec does not parse). */
    public ObjectProperty<Selection> selectionProperty() {
        return selection;
    }

    private CompletableFuture<DatasetSummary> show(DataChoice choice, CompletableFuture<Dataset> opening) {
        busy.set(true);
        CompletableFuture<DatasetSummary> shown = new CompletableFuture<>();
        opening.thenCompose(d -> state.work().submit("Counting classes of " + d.name(), (p, c) -> DatasetSummary.of(d, c))
                .thenApply(s -> new Object[] {d, s}))
                .whenComplete((pair, e) -> BackgroundWork.fx(() -> {
                    busy.set(false);
                    if (e != null) {
                        error.set("Could not open " + choice.label() + ": " + rootMessage(e));
                        shown.completeExceptionally(e);
                        return;
                    }
                    dataset.set((Dataset) pair[0]);
                    summary.set((DatasetSummary) pair[1]);
                    error.set("");
                    shown.complete((DatasetSummary) pair[1]);
                }));
        return shown;
    }

    /**
     * Opens a dataset in the background and, when it opened, makes it the workbench's dataset and the
     * spec's {@code dataset.path}. A bad file leaves everything as it was and sets {@link #errorProperty()}.
     *
     * @param path    file or folder; null for the bundled Fashion-MNIST test split
     * @return completes (FX thread) with the new summary, or fails with the reader's error
     */
    public CompletableFuture<DatasetSummary> open(Path path, DatasetOptions options) {
        DataChoice choice = path == null ? DataChoice.bundled()
                : new DataChoice(path.getFileName() + " (" + path.toAbsolutePath().getParent() + ")", path.toAbsolutePath(), options);
        busy.set(true);
        CompletableFuture<DatasetSummary> shown = new CompletableFuture<>();
        state.work().submit("Opening " + choice.label(), (p, c) -> {
            Dataset d = choice.isBundled() ? Datasets.fashionMnistTest() : Datasets.open(choice.path(), choice.options());
            return new Object[] {d, DatasetSummary.of(d, c)};
        }).whenComplete((pair, e) -> BackgroundWork.fx(() -> {
            if (e != null) {
                busy.set(false);
                DatasetSummary kept = summary.get();
                error.set("Could not open " + (path == null ? "the bundled data" : path) + ": " + rootMessage(e)
                        + (kept == null ? "" : " Still using " + kept.name() + "."));
                shown.completeExceptionally(e);
                return;
            }
            Dataset d = (Dataset) pair[0];
            state.useDataset(choice, d); // busy still set: the dataProperty listener must not summarise it a second time
            busy.set(false);
            dataset.set(d);
            summary.set((DatasetSummary) pair[1]);
            error.set("");
            writeDataPath(choice.isBundled() ? null : choice.path().toString());
            shown.complete((DatasetSummary) pair[1]);
        }));
        return shown;
    }

    // ---- the selection rule in the spec ---------------------------------------------------------

    private void readSpec(String yaml) {
        try {
            ExperimentSpec spec = ExperimentSpec.parse(yaml, "the experiment spec");
            selection.set(new Selection(spec.countOrDefault(), spec.seedOrDefault(), spec.randomSelection(), spec.correctOnSources()));
            specError.set("");
        } catch (SpecException e) {
            selection.set(null);
            specError.set(e.getMessage() + ". Fix it in the Experiment view; the selection can be edited here again then.");
        }
    }

    /**
     * Writes the selection rule into the spec: {@code dataset.count}, {@code dataset.selection},
     * {@code dataset.correctOnSources} and the top-level {@code seed} (which seeds the selection and the attacks).
     *
     * @throws IllegalArgumentException when the values are out of range (the message says which)
     */
    public void setSelection(Selection s) {
        if (s.count() < 1 || s.count() > ExperimentSpec.MAX_SAMPLES) {
            throw new IllegalArgumentException("the sample count must be in 1.." + ExperimentSpec.MAX_SAMPLES + ", got " + s.count());
        }
        ExperimentSpec spec = currentSpec();
        if (spec == null) {
            return;
        }
        ExperimentSpec.DataSpec d = spec.dataset();
        ExperimentSpec.DataSpec changed = new ExperimentSpec.DataSpec(d == null ? null : d.path(), s.count(),
                s.random() ? "random" : "first", s.correctOnSources());
        write(new ExperimentSpec(spec.name(), s.seed(), changed, spec.groups(), spec.attacks(), spec.round8(), spec.repetitions(),
                spec.batchSize()));
    }

    private void writeDataPath(String path) {
        ExperimentSpec spec = currentSpec();
        if (spec == null) {
            return;
        }
        ExperimentSpec.DataSpec d = spec.dataset();
        ExperimentSpec.DataSpec changed = d == null ? new ExperimentSpec.DataSpec(path, null, null, null)
                : new ExperimentSpec.DataSpec(path, d.count(), d.selection(), d.correctOnSources());
        write(new ExperimentSpec(spec.name(), spec.seed(), changed, spec.groups(), spec.attacks(), spec.round8(), spec.repetitions(),
                spec.batchSize()));
    }

    private ExperimentSpec currentSpec() {
        try {
            return ExperimentSpec.parse(state.specTextProperty().get(), "the experiment spec");
        } catch (SpecException e) {
            specError.set(e.getMessage() + ". Fix it in the Experiment view; the selection can be edited here again then.");
            return null;
        }
    }

    private void write(ExperimentSpec spec) {
        String yaml = spec.toYaml();
        writing = true;
        try {
            state.specTextProperty().set(yaml);
        } finally {
            writing = false;
        }
        readSpec(yaml);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
